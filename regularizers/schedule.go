package regularizers

import (
	"fmt"

	"github.com/gomlx/compute/dtypes"
	"github.com/gomlx/gomlx/core/graph"
	"github.com/gomlx/gomlx/ml/model"
	"github.com/gomlx/gomlx/ml/train/optimizer"
)

// Schedule returns the factor s(t) that multiplies a strength at global step t.
// step is GoMLX's global step: an Int64 scalar, the number of optimizer steps
// taken before the current one (0 during the first training step). The result
// must be a scalar of any float dtype, ≥ 0.
type Schedule func(step *graph.Node) *graph.Node

// Linear ramps the factor from `from` to `to` over `steps` steps, then holds it:
//
//	s(t) = from + (to − from)·min(1, t/steps)
//
// Errors: from and to must be finite and ≥ 0, steps > 0.
func Linear(from, to float64, steps int) (Schedule, error) {
	for _, s := range []strength{{"from", from}, {"to", to}} {
		if err := checkStrength("Linear", s.name, s.value); err != nil {
			return nil, err
		}
	}
	if steps <= 0 {
		return nil, &ArgError{"Linear", "steps", float64(steps), "must be > 0"}
	}
	return func(step *graph.Node) *graph.Node {
		t := graph.ConvertDType(step, dtypes.Float64)
		frac := graph.MinScalar(graph.DivScalar(t, float64(steps)), 1.0)
		return graph.AddScalar(graph.MulScalar(frac, to-from), from)
	}, nil
}

// LinearWarmup raises the strength from 0 to its full value over the first
// `steps` steps: s(t) = min(1, t/steps), which is Linear(0, 1, steps).
// Errors: steps must be > 0.
func LinearWarmup(steps int) (Schedule, error) {
	if steps <= 0 {
		return nil, &ArgError{"LinearWarmup", "steps", float64(steps), "must be > 0"}
	}
	return Linear(0, 1, steps)
}

// strengthNode returns λ·s(t) as a scalar of dtype.
func strengthNode(g *graph.Graph, dtype dtypes.DType, strength float64, s Schedule) *graph.Node {
	lambda := graph.Scalar(g, dtype, strength)
	if s == nil {
		return lambda
	}
	store := model.GetStore(g)
	if store == nil {
		panic(fmt.Errorf("regularizers: a schedule needs the global step, and the graph has no model.Store (build it with model.NewExec or train.Trainer)"))
	}
	step := optimizer.GetGlobalStepVar(store).NodeValue(g)
	return graph.Mul(lambda, graph.ConvertDType(s(step), dtype))
}
