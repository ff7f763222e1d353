package regularizers

import (
	"github.com/gomlx/gomlx/core/graph"
	"github.com/gomlx/gomlx/ml/model"
)

// ProximalL1 returns the L1 penalty λ·s(t)·Σ|w| optimized by its proximal
// operator instead of its subgradient: after each optimizer step,
//
//	w ← sign(w)·max(|w| − η·λ·s(t), 0)
//
// (soft-thresholding), where η is the learning rate (the optimizer's, or
// [WithLearningRate]; divided by √t with [WithSGDDecay]). Weights whose magnitude falls below η·λ·s(t) become
// exactly 0 and stay there unless the data gradient moves them out, which is
// what makes a sparse — prunable — model.
//
// Where it acts: after the optimizer (a GoMLX per-step update; see
// [DecoupledWeightDecay]). Its value is reported as term "L1" and is part of
// the total loss, but it contributes no gradient: all of its effect is the
// step. Under plain SGD this is the proximal-gradient method for the penalty.
// Under Adam it is a heuristic: the threshold η·λ is a step in weight units,
// not preconditioned by Adam's second moment as Adam's own steps are, so it
// does not minimize the same objective as L1 inside Adam.
//
// Stacked on the same weights (through [Combine] or several regularizers),
// the soft-thresholds run one after the other, which is one soft-threshold by
// the sum of the thresholds.
//
// GoMLX's own regularizer.L1 instead zeroes every weight with |w| < λ after
// each step, regardless of the learning rate: a hard threshold on the weight,
// not the proximal step of the penalty it adds.
// Options: [WithName], [WithSchedule], [WithLearningRate], [WithSGDDecay].
// Errors: lambda must be finite and ≥ 0.
func ProximalL1(lambda float64, opts ...Option) (Regularizer, error) {
	return proximal("ProximalL1", opts, strength{"lambda", lambda}, strength{})
}

// ProximalElasticNet returns the Elastic Net penalty s(t)·(λ1·Σ|w| + λ2·Σw²)
// optimized by its proximal operator: after each optimizer step,
//
//	w ← sign(w)·max(|w| − η·λ1·s(t), 0) / (1 + 2·η·λ2·s(t))
//
// which yields exact zeros like [ProximalL1] and shrinks what remains like
// Ridge. Values are reported as terms "L1" and "L2" without gradients; where
// and how it acts, and how it stacks, is as for [ProximalL1].
// With l2 = 0 it is [ProximalL1].
// Options: [WithName], [WithSchedule], [WithLearningRate], [WithSGDDecay].
// Errors: l1 and l2 must be finite and ≥ 0.
func ProximalElasticNet(l1, l2 float64, opts ...Option) (Regularizer, error) {
	return proximal("ProximalElasticNet", opts, strength{"l1", l1}, strength{"l2", l2})
}

// proximal builds ProximalL1 (l2.name == "") and ProximalElasticNet; fn and
// the strengths' names are the ones the user called and wrote.
func proximal(fn string, opts []Option, l1, l2 strength) (Regularizer, error) {
	strengths := []strength{l1}
	if l2.name != "" {
		strengths = append(strengths, l2)
	}
	o, err := newOptions(fn, proximalOptions, opts, strengths...)
	if err != nil {
		return nil, err
	}
	l1Name, l2Name := o.partName("L1"), o.partName("L2")
	if l2.value == 0 {
		l1Name = o.termName("L1")
	}
	return func(g *graph.Graph, weights ...*model.Variable) {
		requireWeights(fn, weights)
		dtype := weights[0].DType()
		report := func(name string, strength float64, norm func(*graph.Node) *graph.Node) {
			value := graph.Mul(strengthNode(g, dtype, strength, o.schedule), sumOf(g, weights, norm))
			AddTerm(name, graph.StopGradient(value))
		}
		report(l1Name, l1.value, L1Norm)
		if l2.value != 0 {
			report(l2Name, l2.value, SquaredL2Norm)
		}
		if l1.value == 0 && l2.value == 0 {
			return
		}
		for _, v := range weights {
			afterStep(g, v, func(g *graph.Graph, w, _ *graph.Node) *graph.Node {
				eta := learningRate(g, o, fn, w.DType())
				threshold := graph.Mul(eta, strengthNode(g, w.DType(), l1.value, o.schedule))
				// sign(w)·max(|w| − t, 0) computed as w − clamp(w, −t, t): the
				// same values, +0 (not −0) for the zeros, in two passes.
				shrunk := graph.Sub(w, graph.Max(graph.Min(w, threshold), graph.Neg(threshold)))
				if l2.value != 0 {
					ridge := graph.Mul(eta, strengthNode(g, w.DType(), 2*l2.value, o.schedule))
					shrunk = graph.Div(shrunk, graph.OnePlus(ridge))
				}
				return shrunk
			})
		}
	}, nil
}
