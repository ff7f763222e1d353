package regularizers_test

import (
	"testing"

	"github.com/gomlx/gomlx/core/graph"
	"github.com/gomlx/gomlx/ml/model"
	"github.com/stretchr/testify/require"

	"github.com/regnb/regnb/regularizers"
)

// autodiff returns GoMLX's gradient of c·formula(w) + c·formula(b) for the
// example's weights and biases: the documented formula of a penalty,
// differentiated by autodiff.
func autodiff(t *testing.T, c float64, formula func(x *graph.Node) *graph.Node) (gradW [][]float32, gradB []float32) {
	t.Helper()
	outs, err := model.CallOnceN(newBackend(t), newModel(), func(scope *model.Scope, g *graph.Graph) []*graph.Node {
		w := scope.Store().GetVariable("/dense/weights").NodeValue(g)
		b := scope.Store().GetVariable("/dense/biases").NodeValue(g)
		loss := graph.MulScalar(graph.Add(formula(w), formula(b)), c)
		return graph.Gradient(loss, w, b)
	})
	require.NoError(t, err)
	return outs[0].Value().([][]float32), outs[1].Value().([]float32)
}

// Every penalty's hand-written gradient against autodiff of its documented
// formula, with the loss multiplied by 1, 3 and 0.5: the chain rule.
func TestGradientsFollowTheChainRule(t *testing.T) {
	l1 := func(lambda float64) func(x *graph.Node) *graph.Node {
		return func(x *graph.Node) *graph.Node { return graph.MulScalar(regularizers.L1Norm(x), lambda) }
	}
	l2 := func(lambda float64) func(x *graph.Node) *graph.Node {
		return func(x *graph.Node) *graph.Node { return graph.MulScalar(regularizers.SquaredL2Norm(x), lambda) }
	}
	sum := func(f, h func(x *graph.Node) *graph.Node) func(x *graph.Node) *graph.Node {
		return func(x *graph.Node) *graph.Node { return graph.Add(f(x), h(x)) }
	}
	for _, tc := range []struct {
		name    string
		reg     regularizers.Regularizer
		formula func(x *graph.Node) *graph.Node
	}{
		{"L1: λ·Σ|w|", regularizers.Must(regularizers.L1(0.1)), l1(0.1)},
		{"L2: λ·Σw²", regularizers.Must(regularizers.L2(0.1)), l2(0.1)},
		{"ElasticNet: λ1·Σ|w| + λ2·Σw²", regularizers.Must(regularizers.ElasticNet(0.3, 0.7)), sum(l1(0.3), l2(0.7))},
		{"ElasticNetAlpha: α·ρ·Σ|w| + ½·α·(1−ρ)·Σw²", regularizers.Must(regularizers.ElasticNetAlpha(0.5, 0.2)), sum(l1(0.1), l2(0.2))},
		{"Combine(L1, L2)", regularizers.Combine(regularizers.Must(regularizers.L1(0.2)), regularizers.Must(regularizers.L2(0.3))),
			sum(l1(0.2), l2(0.3))},
	} {
		for _, c := range []float64{1, 3, 0.5} {
			got := evaluateWith(t, tc.reg, regularizers.AllTrainable, setup{c: c})
			wantW, wantB := autodiff(t, c, tc.formula)
			assertMatrix(t, wantW, got.gradW)
			assertVector(t, wantB, got.gradB)
			if t.Failed() {
				t.Fatalf("%s, loss × %g: gradient %v %v, autodiff of the formula %v %v", tc.name, c, got.gradW, got.gradB, wantW, wantB)
			}
		}
	}
}

// Coupled weight decay is the optimizer's g ← g + wd·w (PyTorch's
// weight_decay): a factor on the loss does not scale it.
func TestCoupledWeightDecayDoesNotScaleWithTheLoss(t *testing.T) {
	for _, c := range []float64{1, 3, 0.5} {
		r := evaluateWith(t, regularizers.Must(regularizers.CoupledWeightDecay(0.5)), regularizers.AllTrainable, setup{c: c})
		assertMatrix(t, [][]float32{{0.5, -1}, {0, 1.5}}, r.gradW)
		assertVector(t, []float32{-0.25}, r.gradB)
	}
}

// Steps after the optimizer stack: two soft-thresholds are one by the sum of
// the thresholds, two decoupled decays one by the sum of the decays, and both
// report what they apply.
func TestStepsAfterTheOptimizerStack(t *testing.T) {
	prox := func(l float64) regularizers.Regularizer { return regularizers.Must(regularizers.ProximalL1(l)) }
	both := evaluate(t, regularizers.Combine(prox(0.5), prox(1)), regularizers.AllTrainable, 0.5, 0)
	one := evaluate(t, prox(1.5), regularizers.AllTrainable, 0.5, 0)
	assertMatrix(t, one.newW, both.newW)
	assertVector(t, one.newB, both.newB)
	assertMatrix(t, [][]float32{{0.25, -1.25}, {0, 2.25}}, both.newW) // Threshold 0.5·1.5 = 0.75.
	require.InDelta(t, one.terms["L1"], both.terms["L1"], 1e-5)

	decay := func(wd float64) regularizers.Regularizer {
		return regularizers.Must(regularizers.DecoupledWeightDecay(wd))
	}
	twice := evaluate(t, regularizers.Combine(decay(0.2), decay(0.3)), regularizers.KernelsOnly, 0.1, 0)
	once := evaluate(t, decay(0.5), regularizers.KernelsOnly, 0.1, 0)
	assertMatrix(t, once.newW, twice.newW)
	assertMatrix(t, [][]float32{{0.95, -1.9}, {0, 2.85}}, twice.newW)

	// Applied separately (a layer's regularizer and a model-level one), the same.
	sep := evaluate(t, func(g *graph.Graph, weights ...*model.Variable) {
		decay(0.2)(g, weights...)
		decay(0.3)(g, weights...)
	}, regularizers.KernelsOnly, 0.1, 0)
	assertMatrix(t, once.newW, sep.newW)
}

// AdamW's order (PyTorch, optax): the decay is of the weights from before
// the optimizer's step, w ← w₀ − η·wd·w₀ − η·update.
func TestDecoupledWeightDecayUsesTheWeightsBeforeTheStep(t *testing.T) {
	// Stand-in optimizer step: w ← w − 1. Then w − η·wd·w₀ with η·wd = 0.05.
	r := evaluateWith(t, regularizers.Must(regularizers.DecoupledWeightDecay(0.5)), regularizers.KernelsOnly,
		setup{lr: 0.1, update: 1})
	// w₀ = [[1, −2], [0, 3]]: w₀ − 1 − 0.05·w₀.
	assertMatrix(t, [][]float32{{-0.05, -2.9}, {-1, 1.85}}, r.newW)
	assertVector(t, []float32{-1.5}, r.newB) // Not selected: only the stand-in step.
}
