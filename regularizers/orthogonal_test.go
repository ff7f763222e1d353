package regularizers_test

import (
	"math"
	"testing"

	"github.com/gomlx/gomlx/core/graph"
	"github.com/gomlx/gomlx/ml/model"
	"github.com/gomlx/gomlx/ml/train"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/regnb/regnb/regularizers"
)

// evaluateKernel applies reg to a model whose only kernel is /dense/weights
// = w (with a bias, which KernelsOnly leaves out) and returns the reported
// term and the gradient of c times the regularization loss.
func evaluateKernel(t *testing.T, w [][]float32, reg regularizers.Regularizer, c float64) (value float64, grad [][]float32) {
	t.Helper()
	store := model.NewStore()
	kernel := store.VariableWithValue("/dense/weights", w)
	store.VariableWithValue("/dense/biases", []float32{1})
	outs, err := model.CallOnceN(newBackend(t), store, func(scope *model.Scope, g *graph.Graph) []*graph.Node {
		wv := kernel.NodeValue(g)
		regularizers.Apply(scope, g, reg, regularizers.KernelsOnly)
		loss := graph.MulScalar(train.GetRegularizationLoss(g), c)
		return []*graph.Node{regularizers.Terms(g)[0].Value, graph.Gradient(loss, wv)[0]}
	})
	require.NoError(t, err)
	return scalar(outs[0]), outs[1].Value().([][]float32)
}

func orthogonal(lambda float64, v regularizers.Vectors) regularizers.Regularizer {
	return regularizers.Must(regularizers.Orthogonal(lambda, v))
}

func transpose(w [][]float32) [][]float32 {
	out := make([][]float32, len(w[0]))
	for j := range out {
		out[j] = make([]float32, len(w))
		for i := range w {
			out[j][i] = w[i][j]
		}
	}
	return out
}

func TestOrthogonalByHand(t *testing.T) {
	// Rows (1, 0), (1, 1), (0, 2): |cos| = 1/√2, 0, 1/√2 over 3 pairs.
	w := [][]float32{{1, 0}, {1, 1}, {0, 2}}
	value, _ := evaluateKernel(t, w, orthogonal(0.3, regularizers.Rows), 1)
	assert.InDelta(t, 0.3*math.Sqrt2/3, value, 1e-6)
	value, _ = evaluateKernel(t, transpose(w), orthogonal(0.3, regularizers.Columns), 1)
	assert.InDelta(t, 0.3*math.Sqrt2/3, value, 1e-6)

	// An all-zero row adds 0 to its 3 pairs, which still count: 6 pairs.
	// Its gradient is 0, and so is that of the row orthogonal to all others.
	withZero := append(w, []float32{0, 0})
	value, grad := evaluateKernel(t, withZero, orthogonal(0.3, regularizers.Rows), 1)
	assert.InDelta(t, 0.3*math.Sqrt2/6, value, 1e-6)
	assert.Equal(t, []float32{0, 0}, grad[3])

	// Gradient of λ·|cos(w_0, w_1)| for w_0 = (1, 0), w_1 = (1, 1), λ = 0.5:
	// ∂/∂w_0 = λ·(0, 1/√2); ∂/∂w_1 = λ·(1, −1)/(2√2). Loss × 3 triples it.
	h := float32(1 / (2 * math.Sqrt2))
	want := [][]float32{{0, 0.5 * 2 * h}, {0.5 * h, -0.5 * h}}
	value, grad = evaluateKernel(t, [][]float32{{1, 0}, {1, 1}}, orthogonal(0.5, regularizers.Rows), 1)
	assert.InDelta(t, 0.5/math.Sqrt2, value, 1e-6)
	assertMatrix(t, want, grad)
	_, grad = evaluateKernel(t, [][]float32{{1, 0}, {1, 1}}, orthogonal(0.5, regularizers.Rows), 3)
	assertMatrix(t, [][]float32{{0, 3 * h}, {1.5 * h, -1.5 * h}}, grad)
	// The same vectors as columns: the transposed gradient.
	_, grad = evaluateKernel(t, [][]float32{{1, 1}, {0, 1}}, orthogonal(0.5, regularizers.Columns), 1)
	assertMatrix(t, transpose(want), grad)

	// Orthogonal vectors: value 0 and no push (GoMLX's Abs would give +1 at 0).
	value, grad = evaluateKernel(t, [][]float32{{2, 0}, {0, -3}}, orthogonal(0.5, regularizers.Rows), 1)
	assert.Equal(t, 0.0, value)
	assertMatrix(t, [][]float32{{0, 0}, {0, 0}}, grad)

	// One vector: no pair, 0 (Keras: 0/0).
	value, grad = evaluateKernel(t, [][]float32{{1, 2, 3}}, orthogonal(0.5, regularizers.Rows), 1)
	assert.Equal(t, 0.0, value)
	assertMatrix(t, [][]float32{{0, 0, 0}}, grad)

	assert.Equal(t, regularizers.Rows, regularizers.OutIn.UnitVectors())
	assert.Equal(t, regularizers.Columns, regularizers.InOut.UnitVectors())
}

// orthogonalFormula is the documented formula, for autodiff: λ·Σ_{i<j}
// |u_i·u_j| / (n(n−1)/2) over the rows of w (transpose it for columns).
func orthogonalFormula(w *graph.Node, lambda float64) *graph.Node {
	n := w.Shape().Dimensions[0]
	norm := graph.Sqrt(graph.ReduceSum(graph.Square(w), 1))
	u := graph.Div(w, graph.InsertAxes(graph.MaxScalar(norm, 1e-7), 1))
	c := graph.Abs(graph.DotGeneral(u, []int{1}, nil, u, []int{1}, nil))
	upper := graph.Where(graph.UpperTriangular(w.Graph(), n), c, graph.ZerosLike(c)) // Diagonal included…
	sum := graph.Sub(graph.ReduceAllSum(upper), graph.ReduceAllSum(graph.Where(graph.Diagonal(w.Graph(), n), c, graph.ZerosLike(c))))
	return graph.MulScalar(sum, lambda/float64(n*(n-1)/2)) // …and taken out.
}

// Orthogonal's hand-written gradient against autodiff of its formula, at
// loss scales 1, 3 and 0.5, for rows and columns, with one vector shorter
// than ε (divided by ε, the g_i/ε branch).
func TestOrthogonalGradientFollowsTheChainRule(t *testing.T) {
	w := [][]float32{{0.5, -1, 2}, {1.5, 0.3, -0.7}, {-0.2, 0.8, 0.9}, {1e-8, -3e-8, 2e-8}}
	for _, vectors := range []regularizers.Vectors{regularizers.Rows, regularizers.Columns} {
		for _, c := range []float64{1, 3, 0.5} {
			value, got := evaluateKernel(t, w, orthogonal(0.2, vectors), c)
			outs, err := model.CallOnceN(newBackend(t), model.NewStore(), func(_ *model.Scope, g *graph.Graph) []*graph.Node {
				x := graph.Const(g, w)
				vs := x
				if vectors == regularizers.Columns {
					vs = graph.Transpose(x, 0, 1)
				}
				penalty := orthogonalFormula(vs, 0.2)
				return []*graph.Node{penalty, graph.Gradient(graph.MulScalar(penalty, c), x)[0]}
			})
			require.NoError(t, err)
			assert.InDelta(t, scalar(outs[0]), value, 1e-6, "%v value", vectors)
			want := outs[1].Value().([][]float32)
			for i := range want {
				for j := range want[i] {
					tol := 1e-5 * (1 + math.Abs(float64(want[i][j])))
					assert.InDelta(t, want[i][j], got[i][j], tol, "%v, loss × %g, [%d][%d]", vectors, c, i, j)
				}
			}
			assert.NotZero(t, got[3][0], "the short vector's gradient")
		}
	}
}

func TestOrthogonalErrors(t *testing.T) {
	_, err := regularizers.Orthogonal(-1, regularizers.Rows)
	assert.EqualError(t, err, "regularizers.Orthogonal: invalid lambda -1: must be ≥ 0")
	_, err = regularizers.Orthogonal(math.NaN(), regularizers.Rows)
	assert.ErrorContains(t, err, "regularizers.Orthogonal: invalid lambda NaN")
	_, err = regularizers.Orthogonal(0.1, regularizers.Vectors(2))
	assert.EqualError(t, err, "regularizers.Orthogonal: invalid vectors 2: must be Rows or Columns")
	var argErr *regularizers.ArgError
	assert.ErrorAs(t, err, &argErr)

	// A bias (rank 1) selected: the error names it and the fix.
	_, err = model.CallOnceN(newBackend(t), newModel(), func(scope *model.Scope, g *graph.Graph) []*graph.Node {
		regularizers.Apply(scope, g, orthogonal(0.1, regularizers.Rows), regularizers.AllTrainable)
		return []*graph.Node{train.GetRegularizationLoss(g)}
	})
	assert.ErrorContains(t, err, "regularizers.Orthogonal: /dense/biases has shape [1], want a rank-2 kernel (select kernels: KernelsOnly)")
}
