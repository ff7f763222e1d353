package regularizers

import (
	"github.com/gomlx/gomlx/pkg/core/dtypes"
	"github.com/gomlx/gomlx/pkg/core/graph"
	"github.com/gomlx/gomlx/pkg/ml/context"
	"github.com/gomlx/gomlx/pkg/ml/train/optimizers"
)

// Schedule returns the factor s(t) that multiplies a strength at global step t.
// step is GoMLX's global step: an Int64 scalar, the number of optimizer steps
// taken before the current one (0 during the first training step). The result
// must be a scalar of any float dtype.
type Schedule func(step *graph.Node) *graph.Node

// Linear ramps the factor from `from` to `to` over `steps` steps, then holds it:
//
//	s(t) = from + (to − from)·min(1, t/steps)
//
// steps must be > 0.
func Linear(from, to float64, steps int) Schedule {
	if steps <= 0 {
		steps = 1
	}
	return func(step *graph.Node) *graph.Node {
		t := graph.ConvertDType(step, dtypes.Float64)
		frac := graph.MinScalar(graph.DivScalar(t, float64(steps)), 1.0)
		return graph.AddScalar(graph.MulScalar(frac, to-from), from)
	}
}

// LinearWarmup raises the strength from 0 to its full value over the first
// `steps` steps: s(t) = min(1, t/steps).
func LinearWarmup(steps int) Schedule { return Linear(0, 1, steps) }

// strengthNode returns λ·s(t) as a scalar of dtype.
func strengthNode(ctx *context.Context, g *graph.Graph, dtype dtypes.DType, strength float64, s Schedule) *graph.Node {
	lambda := graph.Scalar(g, dtype, strength)
	if s == nil {
		return lambda
	}
	step := optimizers.GetGlobalStepVar(ctx.InAbsPath(context.RootScope)).ValueGraph(g)
	return graph.Mul(lambda, graph.ConvertDType(s(step), dtype))
}
