package regularizers

import (
	"fmt"
	"regexp"

	"github.com/gomlx/gomlx/pkg/core/graph"
	"github.com/gomlx/gomlx/pkg/ml/context"
)

// Selector decides whether a variable is penalized.
type Selector func(v *context.Variable) bool

// AllTrainable selects every trainable variable — weights and biases alike —
// as the tutorial does when it flattens all model parameters into one vector.
func AllTrainable(v *context.Variable) bool { return v.Trainable }

// KernelsOnly selects trainable variables named "weights" (the kernels of
// GoMLX's layers and of package layers), leaving out biases and normalization
// parameters, as Keras and GoMLX layers do.
func KernelsOnly(v *context.Variable) bool { return v.Trainable && v.Name() == "weights" }

// Match selects trainable variables whose full path (scope and name, e.g.
// "/dense_0/weights") matches the regular expression expr, like an optax mask.
func Match(expr string) (Selector, error) {
	re, err := regexp.Compile(expr)
	if err != nil {
		return nil, fmt.Errorf("regularizers.Match: invalid pattern %q: %w", expr, err)
	}
	return func(v *context.Variable) bool { return v.Trainable && re.MatchString(v.ScopeAndName()) }, nil
}

// Not selects the trainable variables that sel does not select.
func Not(sel Selector) Selector {
	return func(v *context.Variable) bool { return v.Trainable && !sel(v) }
}

// Select returns the variables in ctx's scope (and below) that sel selects, in
// creation order, or an error if none does.
func Select(ctx *context.Context, sel Selector) ([]*context.Variable, error) {
	var vars []*context.Variable
	for v := range ctx.IterVariablesInScope() {
		if sel(v) {
			vars = append(vars, v)
		}
	}
	if len(vars) == 0 {
		return nil, fmt.Errorf("regularizers.Select: no variable in scope %q matches the selection", ctx.Scope())
	}
	return vars, nil
}

// Apply applies reg to the variables of ctx that sel selects — a model-level
// penalty, independent of which layers created the variables. Call it while
// building the training graph, after the model. Like GoMLX's graph functions it
// panics on error (no variable selected), which context.Exec returns as an
// error.
func Apply(ctx *context.Context, g *graph.Graph, reg Regularizer, sel Selector) {
	if reg == nil {
		return
	}
	vars, err := Select(ctx, sel)
	if err != nil {
		panic(err)
	}
	reg(ctx, g, vars...)
}
