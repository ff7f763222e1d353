package layers

import (
	"github.com/gomlx/gomlx/pkg/core/graph"

	"github.com/regnb/regnb/internal/hook"
)

// Linear returns y = x·W + b for x of shape [batch, in], W [in, out] and b
// [out] (b may be nil), with the gradients of the textbook backward pass:
//
//	dL/dx = dy·Wᵀ    dL/dW = xᵀ·dy    dL/db = Σ_batch dy
//
// where dy = dL/dy. The value is that of graph.Dot; only the way the gradient
// is built differs. GoMLX v0.26 differentiates a matrix product with a
// broadcast multiplication and a reduction, materializing a [batch, in, out]
// tensor that XLA fuses away but the pure-Go backend computes literally;
// Linear's backward is two matrix products instead.
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
		return graph.Dot(dy, graph.Transpose(graph.StopGradient(w), 0, 1))
	})
	wTie := hook.GradientOnly(w, func() *graph.Node {
		return graph.Dot(graph.Transpose(graph.StopGradient(x), 0, 1), dy)
	})
	y := graph.Dot(graph.StopGradient(x), graph.StopGradient(w))
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
