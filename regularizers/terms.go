package regularizers

import (
	"github.com/gomlx/gomlx/pkg/core/graph"
	"github.com/gomlx/gomlx/pkg/ml/context"
	"github.com/gomlx/gomlx/pkg/ml/train"
)

// Term is one named, weighted penalty of a training graph: the value added to
// the loss under that name (e.g. "L1" for λ·Σ|w|).
type Term struct {
	Name  string
	Value *graph.Node // Scalar.
}

// termsScope and termsKey locate the graph parameter holding a graph's terms.
const (
	termsScope = "/regularizers"
	termsKey   = "terms"
)

// AddTerm adds value (reduced to a scalar by its mean if it is not one) to the
// training loss with [train.AddLoss] and records it under name, so that
// [Terms] reports it. Terms with the same name are summed: a penalty applied
// layer by layer reports one value.
//
// Use it to add penalties of your own that should be reported like ours.
func AddTerm(ctx *context.Context, name string, value *graph.Node) {
	if !value.Shape().IsScalar() {
		value = graph.ReduceAllMean(value)
	}
	train.AddLoss(ctx, value)
	recordTerm(ctx, name, value)
}

// recordTerm records value under name without touching the loss.
func recordTerm(ctx *context.Context, name string, value *graph.Node) {
	g := value.Graph()
	ctxTerms := ctx.InAbsPath(termsScope)
	var terms []Term
	if v, found := ctxTerms.GetGraphParam(g, termsKey); found {
		terms = v.([]Term)
	}
	// Copy on write: a slice stored as a graph parameter is never mutated.
	next := make([]Term, len(terms), len(terms)+1)
	copy(next, terms)
	for i := range next {
		if next[i].Name == name {
			next[i].Value = graph.Add(next[i].Value, value)
			ctxTerms.SetGraphParam(g, termsKey, next)
			return
		}
	}
	ctxTerms.SetGraphParam(g, termsKey, append(next, Term{Name: name, Value: value}))
}

// Terms returns the terms recorded in graph g so far, in the order their names
// first appeared. It returns nil if no penalty was added.
//
// The data loss (without any penalty) is GoMLX's [train.GetLossNoRegularization]
// where the training loop set it; the total is [train.GetLosses].
func Terms(ctx *context.Context, g *graph.Graph) []Term {
	v, found := ctx.InAbsPath(termsScope).GetGraphParam(g, termsKey)
	if !found {
		return nil
	}
	return v.([]Term)
}
