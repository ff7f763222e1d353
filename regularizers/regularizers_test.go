package regularizers_test

import (
	"fmt"
	"math"
	"slices"
	"strings"
	"testing"

	"github.com/gomlx/compute"
	_ "github.com/gomlx/compute/gobackend"
	"github.com/gomlx/gomlx/core/graph"
	"github.com/gomlx/gomlx/ml/model"
	"github.com/gomlx/gomlx/ml/train"
	"github.com/gomlx/gomlx/ml/train/optimizer"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/regnb/regnb/regularizers"
)

// The hand-checked example: a kernel and a bias.
//
//	W = [[1, −2], [0, 3]], b = [−0.5]
//	Σ|w| = 1 + 2 + 0 + 3 + 0.5 = 6.5
//	Σw²  = 1 + 4 + 0 + 9 + 0.25 = 14.25
var (
	kernel = [][]float32{{1, -2}, {0, 3}}
	bias   = []float32{-0.5}
)

func newBackend(t testing.TB) compute.Backend {
	t.Helper()
	b, err := compute.NewWithConfig("go")
	require.NoError(t, err)
	return b
}

// newModel returns a store with /dense/weights = kernel and /dense/biases = bias.
func newModel() *model.Store {
	store := model.NewStore()
	dense := store.RootScope().In("dense")
	dense.VariableWithValue("weights", kernel)
	dense.VariableWithValue("biases", bias)
	return store
}

// result of evaluating a regularizer on the example.
type result struct {
	total float64            // Sum of all losses added (times c).
	terms map[string]float64 // Reported terms.
	names []string           // Term names, in order.
	gradW [][]float32        // d total / d weights.
	gradB []float32          // d total / d biases.
	newW  [][]float32        // Weights after the per-step updates.
	newB  []float32
}

// setup of an evaluation.
type setup struct {
	lr     float64 // The optimizer's learning rate variable.
	step   int64   // The global step.
	c      float64 // The factor that multiplies the loss (0: 1).
	update float32 // Subtracted from every variable before the per-step updates: a stand-in optimizer step.
}

// evaluate applies reg to the selected variables of a fresh example model,
// differentiates c times the regularization loss, applies the stand-in
// optimizer step, then runs the per-step updates.
func evaluate(t *testing.T, reg regularizers.Regularizer, sel regularizers.Selector, lr float64, step int64) result {
	return evaluateWith(t, reg, sel, setup{lr: lr, step: step})
}

func evaluateWith(t *testing.T, reg regularizers.Regularizer, sel regularizers.Selector, s setup) result {
	t.Helper()
	if s.c == 0 {
		s.c = 1
	}
	store := newModel()
	optimizer.LearningRateVar(store.RootScope(), dtypesFloat32, s.lr)
	optimizer.GetGlobalStepVar(store).MustSetValue(tensorOf(s.step))
	var names []string
	exec, err := model.NewExec(newBackend(t), store, func(scope *model.Scope, g *graph.Graph) []*graph.Node {
		w := store.GetVariable("/dense/weights")
		b := store.GetVariable("/dense/biases")
		wv, bv := w.NodeValue(g), b.NodeValue(g)
		regularizers.Apply(scope, g, reg, sel)
		total := graph.ScalarZero(g, wv.DType())
		if l := train.GetRegularizationLoss(g); l != nil {
			total = graph.MulScalar(l, s.c)
		}
		grads := graph.Gradient(total, wv, bv)
		outs := []*graph.Node{total, grads[0], grads[1]}
		for _, term := range regularizers.Terms(g) {
			names = append(names, term.Name)
			outs = append(outs, term.Value)
		}
		if s.update != 0 {
			w.SetNodeValue(graph.AddScalar(wv, -float64(s.update)))
			b.SetNodeValue(graph.AddScalar(bv, -float64(s.update)))
		}
		train.ExecPerStepUpdateGraphFn(g)
		return outs
	})
	require.NoError(t, err)
	outs, err := exec.Call()
	require.NoError(t, err)
	r := result{terms: map[string]float64{}, names: names}
	r.total = scalar(outs[0])
	r.gradW = outs[1].Value().([][]float32)
	r.gradB = outs[2].Value().([]float32)
	for i, name := range names {
		r.terms[name] = scalar(outs[3+i])
	}
	r.newW = store.GetVariable("/dense/weights").MustValue().Value().([][]float32)
	r.newB = store.GetVariable("/dense/biases").MustValue().Value().([]float32)
	return r
}

func TestL1(t *testing.T) {
	r := evaluate(t, regularizers.Must(regularizers.L1(0.1)), regularizers.AllTrainable, 0, 0)
	assert.InDelta(t, 0.65, r.total, 1e-6) // 0.1 · 6.5
	assert.Equal(t, []string{"L1"}, r.names)
	assert.InDelta(t, 0.65, r.terms["L1"], 1e-6)
	// λ·sign(w), with 0 at w = 0.
	assertMatrix(t, [][]float32{{0.1, -0.1}, {0, 0.1}}, r.gradW)
	assertVector(t, []float32{-0.1}, r.gradB)
}

func TestL2(t *testing.T) {
	r := evaluate(t, regularizers.Must(regularizers.L2(0.1)), regularizers.AllTrainable, 0, 0)
	assert.InDelta(t, 1.425, r.total, 1e-6) // 0.1 · 14.25
	assert.InDelta(t, 1.425, r.terms["L2"], 1e-6)
	// 2·λ·w.
	assertMatrix(t, [][]float32{{0.2, -0.4}, {0, 0.6}}, r.gradW)
	assertVector(t, []float32{-0.1}, r.gradB)
}

func TestElasticNet(t *testing.T) {
	r := evaluate(t, regularizers.Must(regularizers.ElasticNet(0.3, 0.7)), regularizers.AllTrainable, 0, 0)
	assert.Equal(t, []string{"L1", "L2"}, r.names)
	assert.InDelta(t, 1.95, r.terms["L1"], 1e-5)  // 0.3 · 6.5
	assert.InDelta(t, 9.975, r.terms["L2"], 1e-5) // 0.7 · 14.25
	assert.InDelta(t, 11.925, r.total, 1e-5)
	// 0.3·sign(w) + 1.4·w.
	assertMatrix(t, [][]float32{{1.7, -3.1}, {0, 4.5}}, r.gradW)
	assertVector(t, []float32{-1.0}, r.gradB)
}

func TestElasticNetAlpha(t *testing.T) {
	// α = 0.5, ρ = 0.2: α·ρ = 0.1 on Σ|w|, ½·α·(1−ρ) = 0.2 on Σw².
	r := evaluate(t, regularizers.Must(regularizers.ElasticNetAlpha(0.5, 0.2)), regularizers.AllTrainable, 0, 0)
	assert.InDelta(t, 0.65, r.terms["L1"], 1e-6)
	assert.InDelta(t, 2.85, r.terms["L2"], 1e-5)
	// Endpoints: ρ = 1 is the Lasso, ρ = 0 Ridge with ½·α.
	lasso := evaluate(t, regularizers.Must(regularizers.ElasticNetAlpha(0.5, 1)), regularizers.AllTrainable, 0, 0)
	assert.InDelta(t, 3.25, lasso.total, 1e-5)
	ridge := evaluate(t, regularizers.Must(regularizers.ElasticNetAlpha(0.5, 0)), regularizers.AllTrainable, 0, 0)
	assert.InDelta(t, 3.5625, ridge.total, 1e-5)
}

// ElasticNetStrengths by hand: λ1 = α·ρ, λ2 = ½·α·(1−ρ), exact in binary.
func TestElasticNetStrengths(t *testing.T) {
	for _, tc := range []struct{ alpha, ratio, l1, l2 float64 }{
		{2, 0.25, 0.5, 0.75}, // ½·2·0.75
		{3, 1, 3, 0},         // The Lasso.
		{3, 0, 0, 1.5},       // Ridge, with ½·α.
		{0, 0.5, 0, 0},
	} {
		l1, l2, err := regularizers.ElasticNetStrengths(tc.alpha, tc.ratio)
		require.NoError(t, err)
		assert.Equal(t, tc.l1, l1, "λ1 of α = %v, ρ = %v", tc.alpha, tc.ratio)
		assert.Equal(t, tc.l2, l2, "λ2 of α = %v, ρ = %v", tc.alpha, tc.ratio)
	}
	for _, tc := range []struct {
		alpha, ratio float64
		want         string
	}{
		{-1, 0.5, "regularizers.ElasticNetStrengths: invalid alpha -1: must be ≥ 0"},
		{math.Inf(1), 0.5, "regularizers.ElasticNetStrengths: invalid alpha +Inf: must be finite"},
		{math.NaN(), 0.5, "regularizers.ElasticNetStrengths: invalid alpha NaN: must be a number, not NaN"},
		{1, 1.5, "regularizers.ElasticNetStrengths: invalid l1Ratio 1.5: must be in [0, 1]"},
		{1, -0.1, "regularizers.ElasticNetStrengths: invalid l1Ratio -0.1: must be in [0, 1]"},
		{1, math.NaN(), "regularizers.ElasticNetStrengths: invalid l1Ratio NaN: must be in [0, 1]"},
	} {
		l1, l2, err := regularizers.ElasticNetStrengths(tc.alpha, tc.ratio)
		assert.EqualError(t, err, tc.want)
		var argErr *regularizers.ArgError
		assert.ErrorAs(t, err, &argErr)
		assert.Zero(t, l1)
		assert.Zero(t, l2)
	}
	// ElasticNetAlpha is ElasticNet of these strengths: the same values, bit for bit.
	l1, l2, err := regularizers.ElasticNetStrengths(0.5, 0.2)
	require.NoError(t, err)
	byAlpha := evaluate(t, regularizers.Must(regularizers.ElasticNetAlpha(0.5, 0.2)), regularizers.AllTrainable, 0, 0)
	byStrengths := evaluate(t, regularizers.Must(regularizers.ElasticNet(l1, l2)), regularizers.AllTrainable, 0, 0)
	assert.Equal(t, byStrengths, byAlpha)
}

func TestZeroStrengthReportsZero(t *testing.T) {
	r := evaluate(t, regularizers.Must(regularizers.ElasticNet(0, 0.1)), regularizers.AllTrainable, 0, 0)
	assert.Equal(t, []string{"L1", "L2"}, r.names)
	assert.Equal(t, 0.0, r.terms["L1"])
	assert.InDelta(t, 1.425, r.total, 1e-6)
}

func TestWithName(t *testing.T) {
	r := evaluate(t, regularizers.Combine(
		regularizers.Must(regularizers.L1(0.1, regularizers.WithName("lasso"))),
		regularizers.Must(regularizers.ElasticNet(0.1, 0.1, regularizers.WithName("enet"))),
	), regularizers.AllTrainable, 0, 0)
	assert.Equal(t, []string{"lasso", "enet L1", "enet L2"}, r.names)
}

func TestSelection(t *testing.T) {
	l1 := regularizers.Must(regularizers.L1(1))
	all := evaluate(t, l1, regularizers.AllTrainable, 0, 0)
	assert.InDelta(t, 6.5, all.total, 1e-6)

	kernels := evaluate(t, l1, regularizers.KernelsOnly, 0, 0)
	assert.InDelta(t, 6.0, kernels.total, 1e-6)
	assertVector(t, []float32{0}, kernels.gradB) // Biases untouched.

	biases, err := regularizers.Match(`/biases$`)
	require.NoError(t, err)
	onlyB := evaluate(t, l1, biases, 0, 0)
	assert.InDelta(t, 0.5, onlyB.total, 1e-6)

	notB := evaluate(t, l1, regularizers.Not(biases), 0, 0)
	assert.InDelta(t, 6.0, notB.total, 1e-6)

	_, err = regularizers.Select(newModel().RootScope(), func(*model.Variable) bool { return false })
	assert.ErrorContains(t, err, "no variable")
	_, err = regularizers.Match(`(`)
	assert.ErrorContains(t, err, `invalid pattern "("`)
}

func TestNoVariableSelectedIsAnError(t *testing.T) {
	exec, err := model.NewExec(newBackend(t), newModel(), func(scope *model.Scope, g *graph.Graph) *graph.Node {
		regularizers.Apply(scope, g, regularizers.Must(regularizers.L1(1)), func(*model.Variable) bool { return false })
		return graph.ScalarZero(g, dtypesFloat32)
	})
	require.NoError(t, err)
	_, err = exec.Call()
	assert.ErrorContains(t, err, "no variable in scope")
}

func TestCoupledWeightDecay(t *testing.T) {
	// g ← g + wd·w, and nothing in the loss.
	r := evaluate(t, regularizers.Must(regularizers.CoupledWeightDecay(0.5)), regularizers.AllTrainable, 0, 0)
	assert.Equal(t, 0.0, r.total)
	assert.Empty(t, r.names)
	assertMatrix(t, [][]float32{{0.5, -1}, {0, 1.5}}, r.gradW)
	assertVector(t, []float32{-0.25}, r.gradB)
	// Same gradient as L2(wd/2).
	l2 := evaluate(t, regularizers.Must(regularizers.L2(0.25)), regularizers.AllTrainable, 0, 0)
	assertMatrix(t, l2.gradW, r.gradW)
	// Kernels only: biases get no decay (unlike GoMLX's Adam().WeightDecay).
	k := evaluate(t, regularizers.Must(regularizers.CoupledWeightDecay(0.5)), regularizers.KernelsOnly, 0, 0)
	assertVector(t, []float32{0}, k.gradB)
}

func TestDecoupledWeightDecay(t *testing.T) {
	// w ← w − η·wd·w with η = 0.1 read from the optimizer, wd = 0.5: w·0.95.
	r := evaluate(t, regularizers.Must(regularizers.DecoupledWeightDecay(0.5)), regularizers.KernelsOnly, 0.1, 0)
	assert.Equal(t, 0.0, r.total)
	assertMatrix(t, [][]float32{{0.95, -1.9}, {0, 2.85}}, r.newW)
	assertVector(t, bias, r.newB) // Not selected: unchanged.
	assertMatrix(t, [][]float32{{0, 0}, {0, 0}}, r.gradW)

	// A fixed learning rate overrides the optimizer's.
	f := evaluate(t, regularizers.Must(regularizers.DecoupledWeightDecay(0.5, regularizers.WithLearningRate(0.2))),
		regularizers.KernelsOnly, 0.1, 0)
	assertMatrix(t, [][]float32{{0.9, -1.8}, {0, 2.7}}, f.newW)
}

func TestProximalL1ExactZeros(t *testing.T) {
	// Threshold η·λ = 0.5·1.2 = 0.6: |w| ≤ 0.6 becomes exactly 0, the rest shrinks by 0.6.
	r := evaluate(t, regularizers.Must(regularizers.ProximalL1(1.2)), regularizers.AllTrainable, 0.5, 0)
	assertMatrix(t, [][]float32{{0.4, -1.4}, {0, 2.4}}, r.newW)
	assert.Equal(t, []float32{0}, r.newB) // Exactly zero.
	// The penalty is reported (before the step) but has no gradient.
	assert.InDelta(t, 7.8, r.terms["L1"], 1e-5)
	assertMatrix(t, [][]float32{{0, 0}, {0, 0}}, r.gradW)
}

func TestProximalElasticNet(t *testing.T) {
	// η = 0.5, λ1 = 0.4, λ2 = 1: soft-threshold by 0.2, then divide by 1 + 2·0.5·1 = 2.
	r := evaluate(t, regularizers.Must(regularizers.ProximalElasticNet(0.4, 1)), regularizers.AllTrainable, 0.5, 0)
	assertMatrix(t, [][]float32{{0.4, -0.9}, {0, 1.4}}, r.newW)
	assertVector(t, []float32{-0.15}, r.newB)
	assert.Equal(t, []string{"L1", "L2"}, r.names)
}

func TestSchedule(t *testing.T) {
	// LinearWarmup(10) at step 5: half strength.
	warm := regularizers.Must(regularizers.L1(0.1, regularizers.WithSchedule(regularizers.Must(regularizers.LinearWarmup(10)))))
	assert.InDelta(t, 0.325, evaluate(t, warm, regularizers.AllTrainable, 0, 5).total, 1e-6)
	assert.InDelta(t, 0.0, evaluate(t, warm, regularizers.AllTrainable, 0, 0).total, 1e-6)
	assert.InDelta(t, 0.65, evaluate(t, warm, regularizers.AllTrainable, 0, 50).total, 1e-6)
	// Linear(1, 3, 4) at step 2: factor 2.
	lin := regularizers.Must(regularizers.L2(0.1, regularizers.WithSchedule(regularizers.Must(regularizers.Linear(1, 3, 4)))))
	r := evaluate(t, lin, regularizers.AllTrainable, 0, 2)
	assert.InDelta(t, 2.85, r.total, 1e-5)
	assertMatrix(t, [][]float32{{0.4, -0.8}, {0, 1.2}}, r.gradW)
}

func TestCombine(t *testing.T) {
	assert.Nil(t, regularizers.Combine(nil, nil))
	l1 := regularizers.Must(regularizers.L1(0.1))
	// Same name twice: summed into one term.
	r := evaluate(t, regularizers.Combine(nil, l1, l1), regularizers.AllTrainable, 0, 0)
	assert.Equal(t, []string{"L1"}, r.names)
	assert.InDelta(t, 1.3, r.terms["L1"], 1e-6)
}

func TestBadInput(t *testing.T) {
	nan, inf := math.NaN(), math.Inf(1)
	for _, tc := range []struct {
		name string
		err  error
		want string
	}{
		{"L1 negative", second(regularizers.L1(-1)), "regularizers.L1: invalid lambda -1: must be ≥ 0"},
		{"L1 NaN", second(regularizers.L1(nan)), "regularizers.L1: invalid lambda NaN"},
		{"L2 +Inf", second(regularizers.L2(inf)), "regularizers.L2: invalid lambda +Inf: must be finite"},
		{"ElasticNet l1", second(regularizers.ElasticNet(-0.3, 0.7)), "regularizers.ElasticNet: invalid l1 -0.3"},
		{"ElasticNet l2", second(regularizers.ElasticNet(0.3, nan)), "regularizers.ElasticNet: invalid l2 NaN"},
		{"alpha", second(regularizers.ElasticNetAlpha(-1, 0.5)), "regularizers.ElasticNetAlpha: invalid alpha -1"},
		{"l1_ratio > 1", second(regularizers.ElasticNetAlpha(1, 1.5)), "regularizers.ElasticNetAlpha: invalid l1Ratio 1.5: must be in [0, 1]"},
		{"l1_ratio < 0", second(regularizers.ElasticNetAlpha(1, -0.1)), "invalid l1Ratio -0.1"},
		{"l1_ratio NaN", second(regularizers.ElasticNetAlpha(1, nan)), "invalid l1Ratio NaN"},
		{"coupled", second(regularizers.CoupledWeightDecay(-2)), "regularizers.CoupledWeightDecay: invalid wd -2"},
		{"decoupled", second(regularizers.DecoupledWeightDecay(inf)), "regularizers.DecoupledWeightDecay: invalid wd +Inf"},
		{"proximal", second(regularizers.ProximalL1(-3)), "regularizers.ProximalL1: invalid lambda -3"},
		{"proximal NaN", second(regularizers.ProximalL1(nan)), "regularizers.ProximalL1: invalid lambda NaN"},
		{"proximal EN", second(regularizers.ProximalElasticNet(0.1, -1)), "regularizers.ProximalElasticNet: invalid l2 -1"},
		{"learning rate", second(regularizers.DecoupledWeightDecay(1, regularizers.WithLearningRate(-0.1))),
			"regularizers.DecoupledWeightDecay: invalid WithLearningRate -0.1"},
		{"learning rate -1", second(regularizers.ProximalL1(1, regularizers.WithLearningRate(-1))),
			"regularizers.ProximalL1: invalid WithLearningRate -1"},
		{"schedule steps", second(regularizers.Linear(0, 1, 0)), "regularizers.Linear: invalid steps 0: must be > 0"},
		{"schedule to", second(regularizers.Linear(0, -1, 5)), "regularizers.Linear: invalid to -1"},
		{"warmup steps", second(regularizers.LinearWarmup(-2)), "regularizers.LinearWarmup: invalid steps -2: must be > 0"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			require.Error(t, tc.err)
			assert.Contains(t, tc.err.Error(), tc.want)
			var argErr *regularizers.ArgError
			assert.ErrorAs(t, tc.err, &argErr)
		})
	}
	assert.Panics(t, func() { regularizers.Must(regularizers.L1(-1)) })
}

func TestSparsity(t *testing.T) {
	report, err := regularizers.Sparsity(newModel().RootScope(), regularizers.AllTrainable, 0.6)
	require.NoError(t, err)
	require.Len(t, report, 2)
	assert.Equal(t, regularizers.VariableSparsity{Name: "/dense/weights", Size: 4, Zeros: 1, Small: 1, Eps: 0.6,
		L1: 6, SquaredL2: 14, MaxAbs: 3}, report[0])
	total := regularizers.Total(report)
	assert.Equal(t, 5, total.Size)
	assert.Equal(t, 2, total.Small) // 0 and −0.5.
	assert.InDelta(t, 6.5, total.L1, 1e-6)
	_, err = regularizers.Sparsity(newModel().RootScope(), regularizers.AllTrainable, -1)
	assert.ErrorContains(t, err, "invalid eps -1")
}

func second[T any](_ T, err error) error { return err }

// Each constructor takes the options its doc lists and refuses the others
// with an OptionError naming the option and those it takes.
func TestOptionsEachConstructorTakes(t *testing.T) {
	options := map[string]regularizers.Option{
		"WithName":         regularizers.WithName("x"),
		"WithSchedule":     regularizers.WithSchedule(regularizers.Must(regularizers.LinearWarmup(10))),
		"WithLearningRate": regularizers.WithLearningRate(0.1),
		"WithSGDDecay":     regularizers.WithSGDDecay(),
	}
	all := []string{"WithName", "WithSchedule", "WithLearningRate", "WithSGDDecay"}
	inLoss := []string{"WithName", "WithSchedule"}
	units := regularizers.Units{Layout: regularizers.OutIn}
	type (
		R = regularizers.Regularizer
		O = regularizers.Option
	)
	for _, tc := range []struct {
		fn    string
		new   func(opts ...O) (R, error)
		takes []string
	}{
		{"L1", func(o ...O) (R, error) { return regularizers.L1(1, o...) }, inLoss},
		{"L2", func(o ...O) (R, error) { return regularizers.L2(1, o...) }, inLoss},
		{"ElasticNet", func(o ...O) (R, error) { return regularizers.ElasticNet(1, 1, o...) }, inLoss},
		{"ElasticNetAlpha", func(o ...O) (R, error) { return regularizers.ElasticNetAlpha(1, 0.5, o...) }, inLoss},
		{"GroupLasso", func(o ...O) (R, error) { return regularizers.GroupLasso(1, units, o...) }, inLoss},
		{"Orthogonal", func(o ...O) (R, error) { return regularizers.Orthogonal(1, regularizers.Rows, o...) }, inLoss},
		{"CoupledWeightDecay", func(o ...O) (R, error) { return regularizers.CoupledWeightDecay(1, o...) },
			[]string{"WithSchedule"}},
		{"DecoupledWeightDecay", func(o ...O) (R, error) { return regularizers.DecoupledWeightDecay(1, o...) },
			[]string{"WithSchedule", "WithLearningRate", "WithSGDDecay"}},
		{"ProximalL1", func(o ...O) (R, error) { return regularizers.ProximalL1(1, o...) }, all},
		{"ProximalElasticNet", func(o ...O) (R, error) { return regularizers.ProximalElasticNet(1, 1, o...) }, all},
		{"ProximalGroupLasso", func(o ...O) (R, error) { return regularizers.ProximalGroupLasso(1, units, o...) }, all},
	} {
		var takes []regularizers.Option
		for _, name := range tc.takes {
			takes = append(takes, options[name])
		}
		reg, err := tc.new(takes...)
		assert.NoError(t, err, "%s with the options it takes", tc.fn)
		assert.NotNil(t, reg, tc.fn)
		for _, option := range all {
			if slices.Contains(tc.takes, option) {
				continue
			}
			_, err := tc.new(append(takes[:len(takes):len(takes)], options[option])...)
			assert.EqualError(t, err, fmt.Sprintf("regularizers.%s: option %s does not apply: %s takes %s",
				tc.fn, option, tc.fn, strings.Join(tc.takes, ", ")))
			var optErr *regularizers.OptionError
			if assert.ErrorAs(t, err, &optErr) {
				assert.Equal(t, regularizers.OptionError{Func: tc.fn, Option: option, Takes: tc.takes}, *optErr)
			}
		}
	}
	// The case: L1 never uses a learning rate, valid or not.
	_, err := regularizers.L1(1, regularizers.WithLearningRate(-1))
	assert.EqualError(t, err, "regularizers.L1: option WithLearningRate does not apply: L1 takes WithName, WithSchedule")
}

// An ArgError names the function, and the argument as its signature spells
// it (or the option); LinearWarmup's is its own, not Linear's.
func TestArgErrorNamesTheArgument(t *testing.T) {
	for _, tc := range []struct {
		err  error
		want regularizers.ArgError
		msg  string
	}{
		{second(regularizers.L1(-1)), regularizers.ArgError{Func: "L1", Arg: "lambda", Value: -1, Reason: "must be ≥ 0"},
			"regularizers.L1: invalid lambda -1: must be ≥ 0"},
		{second(regularizers.DecoupledWeightDecay(1, regularizers.WithLearningRate(-0.5))),
			regularizers.ArgError{Func: "DecoupledWeightDecay", Arg: "WithLearningRate", Value: -0.5, Reason: "must be ≥ 0"},
			"regularizers.DecoupledWeightDecay: invalid WithLearningRate -0.5: must be ≥ 0"},
		{second(regularizers.LinearWarmup(0)), regularizers.ArgError{Func: "LinearWarmup", Arg: "steps", Value: 0, Reason: "must be > 0"},
			"regularizers.LinearWarmup: invalid steps 0: must be > 0"},
	} {
		assert.EqualError(t, tc.err, tc.msg)
		var argErr *regularizers.ArgError
		if assert.ErrorAs(t, tc.err, &argErr) {
			assert.Equal(t, tc.want, *argErr)
		}
	}
}

func TestKernelLayoutString(t *testing.T) {
	assert.Equal(t, "OutIn", regularizers.OutIn.String())
	assert.Equal(t, "InOut", regularizers.InOut.String())
	assert.Equal(t, "KernelLayout(7)", regularizers.KernelLayout(7).String())
	assert.Equal(t, "{Layout:InOut Outgoing:true}", fmt.Sprintf("%+v", regularizers.Units{Layout: regularizers.InOut, Outgoing: true}))
}

// Our terms are reports without a gradient; a term added with AddTerm keeps
// the gradient of its value, alone or summed with ours under the same name.
func TestTermGradients(t *testing.T) {
	var names []string
	outs, err := model.CallOnceN(newBackend(t), newModel(), func(scope *model.Scope, g *graph.Graph) []*graph.Node {
		v := scope.Store().GetVariable("/dense/weights")
		regularizers.Must(regularizers.ElasticNet(0.3, 0.7))(g, v)
		w := v.NodeValue(g)
		regularizers.AddTerm("mine", graph.MulScalar(regularizers.SquaredL2Norm(w), 0.5)) // ½·Σw²: gradient w.
		regularizers.AddTerm("L1", regularizers.L1Norm(w))                                // Gradient sign(w), summed with ours.
		var grads []*graph.Node
		for _, term := range regularizers.Terms(g) {
			names = append(names, term.Name)
			grads = append(grads, graph.Gradient(term.Value, w)[0])
		}
		return grads
	})
	require.NoError(t, err)
	require.Equal(t, []string{"L1", "L2", "mine"}, names)
	assertMatrix(t, [][]float32{{1, -1}, {0, 1}}, outs[0].Value().([][]float32)) // Ours: 0; AddTerm's Σ|w|: sign(w).
	assertMatrix(t, [][]float32{{0, 0}, {0, 0}}, outs[1].Value().([][]float32))  // Ours only: 0.
	assertMatrix(t, [][]float32{{1, -2}, {0, 3}}, outs[2].Value().([][]float32)) // AddTerm's ½·Σw²: w.
}
