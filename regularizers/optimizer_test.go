package regularizers_test

import (
	"math"
	"testing"

	"github.com/gomlx/gomlx/core/graph"
	"github.com/gomlx/gomlx/ml/model"
	"github.com/gomlx/gomlx/ml/train"
	"github.com/gomlx/gomlx/ml/train/optimizer"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/regnb/regnb/regularizers"
)

// sgdStep runs one training step of sgd at global step before (t = before+1
// after SGD's increment) on two variables: a = [1] with data loss Σa
// (gradient 1, so SGD moves it by exactly the rate it applies) and w =
// [0.5, −0.04, 0.03, −2] with no data gradient, to which reg is applied. It
// returns how far SGD moved a and w's new values.
func sgdStep(t *testing.T, sgd optimizer.Interface, reg regularizers.Regularizer, before int64) (applied float64, w []float32) {
	t.Helper()
	store := model.NewStore()
	a := store.VariableWithValue("/a", []float32{1})
	v := store.VariableWithValue("/weights", []float32{0.5, -0.04, 0.03, -2})
	optimizer.GetGlobalStepVar(store).MustSetValue(tensorOf(before))
	_, err := model.CallOnceN(newBackend(t), store, func(scope *model.Scope, g *graph.Graph) []*graph.Node {
		loss := graph.Add(graph.ReduceAllSum(a.NodeValue(g)), graph.ReduceAllSum(graph.MulScalar(v.NodeValue(g), 0)))
		train.AddMainLoss(loss)
		reg(g, v)
		sgd.UpdateGraph(scope, g, train.TotalLoss(g))
		train.ExecPerStepUpdateGraphFn(g)
		return []*graph.Node{train.TotalLoss(g)}
	})
	require.NoError(t, err)
	return 1 - float64(a.MustValue().Value().([]float32)[0]), v.MustValue().Value().([]float32)
}

func sgd(decay bool) optimizer.Interface {
	return optimizer.StochasticGradientDescent().WithLearningRate(0.1).WithDecay(decay).Done()
}

// What WithSGDDecay relies on: GoMLX's SGD applies η/√t (t the global step
// after its increment) by default, η with WithDecay(false). If GoMLX changes
// its decay, this fails, and WithSGDDecay's formula must follow.
func TestGoMLXSGDAppliesTheRateWithSGDDecayAssumes(t *testing.T) {
	none := regularizers.Must(regularizers.L1(0))
	for _, before := range []int64{0, 1, 4} {
		tt := float64(before + 1)
		decayed, _ := sgdStep(t, sgd(true), none, before)
		assert.InDelta(t, 0.1/math.Sqrt(tt), decayed, 1e-7, "GoMLX's default SGD at t = %v: want η/√t", tt)
		constant, _ := sgdStep(t, sgd(false), none, before)
		assert.InDelta(t, 0.1, constant, 1e-7, "GoMLX's SGD WithDecay(false) at t = %v: want η", tt)
	}
}

// Steps after the optimizer use the rate it applied: with WithSGDDecay the
// proximal threshold and the decoupled decay at global step t are η/√t
// times the strength — measured against the step GoMLX's SGD took on a.
func TestWithSGDDecayUsesTheRateSGDApplied(t *testing.T) {
	prox := func(opts ...regularizers.Option) regularizers.Regularizer {
		return regularizers.Must(regularizers.ProximalL1(0.5, opts...))
	}
	decay := func(opts ...regularizers.Option) regularizers.Regularizer {
		return regularizers.Must(regularizers.DecoupledWeightDecay(0.5, opts...))
	}
	for _, before := range []int64{0, 1, 4} {
		// Decaying SGD with WithSGDDecay: threshold η_t·0.5.
		eta, w := sgdStep(t, sgd(true), prox(regularizers.WithSGDDecay()), before)
		assertVector(t, softThreshold([]float64{0.5, -0.04, 0.03, -2}, eta*0.5), w)
		if before == 1 { // By hand: t = 2, threshold 0.1·0.5/√2 ≈ 0.0353553, not 0.05: −0.04 is not zeroed.
			assertVector(t, []float32{0.4646447, -0.0046447, 0, -1.9646447}, w)
		}
		// The same rate for the decoupled decay: w·(1 − η_t·wd).
		eta, w = sgdStep(t, sgd(true), decay(regularizers.WithSGDDecay()), before)
		f := float32(1 - eta*0.5)
		assertVector(t, []float32{0.5 * f, -0.04 * f, 0.03 * f, -2 * f}, w)
		// Constant SGD, no option: η itself.
		eta, w = sgdStep(t, sgd(false), prox(), before)
		require.InDelta(t, 0.1, eta, 1e-7)
		assertVector(t, []float32{0.45, 0, 0, -1.95}, w)
	}
	// WithLearningRate and WithSGDDecay compose: η = 0.2 fixed, t = 4: η_t = 0.1, threshold 0.05.
	_, w := sgdStep(t, sgd(true), prox(regularizers.WithLearningRate(0.2), regularizers.WithSGDDecay()), 3)
	assertVector(t, []float32{0.45, 0, 0, -1.95}, w)
}

// softThreshold returns sign(w)·max(|w| − th, 0) for each w.
func softThreshold(ws []float64, th float64) []float32 {
	out := make([]float32, len(ws))
	for i, w := range ws {
		out[i] = float32(math.Copysign(math.Max(math.Abs(w)-th, 0), w))
	}
	return out
}
