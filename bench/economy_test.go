package bench

import (
	"testing"

	"github.com/gomlx/gomlx/core/graph"
	"github.com/gomlx/gomlx/ml/model"
	"github.com/gomlx/gomlx/ml/train"

	"github.com/regnb/regnb/regularizers"
)

// Each of regnb's step economies, measured against the plain GoMLX way in the
// same process (see bench/README.md):
//
//   - BenchmarkStep vs BenchmarkStepAutodiffPenalty: the penalty's gradient
//     given explicitly (regularizers, through internal/hook) vs GoMLX's
//     autodiff of λ1·Σ|w| + λ2·Σw².
//   - BenchmarkStep vs BenchmarkStepAutodiffLayers: layers.Linear's
//     matrix-product backward and [out, in] kernels vs GoMLX's gradient of
//     DotGeneral (v0.28 differentiates it as DotGeneral).
//   - BenchmarkStep vs BenchmarkStepLogged: penalty values only on logged steps.

// autodiffElasticNet is the tutorial's penalty the plain way: its value in the
// loss, its gradient by GoMLX's autodiff (sign(w)·w has gradient sign(w)).
func autodiffElasticNet(g *graph.Graph, weights ...*model.Variable) {
	var sum *graph.Node
	for _, v := range weights {
		w := v.NodeValue(g)
		term := graph.Add(graph.MulScalar(regularizers.L1Norm(w), 0.3), graph.MulScalar(regularizers.SquaredL2Norm(w), 0.7))
		if sum == nil {
			sum = term
		} else {
			sum = graph.Add(sum, term)
		}
	}
	train.AddRegularizationLoss(sum)
}

// BenchmarkStepAutodiffPenalty is BenchmarkStep with the penalty's gradient by autodiff.
func BenchmarkStepAutodiffPenalty(b *testing.B) { benchStep(b, autodiffElasticNet, false, false) }

// BenchmarkStepAutodiffLayers is BenchmarkStep with GoMLX's gradient of the dense layers.
func BenchmarkStepAutodiffLayers(b *testing.B) { benchStep(b, elasticNet, true, false) }
