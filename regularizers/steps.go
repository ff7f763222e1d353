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

// values maps variables to their current values during the steps after the
// optimizer.
type values map[*model.Variable]*graph.Node

// groupStepFn updates the values of several variables at once (group lasso's
// block soft-threshold), reading and writing cur.
type groupStepFn func(g *graph.Graph, cur values)

// steps is the graph's list of steps after the optimizer, in registration
// order, with each variable's value before the training step.
type steps struct {
	order  []groupStepFn
	vars   []*model.Variable // In the order first registered.
	before values
}

var stepsPath = model.JoinPath("/regularizers", "steps")

// afterStep registers step to run on v after the optimizer.
func afterStep(g *graph.Graph, v *model.Variable, step stepFn) {
	afterStepGroup(g, []*model.Variable{v}, func(g *graph.Graph, cur values) {
		cur[v] = step(g, cur[v], stepsOf(g).before[v])
	})
}

// afterStepGroup registers step to run on vars after the optimizer.
//
// GoMLX keeps one per-step update per scope, and a second registration in the
// same scope replaces the first. Here all of a graph's steps run in one update
// of ours: it reads every variable concerned after the optimizer, runs the
// steps in the order they were registered, each on the values the previous
// ones left, and stores the results. So penalties stacked on the same weights
// all act, and a step on a group of variables sees them all at once.
func afterStepGroup(g *graph.Graph, vars []*model.Variable, step groupStepFn) {
	store := model.GetStore(g)
	if store == nil {
		panic(fmt.Errorf("regularizers: %s: the graph has no model.Store (build it with model.NewExec or train.Trainer)", vars[0].Path()))
	}
	prev := stepsOf(g)
	next := &steps{before: values{}}
	if prev != nil {
		next.order = append(next.order, prev.order...)
		next.vars = append(next.vars, prev.vars...)
		for v, w0 := range prev.before {
			next.before[v] = w0
		}
	}
	for _, v := range vars {
		if _, found := next.before[v]; !found {
			next.before[v] = v.NodeValue(g) // The value before the optimizer's update.
			next.vars = append(next.vars, v)
		}
	}
	next.order = append(next.order, step)
	model.SetGraphParam(g, stepsPath, next)
	if prev != nil {
		return // Already registered: the update reads the list when it runs.
	}
	train.AddPerStepUpdateGraphFn(store.Scope("/regularizers"), g, func(_ *model.Scope, g *graph.Graph) {
		s := stepsOf(g)
		cur := values{}
		for _, v := range s.vars {
			cur[v] = v.NodeValue(g) // After the optimizer.
		}
		for _, step := range s.order {
			step(g, cur)
		}
		for _, v := range s.vars {
			v.SetNodeValue(cur[v])
		}
	})
}

// stepsOf returns the steps registered in g, or nil.
func stepsOf(g *graph.Graph) *steps {
	s, found := model.GetGraphParam(g, stepsPath)
	if !found {
		return nil
	}
	return s.(*steps)
}

// learningRate returns the rate η_t of a step after the optimizer as a
// scalar of dtype: η, the fixed one (WithLearningRate) or the optimizer's
// variable, divided by √t with WithSGDDecay.
func learningRate(g *graph.Graph, o *options, fn string, dtype dtypes.DType) *graph.Node {
	var eta *graph.Node
	if o.given&optLearningRate != 0 {
		eta = graph.Scalar(g, dtype, o.learningRate)
	} else {
		path := "/" + optimizer.Scope + "/" + optimizer.ParamLearningRate
		v := model.GetStore(g).GetVariable(path)
		if v == nil {
			panic(fmt.Errorf("regularizers.%s: no learning rate: GoMLX's optimizer creates %q when it builds its update; "+
				"run the optimizer first or pass WithLearningRate", fn, path))
		}
		eta = graph.ConvertDType(v.NodeValue(g), dtype)
	}
	if o.sgdDecay { // GoMLX's SGD: η/√t, t the global step after its increment.
		t := optimizer.GetGlobalStepVar(model.GetStore(g)).NodeValue(g)
		eta = graph.Div(eta, graph.Sqrt(graph.ConvertDType(t, dtype)))
	}
	return eta
}

// NextStep starts another training step in graph g, for loops that build
// several training steps in one graph (k optimizer steps per executable
// call). Call it between two steps, after the previous step's optimizer
// update and train.ExecPerStepUpdateGraphFn:
//
//	for i := range k {
//		if i > 0 {
//			regularizers.NextStep(g)
//		}
//		train.AddMainLoss(dataLoss(i))
//		regularizers.Apply(scope, g, penalty, regularizers.AllTrainable)
//		opt.UpdateGraph(scope, g, train.TotalLoss(g))
//		train.ExecPerStepUpdateGraphFn(g)
//	}
//
// It restarts what accumulates per graph rather than per step: GoMLX's main
// and regularization losses (train.GetMainLoss and
// train.GetRegularizationLoss, set to 0 of their dtype), the terms reported
// by [Terms], and the steps after the optimizer. Without it, step i's total
// loss and terms are sums over steps 0…i, and step i re-applies every earlier
// step's proximal updates, decoupled decays and constraints after its own
// optimizer update (ProximalL1 would soft-threshold i+1 times). A graph of one
// step, and train.Trainer, which builds one step per graph, need no call.
func NextStep(g *graph.Graph) {
	for _, key := range []string{train.TrainerMainLossGraphParamKey, train.TrainerRegularizationLossGraphParamKey} {
		path := model.JoinPath(train.TrainerAbsoluteScope, key)
		if v, found := model.GetGraphParam(g, path); found {
			if loss, ok := v.(*graph.Node); ok && loss != nil {
				model.SetGraphParam(g, path, graph.ScalarZero(g, loss.DType()))
			}
		}
	}
	model.SetGraphParam(g, termsPath, []Term(nil))
	if stepsOf(g) != nil {
		model.SetGraphParam(g, stepsPath, &steps{before: values{}})
	}
}
