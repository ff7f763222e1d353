package regularizers

import (
	"github.com/gomlx/gomlx/core/graph"
	"github.com/gomlx/gomlx/ml/model"
	"github.com/gomlx/gomlx/ml/train"
)

// Term is one named, weighted penalty of a training graph: the value added to
// the loss under that name (e.g. "L1" for λ·Σ|w|).
//
// The terms of this package's penalties are reports: their values are
// computed with gradients stopped (each penalty gives its gradient to the
// weights separately), so differentiating them yields zero. A term added
// with [AddTerm] keeps the gradient of the value given; where it shares its
// name with one of ours, the sum has that gradient only. To differentiate
// the penalties, use [train.GetRegularizationLoss], whose gradient is that of
// all of them.
type Term struct {
	Name  string
	Value *graph.Node // Scalar.
}

// termsPath is the graph parameter holding a graph's terms.
var termsPath = model.JoinPath("/regularizers", "terms")

// AddTerm adds value (reduced to a scalar by its mean if it is not one) to the
// graph's regularization loss with [train.AddRegularizationLoss] and records
// it under name, so that [Terms] reports it. Terms with the same name are
// summed: a penalty applied layer by layer reports one value.
//
// Use it to add penalties of your own that should be reported like ours.
// value keeps its gradient in the loss, and the recorded [Term] does too.
func AddTerm(name string, value *graph.Node) {
	if !value.Shape().IsScalar() {
		value = graph.ReduceAllMean(value)
	}
	train.AddRegularizationLoss(value)
	recordTerm(name, value)
}

// recordTerm records value under name without touching the loss.
func recordTerm(name string, value *graph.Node) {
	g := value.Graph()
	terms := Terms(g)
	// Copy on write: a slice stored as a graph parameter is never mutated.
	next := make([]Term, len(terms), len(terms)+1)
	copy(next, terms)
	for i := range next {
		if next[i].Name == name {
			next[i].Value = graph.Add(next[i].Value, value)
			model.SetGraphParam(g, termsPath, next)
			return
		}
	}
	model.SetGraphParam(g, termsPath, append(next, Term{Name: name, Value: value}))
}

// Terms returns the terms recorded in graph g so far, in the order their names
// first appeared. It returns nil if no penalty was added.
//
// The data loss (without any penalty) is GoMLX's [train.GetMainLoss] where the
// training loop set it; the sum of all penalties, with their gradients, is
// [train.GetRegularizationLoss], and the total [train.TotalLoss].
func Terms(g *graph.Graph) []Term {
	v, found := model.GetGraphParam(g, termsPath)
	if !found {
		return nil
	}
	terms, _ := v.([]Term)
	return terms
}
