package layers

import (
	"github.com/gomlx/gomlx/pkg/core/graph"

	"github.com/regnb/regnb/internal/hook"
)

// Linear returns y = x·Wᵀ + b for x of shape [batch, in], W [out, in] (the
// layout of PyTorch's nn.Linear) and b [out] (b may be nil), with the
// gradients of the textbook backward pass:
//
//	dL/dx = dy·W    dL/dW = dyᵀ·x    dL/db = Σ_batch dy
//
// where dy = dL/dy. The value is that of graph.DotGeneral; only the way the
// gradient is built differs. GoMLX v0.26 differentiates a matrix product with
// a broadcast multiplication and a reduction, materializing a [batch, out, in]
// tensor that XLA fuses away but the pure-Go backend computes literally;
// Linear's backward is two matrix products instead. The [out, in] layout
// keeps both operands of the forward product in the order the pure-Go
// backend multiplies them, so no weight matrix is transposed at each step.
//
// How: the forward product is computed with gradients stopped; x and W pass
// through identity nodes with custom gradients ("hooks") that are tied into y
// by an exactly-zero term (see internal/hook), and a last identity on y
// records dy when the reverse pass reaches it. GoMLX's reverse pass visits
// nodes from the newest to the oldest, so dy is known by the time the hooks of
// x and W (older nodes) compute their gradients from it. A hook whose input
// needs no gradient (the data) is never called.
func Linear(x, w, b *graph.Node) *graph.Node {
	var dy *graph.Node // Set by the reverse pass, before the hooks run.
	xTie := hook.GradientOnly(x, func() *graph.Node {
		return graph.Dot(dy, graph.StopGradient(w)) // [batch, out]·[out, in]
	})
	wTie := hook.GradientOnly(w, func() *graph.Node {
		return graph.DotGeneral(dy, []int{0}, nil, graph.StopGradient(x), []int{0}, nil) // Σ_batch dy ⊗ x
	})
	y := graph.DotGeneral(graph.StopGradient(x), []int{1}, nil, graph.StopGradient(w), []int{1}, nil)
	y = graph.Add(y, graph.Add(xTie, wTie))
	if b != nil {
		y = graph.Add(y, graph.InsertAxes(b, 0)) // Its gradient for b: Σ_batch dy.
	}
	return graph.IdentityWithCustomGradient(y, func(_, v *graph.Node) *graph.Node {
		dy = v
		return v
	})
}

// ReLU returns max(x, 0) with PyTorch's gradient: 1 where x > 0, else 0
// (GoMLX's activations.Relu passes the gradient at x = 0). NaN inputs stay NaN,
// so a diverging run is noticed.
func ReLU(x *graph.Node) *graph.Node {
	positive := graph.ConvertDType(graph.GreaterThan(x, graph.ScalarZero(x.Graph(), x.DType())), x.DType())
	return graph.Mul(x, graph.StopGradient(positive))
}
