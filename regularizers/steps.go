package regularizers

import (
	"fmt"

	"github.com/gomlx/compute/dtypes"
	"github.com/gomlx/gomlx/core/graph"
	"github.com/gomlx/gomlx/ml/model"
	"github.com/gomlx/gomlx/ml/train"
	"github.com/gomlx/gomlx/ml/train/optimizer"
)

// stepFn computes a variable's new value after the optimizer: w is its value
// after the optimizer's update and any earlier step, w0 its value before the
// training step.
type stepFn func(g *graph.Graph, w, w0 *graph.Node) *graph.Node

// afterStep registers step to run on v after the optimizer. GoMLX keeps one
// per-step update per scope, and a second registration in the same scope
// replaces the first; here every variable has one update of ours, which runs
// all the steps registered for it in graph g, in the order they were
// registered. So penalties stacked on the same weights all act.
func afterStep(g *graph.Graph, v *model.Variable, step stepFn) {
	store := model.GetStore(g)
	if store == nil {
		panic(fmt.Errorf("regularizers: %s: the graph has no model.Store (build it with model.NewExec or train.Trainer)", v.Path()))
	}
	key := model.JoinPath("/regularizers/steps", model.EscapeScopeName(v.Path()))
	var steps []stepFn
	if s, found := model.GetGraphParam(g, key); found {
		steps = s.([]stepFn)
	}
	model.SetGraphParam(g, key, append(steps[:len(steps):len(steps)], step))
	if len(steps) > 0 {
		return // Already registered: the update reads the list when it runs.
	}
	w0 := v.NodeValue(g) // The value before the optimizer's update.
	scope := store.Scope(v.Scope()).At("regularizers(%s)", v.Name())
	train.AddPerStepUpdateGraphFn(scope, g, func(_ *model.Scope, g *graph.Graph) {
		s, _ := model.GetGraphParam(g, key)
		w := v.NodeValue(g)
		for _, step := range s.([]stepFn) {
			w = step(g, w, w0)
		}
		v.SetNodeValue(w)
	})
}

// learningRate returns η as a scalar of dtype: the fixed one, or the rate the
// optimizer applied at this step (see [WithOptimizer]).
func learningRate(g *graph.Graph, o *options, fn string, dtype dtypes.DType) *graph.Node {
	if o.hasRate {
		return graph.Scalar(g, dtype, o.learningRate)
	}
	path := "/" + optimizer.Scope + "/" + optimizer.ParamLearningRate
	v := model.GetStore(g).GetVariable(path)
	if v == nil {
		panic(fmt.Errorf("regularizers.%s: no learning rate: GoMLX's optimizer creates %q when it builds its update; "+
			"run the optimizer first or pass WithLearningRate", fn, path))
	}
	eta := graph.ConvertDType(v.NodeValue(g), dtype)
	if o.sgdDecay { // GoMLX's SGD: η/√t, t the global step after its increment.
		t := optimizer.GetGlobalStepVar(model.GetStore(g)).NodeValue(g)
		eta = graph.Div(eta, graph.Sqrt(graph.ConvertDType(t, dtype)))
	}
	return eta
}
