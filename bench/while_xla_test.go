//go:build xla

package bench

import (
	"testing"

	"github.com/gomlx/compute"
	"github.com/gomlx/compute/dtypes"
	"github.com/gomlx/compute/shapes"
	"github.com/gomlx/go-xla/compute/xla"
	"github.com/gomlx/gomlx/core/graph"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func init() { xla.EnableAutoInstall(false) }

// The three traps of GoMLX v0.28.2's While on go-xla v0.4.1 that
// regnb/experiment's loop of training steps works around (bench/README.md,
// "Upstream: While on XLA"), as minimal programs: each counts to 3 in a
// While, and each must fail as stated. When one of them starts to work, the
// workaround it documents can go.
func TestUpstreamWhileTraps(t *testing.T) {
	backend, err := compute.NewWithConfig("xla:cpu")
	if err != nil {
		t.Skipf("XLA's CPU PJRT plugin is not installed: %v", err)
	}
	count := func(bodyUses func(g *graph.Graph, i *graph.Node) *graph.Node, after func(*graph.Node) *graph.Node,
		paramName string) error {
		exec, err := graph.NewExec(backend, func(x *graph.Node) *graph.Node {
			g := x.Graph()
			body := graph.NewClosure(g, func(g *graph.Graph) []*graph.Node {
				i := graph.Parameter(g, paramName, shapes.Make(dtypes.Int32))
				if bodyUses != nil {
					return []*graph.Node{bodyUses(g, i)}
				}
				return []*graph.Node{graph.Add(i, x)}
			})
			cond := graph.NewClosure(g, func(g *graph.Graph) []*graph.Node {
				i := graph.Parameter(g, "cond_i", shapes.Make(dtypes.Int32))
				return []*graph.Node{graph.LessThan(i, graph.Const(g, int32(3)))}
			})
			out := graph.While(cond, body, graph.Const(g, int32(0)))[0]
			if after != nil {
				out = after(out)
			}
			return out
		})
		if err != nil {
			return err
		}
		_, err = exec.Exec(int32(1))
		return err
	}

	// 1. The body uses a value of the main function (x): StableHLO's element-wise
	// ops require their operands in the function being built (go-xla
	// stablehlo/ops.go:99, binaryOp); GoMLX never calls UseParentValue.
	err = count(nil, nil, "body_i")
	require.Error(t, err)
	assert.Contains(t, err.Error(), "because the operands are not part of the function")

	// 2. The body creates a scalar constant (AddScalar's 1), which GoMLX caches
	// per graph, not per function (core/graph/graph.go:832, getScalarConst);
	// the main function's AddScalar(…, 1) then reuses the body's constant, and
	// its Add lands in the body, already closed.
	err = count(func(_ *graph.Graph, i *graph.Node) *graph.Node { return graph.AddScalar(i, 1) },
		func(out *graph.Node) *graph.Node { return graph.AddScalar(out, 1) }, "body_i")
	require.Error(t, err)
	assert.Contains(t, err.Error(), "cannot add operation Add after returning, in function \"closure")

	// 3. A closure's parameter named like one of the main function's: the
	// StableHLO text reuses the name as an SSA value (go-xla
	// stablehlo/function.go:121, NamedInput), and XLA refuses the redefinition.
	err = count(func(g *graph.Graph, i *graph.Node) *graph.Node { return graph.Add(i, graph.Const(g, int32(1))) },
		nil, "arg0") // graph.Exec names its first input "arg0".
	require.Error(t, err)
	assert.Contains(t, err.Error(), "redefinition of SSA value")
}
