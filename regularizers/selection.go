package regularizers

import (
	"fmt"
	"regexp"

	"github.com/gomlx/gomlx/core/graph"
	"github.com/gomlx/gomlx/ml/model"
)

// Selector decides whether a variable is penalized.
type Selector func(v *model.Variable) bool

// AllTrainable selects every trainable variable — weights and biases alike —
// as the tutorial does when it flattens all model parameters into one vector.
func AllTrainable(v *model.Variable) bool { return v.Trainable }

// KernelsOnly selects trainable variables named "weights" (the kernels of
// GoMLX's layers and of package layers), leaving out biases and normalization
// parameters, as Keras and GoMLX layers do.
func KernelsOnly(v *model.Variable) bool { return v.Trainable && v.Name() == "weights" }

// Match selects trainable variables whose full path (scope and name, e.g.
// "/dense_0/weights") matches the regular expression expr, like an optax mask.
func Match(expr string) (Selector, error) {
	re, err := regexp.Compile(expr)
	if err != nil {
		return nil, fmt.Errorf("regularizers.Match: invalid pattern %q: %w", expr, err)
	}
	return func(v *model.Variable) bool { return v.Trainable && re.MatchString(v.Path()) }, nil
}

// Not selects the trainable variables that sel does not select.
func Not(sel Selector) Selector {
	return func(v *model.Variable) bool { return v.Trainable && !sel(v) }
}

// Select returns the variables in scope (and below) that sel selects, in
// the store's order, or an error if none does.
func Select(scope *model.Scope, sel Selector) ([]*model.Variable, error) {
	var vars []*model.Variable
	for v := range scope.IterVariables() {
		if sel(v) {
			vars = append(vars, v)
		}
	}
	if len(vars) == 0 {
		return nil, fmt.Errorf("regularizers.Select: no variable in scope %q matches the selection", scope.Scope())
	}
	return vars, nil
}

// Apply applies reg to the variables in scope (and below) that sel selects —
// a model-level penalty, independent of which layers created the variables.
// Call it while building the training graph, after the model (inside the
// model function given to train.NewTrainer, or a model.Exec). Like GoMLX's
// graph functions it panics on error (no variable selected), which
// model.Exec and train.Trainer return as an error.
func Apply(scope *model.Scope, g *graph.Graph, reg Regularizer, sel Selector) {
	if reg == nil {
		return
	}
	vars, err := Select(scope, sel)
	if err != nil {
		panic(err)
	}
	reg(g, vars...)
}
