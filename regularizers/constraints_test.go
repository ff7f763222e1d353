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

// Rows (units of an OutIn kernel) with norms 5, 0.5 and 0; columns with
// norms √9.09 and √16.16.
var unitsKernel = [][]float32{{3, 4}, {0.3, 0.4}, {0, 0}}

// constrain applies reg to the kernel /dense/weights = w (KernelsOnly), takes
// a stand-in optimizer step w ← w − update, runs the steps after the
// optimizer with η = lr, and returns the store.
func constrain(t *testing.T, w any, reg regularizers.Regularizer, update, lr float64) *model.Store {
	t.Helper()
	store := model.NewStore()
	kernel := store.VariableWithValue("/dense/weights", w)
	store.VariableWithValue("/dense/biases", []float32{-1})
	optimizer.LearningRateVar(store.RootScope(), kernel.DType(), lr)
	_, err := model.CallOnceN(newBackend(t), store, func(scope *model.Scope, g *graph.Graph) []*graph.Node {
		wv := kernel.NodeValue(g)
		regularizers.Apply(scope, g, reg, regularizers.KernelsOnly)
		if update != 0 {
			kernel.SetNodeValue(graph.AddScalar(wv, -update))
		}
		train.ExecPerStepUpdateGraphFn(g)
		return []*graph.Node{graph.ReduceAllSum(wv)}
	})
	require.NoError(t, err)
	return store
}

func constrained(t *testing.T, w [][]float32, reg regularizers.Regularizer) [][]float32 {
	t.Helper()
	return constrain(t, w, reg, 0, 0).GetVariable("/dense/weights").MustValue().Value().([][]float32)
}

func TestMaxNormByHand(t *testing.T) {
	// Rows (axis 1, OutIn's input axis): 5 → 1, 0.5 and 0 unchanged.
	rows := constrained(t, unitsKernel, regularizers.Must(regularizers.MaxNorm(1, regularizers.OutIn.InputAxis())))
	assertMatrix(t, [][]float32{{0.6, 0.8}, {0.3, 0.4}, {0, 0}}, rows)
	// Columns (axis 0): each column divided by its norm.
	c0, c1 := float32(math.Sqrt(9.09)), float32(math.Sqrt(16.16))
	cols := constrained(t, unitsKernel, regularizers.Must(regularizers.MaxNorm(1, 0)))
	assertMatrix(t, [][]float32{{3 / c0, 4 / c1}, {0.3 / c0, 0.4 / c1}, {0, 0}}, cols)
	// Keras's ε, visible in float64: a norm of 5·10⁻⁷ under c is scaled by
	// 5·10⁻⁷/(10⁻⁷ + 5·10⁻⁷) = 5/6.
	tiny := constrain(t, [][]float64{{3e-7, 4e-7}}, regularizers.Must(regularizers.MaxNorm(1, 1)), 0, 0)
	got := tiny.GetVariable("/dense/weights").MustValue().Value().([][]float64)
	assert.InDelta(t, 2.5e-7, got[0][0], 1e-15)
	assert.InDelta(t, 4e-7*5/6, got[0][1], 1e-15)
}

func TestMinMaxNormAndUnitNormByHand(t *testing.T) {
	// rate 1: 5 → 2, 0.5 → 1; the zero row stays 0.
	strict := constrained(t, unitsKernel, regularizers.Must(regularizers.MinMaxNorm(1, 2, 1, 1)))
	assertMatrix(t, [][]float32{{1.2, 1.6}, {0.6, 0.8}, {0, 0}}, strict)
	// rate 0.5: halfway, 5 → 3.5 and 0.5 → 0.75.
	half := constrained(t, unitsKernel, regularizers.Must(regularizers.MinMaxNorm(1, 2, 0.5, 1)))
	assertMatrix(t, [][]float32{{2.1, 2.8}, {0.45, 0.6}, {0, 0}}, half)
	// rate 0: nothing moves (but for ε).
	assertMatrix(t, unitsKernel, constrained(t, unitsKernel, regularizers.Must(regularizers.MinMaxNorm(1, 2, 0, 1))))

	unit := constrained(t, unitsKernel, regularizers.Must(regularizers.UnitNorm(1)))
	assertMatrix(t, [][]float32{{0.6, 0.8}, {0.6, 0.8}, {0, 0}}, unit)
}

func TestNonNeg(t *testing.T) {
	r := evaluate(t, regularizers.NonNeg(), regularizers.AllTrainable, 0, 0)
	assertMatrix(t, [][]float32{{1, 0}, {0, 3}}, r.newW)
	assertVector(t, []float32{0}, r.newB)
	assert.Equal(t, 0.0, r.total) // Nothing in the loss, no gradient, no term.
	assert.Empty(t, r.names)
	assertMatrix(t, [][]float32{{0, 0}, {0, 0}}, r.gradW)
}

// A constraint acts after the optimizer, on the updated weights, and stacks
// with the proximal steps in the order registered.
func TestConstraintsActAfterTheOptimizerInOrder(t *testing.T) {
	w := [][]float32{{4, 5}}
	maxNorm := regularizers.Must(regularizers.MaxNorm(1, 1))
	store := constrain(t, w, maxNorm, 1, 0) // (4, 5) − 1 = (3, 4), then 5 → 1.
	assertMatrix(t, [][]float32{{0.6, 0.8}}, store.GetVariable("/dense/weights").MustValue().Value().([][]float32))

	// η·λ = 1: ProximalL1 then MaxNorm: (3, 4) → (2, 3) → (2, 3)/√13.
	prox := regularizers.Must(regularizers.ProximalL1(1))
	s13 := float32(math.Sqrt(13))
	store = constrain(t, [][]float32{{3, 4}}, regularizers.Combine(prox, maxNorm), 0, 1)
	assertMatrix(t, [][]float32{{2 / s13, 3 / s13}}, store.GetVariable("/dense/weights").MustValue().Value().([][]float32))
	// MaxNorm then ProximalL1: (3, 4) → (0.6, 0.8) → (0, 0).
	store = constrain(t, [][]float32{{3, 4}}, regularizers.Combine(maxNorm, prox), 0, 1)
	assertMatrix(t, [][]float32{{0, 0}}, store.GetVariable("/dense/weights").MustValue().Value().([][]float32))
}

func TestUnitNorms(t *testing.T) {
	store := constrain(t, unitsKernel, regularizers.Must(regularizers.MaxNorm(1, 1)), 0, 0)
	report, err := regularizers.UnitNorms(store.RootScope(), regularizers.KernelsOnly, 1, 0, 1)
	require.NoError(t, err)
	require.Len(t, report, 1)
	r := report[0]
	assert.Equal(t, "/dense/weights", r.Name)
	assert.Equal(t, 3, r.Units)
	assert.Equal(t, 1, r.AtHi) // The clipped unit.
	assert.Equal(t, 1, r.AtLo) // The zero unit.
	assert.InDelta(t, 1, r.Max, 1e-6)
	assert.Equal(t, 0.0, r.Min)

	// Unconstrained (NonNeg leaves this kernel as it is), by columns: norms
	// √9.09 and √16.16; none at 0, both at or above 3 (AtHi counts those over
	// the bound too).
	before := constrain(t, unitsKernel, regularizers.NonNeg(), 0, 0)
	report, err = regularizers.UnitNorms(before.RootScope(), regularizers.KernelsOnly, 0, 0, 3)
	require.NoError(t, err)
	r = report[0]
	assert.Equal(t, [4]float64{2, 0, 3, 2}, [4]float64{float64(r.Units), r.Lo, r.Hi, float64(r.AtHi)})
	assert.Equal(t, 0, r.AtLo)
	assert.InDelta(t, math.Sqrt(9.09), r.Min, 1e-6)
	assert.InDelta(t, math.Sqrt(16.16), r.Max, 1e-6)
	// A bias's only axis: one unit, the whole vector; no upper bound.
	report, err = regularizers.UnitNorms(before.RootScope(), regularizers.Not(regularizers.KernelsOnly), 0, 0, math.Inf(1))
	require.NoError(t, err)
	assert.Equal(t, 1, report[0].Units)
	assert.Equal(t, 1.0, report[0].Max)
}

func TestConstraintErrors(t *testing.T) {
	nan, inf := math.NaN(), math.Inf(1)
	for _, tc := range []struct {
		err  error
		want string
	}{
		{second(regularizers.MaxNorm(0, 1)), "regularizers.MaxNorm: invalid c 0: must be > 0"},
		{second(regularizers.MaxNorm(-2, 1)), "regularizers.MaxNorm: invalid c -2: must be > 0"},
		{second(regularizers.MaxNorm(nan, 1)), "regularizers.MaxNorm: invalid c NaN: must be a number, not NaN"},
		{second(regularizers.MaxNorm(inf, 1)), "regularizers.MaxNorm: invalid c +Inf: must be finite"},
		{second(regularizers.MaxNorm(1, -1)), "regularizers.MaxNorm: invalid axis -1: must be ≥ 0"},
		{second(regularizers.MinMaxNorm(2, 1, 1, 1)), "regularizers.MinMaxNorm: invalid lo 2: must be ≤ hi (1)"},
		{second(regularizers.MinMaxNorm(-1, 1, 1, 1)), "regularizers.MinMaxNorm: invalid lo -1: must be ≥ 0"},
		{second(regularizers.MinMaxNorm(0, 0, 1, 1)), "regularizers.MinMaxNorm: invalid hi 0: must be > 0"},
		{second(regularizers.MinMaxNorm(0, nan, 1, 1)), "regularizers.MinMaxNorm: invalid hi NaN: must be a number, not NaN"},
		{second(regularizers.MinMaxNorm(0, 1, 1.5, 1)), "regularizers.MinMaxNorm: invalid rate 1.5: must be in [0, 1]"},
		{second(regularizers.MinMaxNorm(0, 1, -0.1, 1)), "regularizers.MinMaxNorm: invalid rate -0.1: must be in [0, 1]"},
		{second(regularizers.MinMaxNorm(0, 1, nan, 1)), "regularizers.MinMaxNorm: invalid rate NaN: must be in [0, 1]"},
		{second(regularizers.MinMaxNorm(0, 1, 1, -3)), "regularizers.MinMaxNorm: invalid axis -3: must be ≥ 0"},
		{second(regularizers.UnitNorm(-1)), "regularizers.UnitNorm: invalid axis -1: must be ≥ 0"},
		{second(regularizers.UnitNorms(newModel().RootScope(), regularizers.AllTrainable, 0, 2, 1)),
			"regularizers.UnitNorms: invalid lo 2: must be ≤ hi (1)"},
		{second(regularizers.UnitNorms(newModel().RootScope(), regularizers.AllTrainable, 0, 0, 0)),
			"regularizers.UnitNorms: invalid hi 0: must be > 0"},
		{second(regularizers.UnitNorms(newModel().RootScope(), regularizers.AllTrainable, 1, 0, 1)),
			"regularizers.UnitNorms: invalid axis 1: /dense/biases has shape [1], rank 1: select variables that have axis 1 (KernelsOnly?)"},
	} {
		require.Error(t, tc.err, tc.want)
		assert.EqualError(t, tc.err, tc.want)
		var argErr *regularizers.ArgError
		assert.ErrorAs(t, tc.err, &argErr, tc.want)
	}

	// An axis the selected variable lacks: the error arises when the graph
	// is built, names the function, the axis and the variable.
	_, err := model.CallOnceN(newBackend(t), newModel(), func(scope *model.Scope, g *graph.Graph) []*graph.Node {
		regularizers.Apply(scope, g, regularizers.Must(regularizers.MaxNorm(1, 1)), regularizers.AllTrainable)
		return []*graph.Node{graph.ScalarZero(g, dtypesFloat32)}
	})
	assert.ErrorContains(t, err, "regularizers.MaxNorm: invalid axis 1: /dense/biases has shape [1], rank 1")
	var argErr *regularizers.ArgError
	assert.ErrorAs(t, err, &argErr) // Through model.Exec's wrapping.
}
