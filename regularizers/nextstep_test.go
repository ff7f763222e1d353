package regularizers_test

import (
	"testing"

	"github.com/gomlx/gomlx/core/graph"
	"github.com/gomlx/gomlx/ml/model"
	"github.com/gomlx/gomlx/ml/train"
	"github.com/gomlx/gomlx/ml/train/optimizer"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/regnb/regnb/regularizers"
)

// twoStepsInOneGraph builds two SGD steps (η = 0.1, no decay) with
// ProximalL1(1) on w = [0.5, −0.05, 0.02, −2] in one graph, calling NextStep
// between them if next, and returns the second step's main loss (Σw, with no
// gradient), regularization loss, L1 term and the weights after both steps.
func twoStepsInOneGraph(t *testing.T, next bool) (main, reg, l1 float64, w []float32) {
	t.Helper()
	store := model.NewStore()
	v := store.VariableWithValue("/weights", []float32{0.5, -0.05, 0.02, -2})
	prox := regularizers.Must(regularizers.ProximalL1(1))
	sgd := optimizer.StochasticGradientDescent().WithLearningRate(0.1).WithDecay(false).Done()
	outs, err := model.CallOnceN(newBackend(t), store, func(scope *model.Scope, g *graph.Graph) []*graph.Node {
		for step := range 2 {
			if step > 0 && next {
				regularizers.NextStep(g)
			}
			train.AddMainLoss(graph.ReduceAllSum(graph.StopGradient(v.NodeValue(g)))) // A value, no gradient.
			prox(g, v)
			sgd.UpdateGraph(scope, g, train.TotalLoss(g))
			train.ExecPerStepUpdateGraphFn(g)
		}
		return []*graph.Node{train.GetMainLoss(g), train.GetRegularizationLoss(g), regularizers.Terms(g)[0].Value}
	})
	require.NoError(t, err)
	return scalar(outs[0]), scalar(outs[1]), scalar(outs[2]), v.MustValue().Value().([]float32)
}

// Two steps in one graph: with NextStep, step 2 reports its own losses and
// terms and soft-thresholds once more (by η·λ = 0.1): w after step 1 is
// [0.4, 0, 0, −1.9], after step 2 [0.3, 0, 0, −1.8]. Without it, step 2's
// losses and term are the sums over both steps, and step 1's soft-threshold
// runs again in step 2: three thresholds in all.
func TestNextStep(t *testing.T) {
	main, reg, l1, w := twoStepsInOneGraph(t, true)
	assert.InDelta(t, -1.5, main, 1e-6) // Σw after step 1: 0.4 − 1.9.
	assert.InDelta(t, 2.3, reg, 1e-6)   // Σ|w| after step 1.
	assert.InDelta(t, 2.3, l1, 1e-6)
	assertVector(t, []float32{0.3, 0, 0, -1.8}, w)

	main, reg, l1, w = twoStepsInOneGraph(t, false)
	assert.InDelta(t, -1.53-1.5, main, 1e-6) // Steps 1 and 2 summed.
	assert.InDelta(t, 2.57+2.3, reg, 1e-6)
	assert.InDelta(t, 2.57+2.3, l1, 1e-6)
	assertVector(t, []float32{0.2, 0, 0, -1.7}, w)
}
