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

// A two-layer network by hand, kernels [out, in] (OutIn):
//
//	W0 = [[3, 0], [0, 0]], b0 = [4, 0]   hidden layer, 2 units
//	W1 = [[1, 2]],         b1 = [7]      output layer
//
// Incoming groups (n = 2 + 1 = 3): unit 0 = (3, 0, 4), ‖·‖ = 5; unit 1 = 0.
// With outgoing weights (n = 4): unit 0 = (3, 0, 4, 1), ‖·‖ = √26; unit 1 = (0, 0, 0, 2), ‖·‖ = 2.
type glNet struct {
	w0 [][]float32
	b0 []float32
	w1 [][]float32
	b1 []float32
}

var glExample = glNet{w0: [][]float32{{3, 0}, {0, 0}}, b0: []float32{4, 0}, w1: [][]float32{{1, 2}}, b1: []float32{7}}

type glResult struct {
	value         float64
	gw0, gb0, gw1 [][]float32 // gb0 as one row.
	nw0, nw1      [][]float32
	nb0           []float32
	termNames     []string
}

// evaluateGL applies reg to every variable of net, differentiates c times the
// regularization loss, and runs the steps after the optimizer with η = lr.
func evaluateGL(t *testing.T, net glNet, reg regularizers.Regularizer, c, lr float64) glResult {
	t.Helper()
	store := model.NewStore()
	w0 := store.VariableWithValue("/dense_0/weights", net.w0)
	b0 := store.VariableWithValue("/dense_0/biases", net.b0)
	w1 := store.VariableWithValue("/dense_1/weights", net.w1)
	store.VariableWithValue("/dense_1/biases", net.b1)
	optimizer.LearningRateVar(store.RootScope(), dtypesFloat32, lr)
	var r glResult
	outs, err := model.CallOnceN(newBackend(t), store, func(scope *model.Scope, g *graph.Graph) []*graph.Node {
		nodes := []*graph.Node{w0.NodeValue(g), b0.NodeValue(g), w1.NodeValue(g)}
		regularizers.Apply(scope, g, reg, regularizers.AllTrainable)
		loss := graph.MulScalar(train.GetRegularizationLoss(g), c)
		grads := graph.Gradient(loss, nodes...)
		for _, term := range regularizers.Terms(g) {
			r.termNames = append(r.termNames, term.Name)
		}
		value := regularizers.Terms(g)[0].Value
		train.ExecPerStepUpdateGraphFn(g)
		return append([]*graph.Node{value}, grads...)
	})
	require.NoError(t, err)
	r.value = scalar(outs[0])
	r.gw0 = outs[1].Value().([][]float32)
	r.gb0 = [][]float32{outs[2].Value().([]float32)}
	r.gw1 = outs[3].Value().([][]float32)
	r.nw0 = w0.MustValue().Value().([][]float32)
	r.nb0 = b0.MustValue().Value().([]float32)
	r.nw1 = w1.MustValue().Value().([][]float32)
	return r
}

func TestGroupLassoByHand(t *testing.T) {
	r := evaluateGL(t, glExample, regularizers.Must(regularizers.GroupLasso(0.1, regularizers.Units{})), 1, 0)
	assert.Equal(t, []string{"GroupLasso"}, r.termNames)
	s3 := math.Sqrt(3)
	assert.InDelta(t, 0.1*s3*5, r.value, 1e-5) // λ·√3·5; unit 1 adds 0.
	// λ·√n·w_g/‖w_g‖ for unit 0, 0 for the zero unit 1; the output layer is no group.
	k := float32(0.1 * s3 / 5)
	assertMatrix(t, [][]float32{{3 * k, 0}, {0, 0}}, r.gw0)
	assertMatrix(t, [][]float32{{4 * k, 0}}, r.gb0)
	assertMatrix(t, [][]float32{{0, 0}}, r.gw1)

	// With the outgoing weights: n = 4.
	o := evaluateGL(t, glExample, regularizers.Must(regularizers.GroupLasso(0.1, regularizers.Units{Outgoing: true})), 1, 0)
	assert.InDelta(t, 0.1*2*(math.Sqrt(26)+2), o.value, 1e-5)
	k0, k1 := float32(0.1*2/math.Sqrt(26)), float32(0.1*2/2)
	assertMatrix(t, [][]float32{{3 * k0, 0}, {0, 0}}, o.gw0)
	assertMatrix(t, [][]float32{{4 * k0, 0}}, o.gb0)
	assertMatrix(t, [][]float32{{1 * k0, 2 * k1}}, o.gw1)

	// The chain rule: the loss × 3 triples the gradient.
	c3 := evaluateGL(t, glExample, regularizers.Must(regularizers.GroupLasso(0.1, regularizers.Units{})), 3, 0)
	assertMatrix(t, [][]float32{{9 * k, 0}, {0, 0}}, c3.gw0)
}

// GroupLasso's gradient against autodiff of its formula, with every group
// away from 0, at loss scales 1, 3 and 0.5, for both layouts.
func TestGroupLassoGradientFollowsTheChainRule(t *testing.T) {
	net := glNet{w0: [][]float32{{3, -1}, {0.5, 2}}, b0: []float32{4, -0.3}, w1: [][]float32{{1, -2}}, b1: []float32{7}}
	for _, c := range []float64{1, 3, 0.5} {
		for _, outgoing := range []bool{false, true} {
			got := evaluateGL(t, net, regularizers.Must(regularizers.GroupLasso(0.2, regularizers.Units{Outgoing: outgoing})), c, 0)
			outs, err := model.CallOnceN(newBackend(t), model.NewStore(), func(_ *model.Scope, g *graph.Graph) []*graph.Node {
				w0, b0, w1 := graph.Const(g, net.w0), graph.Const(g, net.b0), graph.Const(g, net.w1)
				s := graph.Add(graph.ReduceSum(graph.Square(w0), 1), graph.Square(b0))
				n := 3.0
				if outgoing {
					s = graph.Add(s, graph.ReduceSum(graph.Square(w1), 0))
					n = 4
				}
				loss := graph.MulScalar(graph.ReduceAllSum(graph.Sqrt(s)), c*0.2*math.Sqrt(n))
				return graph.Gradient(loss, w0, b0, w1)
			})
			require.NoError(t, err)
			assertMatrix(t, outs[0].Value().([][]float32), got.gw0)
			assertMatrix(t, [][]float32{outs[1].Value().([]float32)}, got.gb0)
			assertMatrix(t, outs[2].Value().([][]float32), got.gw1)
		}
	}
	// The same network stored [in, out] (GoMLX's layout) gives the transposed gradients.
	tr := glNet{w0: [][]float32{{3, 0.5}, {-1, 2}}, b0: net.b0, w1: [][]float32{{1}, {-2}}, b1: net.b1}
	a := evaluateGL(t, net, regularizers.Must(regularizers.GroupLasso(0.2, regularizers.Units{Outgoing: true})), 1, 0)
	b := evaluateGL(t, tr, regularizers.Must(regularizers.GroupLasso(0.2, regularizers.Units{Layout: regularizers.InOut, Outgoing: true})), 1, 0)
	assert.InDelta(t, a.value, b.value, 1e-5)
	assertMatrix(t, [][]float32{{a.gw0[0][0], a.gw0[1][0]}, {a.gw0[0][1], a.gw0[1][1]}}, b.gw0)
	assertMatrix(t, [][]float32{{a.gw1[0][0]}, {a.gw1[0][1]}}, b.gw1)
}

func TestProximalGroupLassoByHand(t *testing.T) {
	// η = 1, λ = 0.5, n = 3: threshold 0.5·√3 ≈ 0.866; unit 0 (norm 5) scales
	// by 1 − 0.866/5, unit 1 (norm 0) stays exactly 0.
	r := evaluateGL(t, glExample, regularizers.Must(regularizers.ProximalGroupLasso(0.5, regularizers.Units{})), 1, 1)
	f := float32(1 - 0.5*math.Sqrt(3)/5)
	assertMatrix(t, [][]float32{{3 * f, 0}, {0, 0}}, r.nw0)
	assertVector(t, []float32{4 * f, 0}, r.nb0)
	assertMatrix(t, glExample.w1, r.nw1) // The output layer is no group.
	assertMatrix(t, [][]float32{{0, 0}, {0, 0}}, r.gw0)
	assert.InDelta(t, 0.5*math.Sqrt(3)*5, r.value, 1e-5)

	// A group under the threshold becomes exactly 0, outgoing weights included.
	small := glNet{w0: [][]float32{{0.3, 0}, {3, 0}}, b0: []float32{0.4, 4}, w1: [][]float32{{0.1, 1}}, b1: []float32{7}}
	z := evaluateGL(t, small, regularizers.Must(regularizers.ProximalGroupLasso(0.5, regularizers.Units{Outgoing: true})), 1, 1)
	assert.Equal(t, []float32{0, 0}, z.nw0[0])
	assert.Equal(t, float32(0), z.nb0[0])
	assert.Equal(t, float32(0), z.nw1[0][0])
	assert.NotZero(t, z.nw1[0][1])

	// Stacked: two block soft-thresholds are one by the sum of the thresholds.
	both := evaluateGL(t, glExample, regularizers.Combine(
		regularizers.Must(regularizers.ProximalGroupLasso(0.2, regularizers.Units{})),
		regularizers.Must(regularizers.ProximalGroupLasso(0.3, regularizers.Units{}))), 1, 1)
	assertMatrix(t, r.nw0, both.nw0)
	assertVector(t, r.nb0, both.nb0)
}

func TestGroupLassoErrors(t *testing.T) {
	_, err := regularizers.GroupLasso(-1, regularizers.Units{})
	assert.ErrorContains(t, err, "regularizers.GroupLasso: invalid lambda -1: must be ≥ 0")
	_, err = regularizers.ProximalGroupLasso(math.NaN(), regularizers.Units{})
	assert.ErrorContains(t, err, "regularizers.ProximalGroupLasso: invalid lambda NaN")

	// One layer is not enough: the error names the function and the fix.
	store := model.NewStore()
	store.VariableWithValue("/dense_0/weights", [][]float32{{1}})
	_, err = model.CallOnceN(newBackend(t), store, func(scope *model.Scope, g *graph.Graph) []*graph.Node {
		regularizers.Apply(scope, g, regularizers.Must(regularizers.GroupLasso(0.1, regularizers.Units{})), regularizers.AllTrainable)
		return []*graph.Node{train.GetRegularizationLoss(g)}
	})
	assert.ErrorContains(t, err, "regularizers.GroupLasso: needs the kernels of at least two consecutive dense layers")

	// Layers that do not chain (wrong layout) are named.
	store = model.NewStore()
	store.VariableWithValue("/dense_0/weights", [][]float32{{1, 2, 3}, {4, 5, 6}}) // [2 out, 3 in]
	store.VariableWithValue("/dense_1/weights", [][]float32{{1, 2}})               // [1 out, 2 in]
	_, err = model.CallOnceN(newBackend(t), store, func(scope *model.Scope, g *graph.Graph) []*graph.Node {
		regularizers.Apply(scope, g, regularizers.Must(regularizers.GroupLasso(0.1, regularizers.Units{Layout: regularizers.InOut})),
			regularizers.AllTrainable)
		return []*graph.Node{train.GetRegularizationLoss(g)}
	})
	assert.ErrorContains(t, err, "/dense_1/weights has 1 inputs but /dense_0/weights has 3 units: not consecutive layers (Layout InOut?)")
}
