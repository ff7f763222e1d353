package regularizers

import (
	"github.com/gomlx/gomlx/core/graph"
	"github.com/gomlx/gomlx/ml/model"
	"github.com/gomlx/gomlx/ml/train"

	"github.com/regnb/regnb/internal/hook"
)

// GroupLasso returns the group lasso penalty over hidden units (Yuan & Lin;
// Scardapane et al. for neural networks):
//
//	GL(w) = λ·s(t)·Σ_g f_g·√n_g·‖w_g‖₂
//
// where g ranges over the hidden units of the dense layers it is given (see
// [Units] for what a group holds), n_g is the number of parameters in group g,
// ‖w_g‖₂ their Euclidean norm and f_g the factor of g's layer
// (Units.LayerFactors; 1 by default). Reported as term "GroupLasso". Its gradient
// for the parameters of group g is
//
//	λ·s(t)·f_g·√n_g·w_g/‖w_g‖₂,  and 0 where w_g = 0 (the subgradient of least norm),
//
// times c where the loss multiplies the penalty by c (the chain rule). It
// drives whole units towards zero together; under a gradient optimizer they
// hover near it, and [ProximalGroupLasso] makes them exactly zero, so that
// the units can be pruned (a smaller network, not only scattered zeros).
//
// Where it acts: in the loss, as [L1]. Apply it to the whole network at once
// (regularizers.Apply with AllTrainable or KernelsOnly): it needs consecutive
// layers.
// Options: [WithName], [WithSchedule]; any other is an *[OptionError].
// Errors: lambda must be finite and ≥ 0; building the graph panics (an error
// from model.Exec or train.Trainer) when fewer than two kernels are given or
// the layers do not chain.
func GroupLasso(lambda float64, units Units, opts ...Option) (Regularizer, error) {
	const fn = "GroupLasso"
	o, err := newOptions(fn, inLossOptions, opts, strength{"lambda", lambda})
	if err == nil {
		err = units.check(fn)
	}
	if err != nil {
		return nil, err
	}
	name := o.termName("GroupLasso")
	return func(g *graph.Graph, weights ...*model.Variable) {
		requireWeights(fn, weights)
		layers := units.layers(fn, weights)
		dtype := weights[0].DType()
		if lambda == 0 {
			recordTerm(name, graph.ScalarZero(g, dtype))
			return
		}
		strength := strengthNode(g, dtype, lambda, o.schedule)
		var total *graph.Node
		for _, l := range layers {
			scale := l.scale(strength)
			s := graph.StopGradient(l.squaredNorms(g, units, func(v *model.Variable) *graph.Node { return v.NodeValue(g) }))
			total = sum(total, graph.Mul(scale, graph.ReduceAllSum(graph.Sqrt(s))))
			k := graph.Mul(safeInverse(graph.Sqrt(s)), scale) // λ·s(t)·√n/‖w_g‖, 0 at w_g = 0.
			vars, axes := l.parts(units)
			for i, v := range vars {
				w, axis := v.NodeValue(g), axes[i]
				train.AddRegularizationLoss(hook.GradientOnly(w, func(c *graph.Node) *graph.Node {
					return graph.Mul(w, perUnit(graph.Mul(k, c), w, axis))
				}))
			}
		}
		AddTerm(name, total)
	}, nil
}

// ProximalGroupLasso returns the group lasso penalty of [GroupLasso]
// optimized by its proximal operator, the block soft-threshold: after each
// optimizer step, for every group g,
//
//	w_g ← w_g·max(0, 1 − η·λ·s(t)·f_g·√n_g/‖w_g‖₂)
//
// where η is the learning rate (the optimizer's, or [WithLearningRate];
// divided by √t with [WithSGDDecay]). Groups whose norm falls below η·λ·s(t)·f_g·√n_g become
// exactly zero — whole units, which layers.Prune (package
// github.com/regnb/regnb/layers) then removes. The value is
// reported as term "GroupLasso" without a gradient. Where it acts: after the
// optimizer, as [ProximalL1] (a heuristic under Adam, exact proximal gradient
// under SGD); stacked steps run in order.
// Options: [WithName], [WithSchedule], [WithLearningRate], [WithSGDDecay].
// Errors: as [GroupLasso].
func ProximalGroupLasso(lambda float64, units Units, opts ...Option) (Regularizer, error) {
	const fn = "ProximalGroupLasso"
	o, err := newOptions(fn, proximalOptions, opts, strength{"lambda", lambda})
	if err == nil {
		err = units.check(fn)
	}
	if err != nil {
		return nil, err
	}
	name := o.termName("GroupLasso")
	return func(g *graph.Graph, weights ...*model.Variable) {
		requireWeights(fn, weights)
		layers := units.layers(fn, weights)
		dtype := weights[0].DType()
		strength := strengthNode(g, dtype, lambda, o.schedule)
		var total *graph.Node
		for _, l := range layers {
			s := l.squaredNorms(g, units, func(v *model.Variable) *graph.Node { return v.NodeValue(g) })
			total = sum(total, graph.Mul(l.scale(strength), graph.ReduceAllSum(graph.Sqrt(s))))
		}
		AddTerm(name, graph.StopGradient(total))
		if lambda == 0 {
			return
		}
		for _, l := range layers {
			vars, axes := l.parts(units)
			afterStepGroup(g, vars, func(g *graph.Graph, cur values) {
				dtype := cur[l.kernel].DType()
				threshold := l.scale(graph.Mul(learningRate(g, o, fn, dtype), strengthNode(g, dtype, lambda, o.schedule))) // η·λ·s(t)·√n
				norm := graph.Sqrt(l.squaredNorms(g, units, func(v *model.Variable) *graph.Node { return cur[v] }))
				factor := graph.Max(graph.OneMinus(graph.Mul(threshold, safeInverse(norm))), graph.ZerosLike(norm))
				for i, v := range vars {
					cur[v] = graph.Mul(cur[v], perUnit(factor, cur[v], axes[i]))
				}
			})
		}
	}, nil
}
