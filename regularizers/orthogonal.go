package regularizers

import (
	"fmt"

	"github.com/gomlx/gomlx/core/graph"
	"github.com/gomlx/gomlx/ml/model"
	"github.com/gomlx/gomlx/ml/train"

	"github.com/regnb/regnb/internal/hook"
)

// Vectors says which vectors of a rank-2 kernel [Orthogonal] compares: its
// rows or its columns.
//
// A dense layer's units are the rows of an [OutIn] kernel ([out, in]: package
// layers, PyTorch) and the columns of an [InOut] one ([in, out]: GoMLX's
// layers.Dense and fnn, Keras); [KernelLayout.UnitVectors] says which.
// Keras's OrthogonalRegularizer takes the same mode on its [in, out] kernels,
// where mode="rows" (its default) compares the inputs' vectors and
// mode="columns" the units; on an OutIn kernel, their transpose, the same
// vectors are Columns and Rows.
type Vectors int

const (
	Rows    Vectors = iota // The rows w_i = W[i, :].
	Columns                // The columns w_j = W[:, j].
)

func (v Vectors) String() string {
	switch v {
	case Rows:
		return "Rows"
	case Columns:
		return "Columns"
	}
	return fmt.Sprintf("Vectors(%d)", int(v))
}

// UnitVectors returns the vectors of a kernel of layout l that hold its
// units' incoming weights: Rows for OutIn, Columns for InOut.
func (l KernelLayout) UnitVectors() Vectors {
	if l == InOut {
		return Columns
	}
	return Rows
}

// kerasEpsilon is Keras's backend.epsilon(): the floor of the norms in
// Orthogonal's normalization and the ε of the norm constraints.
const kerasEpsilon = 1e-7

// Orthogonal returns Keras's OrthogonalRegularizer(factor=λ, mode): for each
// rank-2 kernel W it is given, with w_1 … w_n its rows (Rows) or columns
// (Columns),
//
//	O(W) = λ·s(t)·(Σ_{i<j} |u_i·u_j|) / (n(n−1)/2),   u_i = w_i / max(‖w_i‖₂, ε),  ε = 10⁻⁷
//
// the mean over pairs of vectors of the absolute cosine of their angle, 0 for
// orthogonal vectors and 1 for parallel ones; the penalty is the sum of O(W)
// over the kernels, each with its own mean. Reported as term "Orthogonal".
// ε is Keras's backend.epsilon() and the normalization Keras's: a vector with
// ‖w_i‖₂ ≤ ε is divided by ε instead of its norm, so an all-zero vector has
// u_i = 0, adds 0 to every pair it is in (the pair still counts in the mean)
// and receives a zero gradient. With n < 2 there is no pair and O(W) = 0
// (Keras divides 0 by 0 there).
//
// Its gradient, with C_ij = u_i·u_j, S_ij = sign(C_ij) for i ≠ j and
// S_ii = 0, k = λ·s(t)/(n(n−1)) and g_i = 2·k·Σ_j S_ij·u_j, is
//
//	dO/dw_i = (g_i − (g_i·u_i)·u_i) / ‖w_i‖₂   where ‖w_i‖₂ > ε,
//	dO/dw_i = g_i / ε                          where ‖w_i‖₂ ≤ ε,
//
// with subgradient 0 for |·| at 0 (as [L1]): a pair already orthogonal is
// not pushed, and a zero vector stays where it is. Above ε it is invariant
// to the scale of each vector, and its gradient is orthogonal to w_i.
//
// Where it acts: in the loss, as [L1] (in a loss multiplied by c, c times
// the gradient). Apply it to kernels (a layer's Regularizer, or [Apply] with
// [KernelsOnly]): building the graph panics (an error from model.Exec or
// train.Trainer) naming any variable of rank other than 2, as Keras raises.
// Options: [WithName], [WithSchedule]; any other is an *[OptionError].
// Errors: lambda must be finite and ≥ 0; vectors Rows or Columns.
func Orthogonal(lambda float64, vectors Vectors, opts ...Option) (Regularizer, error) {
	const fn = "Orthogonal"
	o, err := newOptions(fn, inLossOptions, opts, strength{"lambda", lambda})
	if err != nil {
		return nil, err
	}
	if vectors != Rows && vectors != Columns {
		return nil, &ArgError{fn, "vectors", float64(vectors), "must be Rows or Columns"}
	}
	name := o.termName("Orthogonal")
	return func(g *graph.Graph, weights ...*model.Variable) {
		requireWeights(fn, weights)
		for _, v := range weights {
			if v.Shape().Rank() != 2 {
				panic(fmt.Errorf("regularizers.%s: %s has shape %v, want a rank-2 kernel (select kernels: KernelsOnly)",
					fn, v.Path(), v.Shape().Dimensions))
			}
		}
		dtype := weights[0].DType()
		total := graph.ScalarZero(g, dtype)
		if lambda == 0 {
			recordTerm(name, total)
			return
		}
		strength := strengthNode(g, dtype, lambda, o.schedule)
		for _, v := range weights {
			w := v.NodeValue(g)
			n := normalizeVectors(graph.StopGradient(w), vectors)
			if n.n < 2 {
				continue
			}
			k := graph.MulScalar(strength, 1/float64(n.n*(n.n-1))) // λ·s(t)/(n(n−1)).
			offDiagonal := n.cosines()
			total = graph.Add(total, graph.Mul(k, sumAbs(offDiagonal))) // Σ_{i≠j} is twice Σ_{i<j}.
			train.AddRegularizationLoss(hook.GradientOnly(w, func(c *graph.Node) *graph.Node {
				return n.gradient(graph.MulScalar(graph.Mul(k, c), 2), graph.Sign(offDiagonal), vectors)
			}))
		}
		AddTerm(name, total)
	}, nil
}

// normalized holds the n vectors x_i of a kernel normalized, as the rows of
// u ([n, d]): u_i = x_i·inv_i with inv_i = 1/max(‖x_i‖₂, ε), and above_i = 1
// where ‖x_i‖₂ > ε, else 0.
type normalized struct {
	u, inv, above *graph.Node
	n             int
}

// normalizeVectors normalizes the rows (Rows) or columns (Columns) of w.
func normalizeVectors(w *graph.Node, vectors Vectors) normalized {
	x := w
	if vectors == Columns {
		x = graph.Transpose(w, 0, 1)
	}
	norm := graph.Sqrt(graph.ReduceSum(graph.Square(x), 1))
	inv := graph.Reciprocal(graph.MaxScalar(norm, kerasEpsilon))
	above := graph.ConvertDType(graph.GreaterThan(norm, graph.Scalar(w.Graph(), w.DType(), kerasEpsilon)), w.DType())
	return normalized{u: graph.Mul(x, graph.InsertAxes(inv, 1)), inv: inv, above: above, n: x.Shape().Dimensions[0]}
}

// cosines returns C_ij = u_i·u_j for i ≠ j and 0 on the diagonal, [n, n].
func (n normalized) cosines() *graph.Node {
	c := graph.DotGeneral(n.u, []int{1}, nil, n.u, []int{1}, nil)
	return graph.Where(graph.Diagonal(n.u.Graph(), n.n), graph.ZerosLike(c), c)
}

// gradient returns dO/dW for O = (scale/2)·Σ_{i≠j}|C_ij|, given S = sign(C)
// with a zero diagonal, shaped as the kernel: g_i = scale·Σ_j S_ij·u_j, then
// (g_i − above_i·(g_i·u_i)·u_i)·inv_i.
func (n normalized) gradient(scale, signs *graph.Node, vectors Vectors) *graph.Node {
	gu := graph.Mul(graph.DotGeneral(signs, []int{1}, nil, n.u, []int{0}, nil), scale)
	along := graph.Mul(graph.ReduceSum(graph.Mul(gu, n.u), 1), n.above) // (g_i·u_i) where ‖w_i‖ > ε.
	grad := graph.Sub(gu, graph.Mul(n.u, graph.InsertAxes(along, 1)))
	grad = graph.Mul(grad, graph.InsertAxes(n.inv, 1))
	if vectors == Columns {
		grad = graph.Transpose(grad, 0, 1)
	}
	return grad
}
