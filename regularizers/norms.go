package regularizers

import (
	"github.com/gomlx/gomlx/pkg/core/graph" // GoMLX's idiomatic dot-import.
)

// L1Norm returns Σ|x|, the sum of the absolute values of all elements of x, as
// a scalar of x's dtype.
//
// Its gradient is sign(x), with the subgradient 0 at x = 0 (as PyTorch's
// abs(x).sum() backward; GoMLX's Abs takes +1 there). Zero is the
// minimum-norm subgradient: a weight that is exactly 0 is not pushed away from
// it by the penalty.
func L1Norm(x *graph.Node) *graph.Node {
	// sign(x)·x == |x| exactly, and the gradient flows only through the second
	// factor, since Sign stops gradients: d/dx = sign(x).
	return graph.ReduceAllSum(graph.Mul(graph.Sign(x), x))
}

// SquaredL2Norm returns Σx², the sum of the squares of all elements of x, as a
// scalar of x's dtype. Its gradient is 2x.
func SquaredL2Norm(x *graph.Node) *graph.Node {
	return graph.ReduceAllSum(graph.Square(x))
}
