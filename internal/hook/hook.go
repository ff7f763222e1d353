// Package hook builds nodes whose gradient is given explicitly, the way
// regnb's layers and regularizers express backward passes that GoMLX's
// autodiff would build with more operations on its pure-Go backend.
package hook

import (
	"github.com/gomlx/compute/dtypes"
	"github.com/gomlx/compute/shapes"
	"github.com/gomlx/gomlx/core/graph"
)

// Tie returns a scalar that is exactly 0 (for finite h) but depends on h, so
// that the reverse pass reaches h. It reads one element of h, so it costs
// O(1) to compute; the gradient it sends back to h is a one-hot tensor that
// custom-gradient hooks ignore (and the backend then never computes).
func Tie(h *graph.Node) *graph.Node {
	s := h
	if h.Rank() > 0 {
		// Gather element [0, 0, …]: O(1), where a reduction would read all of h.
		origin := graph.Zeros(h.Graph(), shapes.Make(dtypes.Int32, 1, h.Rank()))
		s = graph.Reshape(graph.Gather(h, origin))
	}
	return graph.Sub(s, graph.StopGradient(s))
}

// GradientOnly returns a scalar that is exactly 0 (for finite x) whose
// gradient with respect to x is grad(scale): a tensor shaped like x, built
// when the reverse pass reaches it. scale is the scalar gradient that arrives
// at the returned node, that is, the factor that multiplies it in the loss
// (1 when it is simply added; 3 if the loss is multiplied by 3). grad must
// multiply its result by scale: that is the chain rule.
//
// Added to a loss, the returned node contributes scale·g(x) to x's gradient
// and nothing to the loss value.
func GradientOnly(x *graph.Node, grad func(scale *graph.Node) *graph.Node) *graph.Node {
	var scale *graph.Node // Set by the reverse pass before the inner hook runs.
	tie := Tie(graph.IdentityWithCustomGradient(x, func(_, _ *graph.Node) *graph.Node { return grad(scale) }))
	// GoMLX's reverse pass visits nodes from the newest to the oldest, so this
	// hook (newer) records the incoming scale before the one on x (older) uses it.
	return graph.IdentityWithCustomGradient(tie, func(_, v *graph.Node) *graph.Node {
		scale = v
		return v
	})
}
