package regularizers

import (
	"github.com/gomlx/gomlx/core/graph"
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

// The forms below compute the same values with operations that GoMLX's
// pure-Go backend runs fastest (branch-free element-wise operations: its Abs
// and Sign branch on every element). They are used with gradients stopped:
// the penalties give their gradients explicitly. (Sums stay ReduceAllSum: as
// a dot product with ones they are faster with simplego's small-matrix kernel
// but ~100× slower with its large-matrix one.)

// sumAbs returns Σ|x| as Σ max(x, −x).
func sumAbs(x *graph.Node) *graph.Node {
	return graph.ReduceAllSum(graph.Max(x, graph.Neg(x)))
}

// signBig is the scale used by scaledSign: |x| ≥ 1/signBig maps to ±λ.
const signBig = 1e30

// scaledSign returns λ·sign(x) for a scalar λ of either sign, branch-free, as
// clamp(x·10³⁰·sign(λ), −|λ|, |λ|): exactly ±λ for |x| ≥ 10⁻³⁰, exactly 0 at
// 0, NaN for NaN. (Float32 weights between 0 and 10⁻³⁰ in magnitude get a
// value in between, still a valid subgradient for all practical purposes.)
// Only scalars are computed besides the three element-wise passes.
func scaledSign(x, lambda *graph.Node) *graph.Node {
	limit := graph.Abs(lambda)
	big := graph.MulScalar(graph.Sign(lambda), signBig)
	return graph.Max(graph.Min(graph.Mul(x, big), limit), graph.Neg(limit))
}
