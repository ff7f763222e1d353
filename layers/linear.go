package layers

import (
	"github.com/gomlx/gomlx/core/graph"

	"github.com/regnb/regnb/internal/hook"
)

// Linear returns y = x·Wᵀ + b for x of shape [batch, in], W [out, in] (the
// layout of PyTorch's nn.Linear) and b [out] (b may be nil), with the
// gradients of the textbook backward pass:
//
//	dL/dx = dy·W    dL/dW = dyᵀ·x    dL/db = Σ_batch dy
//
// where dy = dL/dy (whatever multiplies the loss is in dy: the chain rule).
// The value is that of graph.DotGeneral; only the way the gradient is built
// differs: the [out, in] layout and the two explicit products keep every
// operand in the order the pure-Go backend multiplies without a transposed
// copy. bench/README.md compares it with GoMLX's own gradient of DotGeneral.
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
	xTie := hook.Tie(graph.IdentityWithCustomGradient(x, func(_, _ *graph.Node) *graph.Node {
		return graph.Dot(dy, graph.StopGradient(w)).Product() // [batch, out]·[out, in]
	}))
	wTie := hook.Tie(graph.IdentityWithCustomGradient(w, func(_, _ *graph.Node) *graph.Node {
		// Σ_batch dy ⊗ x as dyᵀ [out, batch] · x [batch, in]: the contracting axis
		// last on the left and first on the right is the layout the pure-Go
		// backend multiplies with its SIMD kernel even when the batch (the
		// contracting size) is small; contracting axis 0 of both would
		// transpose x and take its scalar kernel (bench/README.md).
		return graph.DotGeneral(graph.Transpose(dy, 0, 1), []int{1}, nil, graph.StopGradient(x), []int{0}, nil)
	}))
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
// (GoMLX's activation.Relu passes the gradient at x = 0). NaN inputs stay NaN,
// so a diverging run is noticed.
func ReLU(x *graph.Node) *graph.Node {
	positive := graph.ConvertDType(graph.GreaterThan(x, graph.ScalarZero(x.Graph(), x.DType())), x.DType())
	return graph.Mul(x, graph.StopGradient(positive))
}
