package regularizers_test

import (
	"math"
	"testing"

	"github.com/gomlx/gomlx/core/graph"
	"github.com/gomlx/gomlx/ml/model"
	"github.com/gomlx/gomlx/ml/train"
	"github.com/gomlx/gomlx/ml/train/optimizer"
	"github.com/stretchr/testify/require"

	"github.com/regnb/regnb/regularizers"
)

// sgdProximalStep runs one training step with GoMLX's SGD (learning rate 0.1)
// and a proximal L1 of strength 0.5 made by prox, on weights w whose data
// gradient is 0, at global step 2 (t = 2 after SGD's increment).
func sgdProximalStep(t *testing.T, sgd optimizer.Interface, prox func(opts ...regularizers.Option) regularizers.Regularizer) []float32 {
	t.Helper()
	store := model.NewStore()
	w := store.VariableWithValue("/weights", []float32{0.5, -0.04, 0.03, -2})
	optimizer.GetGlobalStepVar(store).MustSetValue(tensorOf(int64(1)))
	_, err := model.CallOnceN(newBackend(t), store, func(scope *model.Scope, g *graph.Graph) []*graph.Node {
		train.AddMainLoss(graph.ReduceAllSum(graph.MulScalar(w.NodeValue(g), 0))) // No data gradient.
		prox(regularizers.WithOptimizer(sgd))(g, w)
		sgd.UpdateGraph(scope, g, train.TotalLoss(g))
		train.ExecPerStepUpdateGraphFn(g)
		return []*graph.Node{train.TotalLoss(g)}
	})
	require.NoError(t, err)
	return w.MustValue().Value().([]float32)
}

// Steps after the optimizer use the rate it applied: GoMLX's SGD decays its
// rate to η/√t, so at step 2 the threshold is 0.1·0.5/√2 ≈ 0.0354, not 0.05.
func TestProximalStepUsesTheRateTheOptimizerApplied(t *testing.T) {
	prox := func(opts ...regularizers.Option) regularizers.Regularizer {
		return regularizers.Must(regularizers.ProximalL1(0.5, opts...))
	}
	threshold := float32(0.1 * 0.5 / math.Sqrt2)
	decayed := sgdProximalStep(t, optimizer.StochasticGradientDescent().WithLearningRate(0.1).Done(), prox)
	assertVector(t, []float32{0.5 - threshold, -0.04 + threshold, 0, -2 + threshold}, decayed)

	constant := sgdProximalStep(t, optimizer.StochasticGradientDescent().WithLearningRate(0.1).WithDecay(false).Done(), prox)
	assertVector(t, []float32{0.45, 0, 0, -1.95}, constant)

	// The same rate for the decoupled decay: w·(1 − η_t·wd).
	decay := func(opts ...regularizers.Option) regularizers.Regularizer {
		return regularizers.Must(regularizers.DecoupledWeightDecay(0.5, opts...))
	}
	shrunk := sgdProximalStep(t, optimizer.StochasticGradientDescent().WithLearningRate(0.1).Done(), decay)
	assertVector(t, []float32{0.5 * (1 - threshold), -0.04 * (1 - threshold), 0.03 * (1 - threshold), -2 * (1 - threshold)}, shrunk)
}
