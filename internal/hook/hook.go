// Package hook builds nodes whose gradient is given explicitly, the way
// regnb's layers and regularizers express backward passes that GoMLX's
// autodiff would build slowly on its pure-Go backend.
package hook

import (
	"github.com/gomlx/gomlx/pkg/core/dtypes"
	"github.com/gomlx/gomlx/pkg/core/graph"
	"github.com/gomlx/gomlx/pkg/core/shapes"
)

// Tie returns a scalar that is exactly 0 (for finite h) but depends on h, so
// that the reverse pass reaches h. It reads one element of h, so it costs
// O(1) to compute; the gradient it sends back to h is a one-hot tensor that
// custom-gradient hooks ignore (and the backend then never computes).
func Tie(h *graph.Node) *graph.Node {
	s := h
	if h.Rank() > 0 {
		// Gather element [0, 0, …] (Slice would do, but its gradient needs Pad,
		// which the pure-Go backend lacks).
		origin := graph.Zeros(h.Graph(), shapes.Make(dtypes.Int32, 1, h.Rank()))
		s = graph.Reshape(graph.Gather(h, origin))
	}
	return graph.Sub(s, graph.StopGradient(s))
}

// GradientOnly returns a scalar that is exactly 0 (for finite x) and whose
// gradient with respect to x is grad(), a tensor shaped like x built when the
// reverse pass reaches it. Added to a loss, it contributes grad() to x's
// gradient and nothing to the loss value.
func GradientOnly(x *graph.Node, grad func() *graph.Node) *graph.Node {
	return Tie(graph.IdentityWithCustomGradient(x, func(_, _ *graph.Node) *graph.Node { return grad() }))
}
