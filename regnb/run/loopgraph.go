package run

import (
	"fmt"

	"github.com/gomlx/compute/dtypes"
	"github.com/gomlx/compute/shapes"
	"github.com/gomlx/gomlx/core/graph"
	"github.com/gomlx/gomlx/core/tensors"
	"github.com/gomlx/gomlx/ml/model"
)

// loopSteps returns the K of a run's loops of training steps (see
// execs.loopSteps) for a backend configuration and a number of steps per
// call: k on XLA (a While loop) with k > 1, else 0 (unrolled steps).
func loopSteps(backendConfig string, k int) int {
	if onDevice(backendConfig) && k > 1 {
		return k
	}
	return 0
}

// loop returns the graph function of up to K training steps run as a loop
// (XLA's While) in one executable call: K is the rows of idx [K, batch], and
// the call runs the first n (a scalar Int32 input) of them, so that one
// compiled graph serves every call length from 1 to K. Its outputs are
// those of steps: K data losses (the first n set, the others 0) and, if
// logged, the last step's total and terms.
//
// The graph must be built after a step has created the run's variables
// (execs.train runs a one-step graph first): the loop carries every variable
// of the store in its state, from parameters of the main function.
//
// With GoMLX v0.28.2 and go-xla v0.4.1 a loop's body cannot use a value of
// the main function (StableHLO's element-wise ops require their operands in
// the function being built: go-xla stablehlo/ops.go, binaryOp), and GoMLX
// caches scalar constants per graph, not per function (core/graph/graph.go,
// getScalarConst). So the body reads everything from the loop's state — the
// data sets, idx and n too, passed through unchanged — and it is built
// first: the main function holds only parameters, uncached constants and the
// loop.
func (sb *stepBuilder) loop(e *execs, logged bool) func(scope *model.Scope, images, labels, idx, n *graph.Node) []*graph.Node {
	return func(scope *model.Scope, images, labels, idx, n *graph.Node) []*graph.Node {
		g := idx.Graph()
		store := scope.Store()
		store.SetTraining(g, true)
		st := &loopState{inputs: []*graph.Node{graph.Const(g, int32(0)), images, labels, idx, n}}
		for v := range store.IterVariables() {
			st.vars = append(st.vars, v)
			st.inputs = append(st.inputs, v.NodeValue(g))
		}
		body := graph.NewClosure(g, func(g *graph.Graph) []*graph.Node { return sb.loopBody(scope, e, st, logged) })
		numVars := 0
		for range store.IterVariables() {
			numVars++
		}
		if numVars != len(st.vars) {
			panic(fmt.Errorf("a loop of training steps was built before a step created the run's variables (%d then %d)",
				len(st.vars), numVars))
		}
		cond := graph.NewClosure(g, func(g *graph.Graph) []*graph.Node {
			state := st.parameters(g)
			return []*graph.Node{graph.LessThan(state[0], state[4])} // step < n
		})
		out := graph.While(cond, body, st.initial(g)...)
		for j, v := range st.vars { // The new values, or the unchanged parameters back.
			if st.changed[j] {
				v.SetNodeValue(out[5+j])
			} else {
				v.SetNodeValue(st.inputs[5+j])
			}
		}
		return out[len(st.inputs):] // The losses, then the reported values.
	}
}

// loopState describes the state of a loop of training steps: the step
// number, the data sets, idx, n, every variable, then (created by the body)
// the data losses and the reported values of logged loops.
type loopState struct {
	inputs  []*graph.Node // The state's initial values from the step number to the variables.
	vars    []*model.Variable
	changed []bool         // Whether a step changes vars[j].
	shapes  []shapes.Shape // The whole state's, once the body is built.
}

// loopBody builds one training step on row step of idx, as the body of
// loop's While: it declares the state as its parameters and returns the
// state after the step.
func (sb *stepBuilder) loopBody(scope *model.Scope, e *execs, st *loopState, logged bool) []*graph.Node {
	g := st.inputs[0].Graph()
	in := make([]*graph.Node, len(st.inputs))
	for i, x := range st.inputs {
		in[i] = st.declare(g, x.Shape())
	}
	step, images, labels, idx := in[0], in[1], in[2], in[3]
	for j, v := range st.vars {
		v.SetNodeValue(in[5+j])
	}
	rows := graph.DynamicSlice(idx, []*graph.Node{step, graph.ScalarZero(g, dtypes.Int32)}, []int{1, idx.Shape().Dimensions[1]})
	x, y := batchRows(images, labels, graph.Reshape(rows, -1, 1))
	loss := graph.Reshape(sb.step(scope, x, y), 1)
	out := append([]*graph.Node{graph.AddScalar(step, 1)}, in[1:5]...)
	st.changed = make([]bool, len(st.vars))
	for j, v := range st.vars {
		out = append(out, v.NodeValue(g))
		st.changed[j] = out[len(out)-1] != in[5+j]
	}
	losses := st.declare(g, shapes.Make(loss.DType(), idx.Shape().Dimensions[0]))
	out = append(out, graph.DynamicUpdateSlice(losses, loss, []*graph.Node{step}))
	if logged {
		for _, value := range e.report(g) {
			st.declare(g, value.Shape())
			out = append(out, value)
		}
	}
	return out
}

// declare creates a parameter of the loop's body (being built in g) and
// records its shape as the next entry of the state. Names are the entries'
// numbers: a closure's parameter may not reuse a name of the main function
// (StableHLO's SSA names), such as a variable's path.
func (st *loopState) declare(g *graph.Graph, shape shapes.Shape) *graph.Node {
	st.shapes = append(st.shapes, shape)
	return graph.Parameter(g, fmt.Sprintf("body_%d", len(st.shapes)-1), shape)
}

// parameters declares the whole state as the parameters of the loop's
// condition, being built in g.
func (st *loopState) parameters(g *graph.Graph) []*graph.Node {
	params := make([]*graph.Node, len(st.shapes))
	for i, shape := range st.shapes {
		params[i] = graph.Parameter(g, fmt.Sprintf("cond_%d", i), shape)
	}
	return params
}

// initial returns the loop's initial state: the inputs, then zeros for the
// losses and the reported values (constants the graph does not cache).
func (st *loopState) initial(g *graph.Graph) []*graph.Node {
	init := append([]*graph.Node{}, st.inputs...)
	for _, shape := range st.shapes[len(st.inputs):] {
		init = append(init, graph.ConstTensor(g, tensors.FromShape(shape)))
	}
	return init
}
