package regularizers

import (
	"github.com/gomlx/gomlx/pkg/core/graph"
	"github.com/gomlx/gomlx/pkg/ml/context"
)

// ProximalL1 returns the L1 penalty λ·s(t)·Σ|w| optimized by its proximal
// operator instead of its subgradient: after each optimizer step,
//
//	w ← sign(w)·max(|w| − η·λ·s(t), 0)
//
// (soft-thresholding), where η is the learning rate (the optimizer's, or
// [WithLearningRate]). Weights whose magnitude falls below η·λ·s(t) become
// exactly 0 and stay there unless the data gradient moves them out, which is
// what makes a sparse — prunable — model.
//
// The penalty's value is still reported as term "L1" (and is part of the
// total loss), but it contributes no gradient: all of its effect is the step.
// Under Adam, η·λ is a step in weight units, while Adam's own steps are
// normalised; the threshold therefore does not depend on the gradient scale.
//
// GoMLX's own regularizers.L1 instead zeroes every weight with |w| < λ after
// each step, regardless of the learning rate: a hard threshold on the weight,
// not the proximal step of the penalty it adds.
// lambda (the strength λ) must be finite and ≥ 0.
func ProximalL1(lambda float64, opts ...Option) (Regularizer, error) {
	return ProximalElasticNet(lambda, 0, opts...)
}

// ProximalElasticNet returns the Elastic Net penalty s(t)·(λ1·Σ|w| + λ2·Σw²)
// optimized by its proximal operator: after each optimizer step,
//
//	w ← sign(w)·max(|w| − η·λ1·s(t), 0) / (1 + 2·η·λ2·s(t))
//
// which yields exact zeros like [ProximalL1] and shrinks what remains like
// Ridge. Values are reported as terms "L1" and "L2" without gradients.
// With l2 = 0 it is [ProximalL1].
func ProximalElasticNet(l1, l2 float64, opts ...Option) (Regularizer, error) {
	const fn = "ProximalElasticNet"
	o, err := newOptions(fn, opts, strength{"l1", l1}, strength{"l2", l2})
	if err != nil {
		return nil, err
	}
	l1Name, l2Name := o.partName("L1"), o.partName("L2")
	if l2 == 0 {
		l1Name = o.termName("L1")
	}
	return func(ctx *context.Context, g *graph.Graph, weights ...*context.Variable) {
		requireWeights(fn, weights)
		dtype := weights[0].DType()
		report := func(name string, strength float64, norm func(*graph.Node) *graph.Node) {
			value := graph.Mul(strengthNode(ctx, g, dtype, strength, o.schedule), sumOf(g, weights, norm))
			AddTerm(ctx, name, graph.StopGradient(value))
		}
		report(l1Name, l1, L1Norm)
		if l2 != 0 {
			report(l2Name, l2, SquaredL2Norm)
		}
		if l1 == 0 && l2 == 0 {
			return
		}
		for _, v := range weights {
			afterStep(ctx, g, "proximal", v, func(ctx *context.Context, g *graph.Graph) {
				w := v.ValueGraph(g)
				eta := learningRate(ctx, g, o, fn, w.DType())
				threshold := graph.Mul(eta, strengthNode(ctx, g, w.DType(), l1, o.schedule))
				// sign(w)·max(|w| − t, 0) computed as w − clamp(w, −t, t): the
				// same values, +0 (not −0) for the zeros, in two passes.
				shrunk := graph.Sub(w, graph.Max(graph.Min(w, threshold), graph.Neg(threshold)))
				if l2 != 0 {
					ridge := graph.Mul(eta, strengthNode(ctx, g, w.DType(), 2*l2, o.schedule))
					shrunk = graph.Div(shrunk, graph.OnePlus(ridge))
				}
				v.SetValueGraph(shrunk)
			})
		}
	}, nil
}
