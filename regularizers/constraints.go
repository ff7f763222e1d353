package regularizers

import (
	"fmt"

	"github.com/gomlx/gomlx/core/graph"
	"github.com/gomlx/gomlx/ml/model"
)

// InputAxis returns the axis of a kernel of layout l that indexes its inputs
// (1 for OutIn, 0 for InOut): the axis whose norms are the units' incoming
// weights, for [MaxNorm], [MinMaxNorm], [UnitNorm] and [UnitNorms].
func (l KernelLayout) InputAxis() int {
	if l == InOut {
		return 0
	}
	return 1
}

// MaxNorm returns Keras's MaxNorm(max_value=c, axis) constraint: after each
// optimizer step, for every slice w of a selected variable along axis,
//
//	w ← w·min(‖w‖₂, c) / (ε + ‖w‖₂),   ε = 10⁻⁷ (Keras's backend.epsilon())
//
// so norms above c are brought to c (Srivastava et al.'s max-norm, used with
// dropout) and the others are left, but for the factor ‖w‖₂/(ε + ‖w‖₂) that
// Keras's ε also applies; a zero slice stays 0.
//
// The axis is Keras's: the norms are taken over it. For a dense kernel, each
// unit's incoming weights are a slice along its input axis,
// [KernelLayout.InputAxis]: 1 for OutIn kernels ([out, in]: package layers,
// PyTorch), 0 for InOut kernels ([in, out]: GoMLX's layers.Dense and fnn,
// and Keras's Dense, whose default is axis=0). [UnitNorms] reports how many
// units sit at the bound.
//
// Where it acts: after the optimizer, as Keras applies its constraints, and
// as [ProximalL1] and [DecoupledWeightDecay] act: a GoMLX per-step update
// (train.Trainer runs it; a hand-written loop calls
// train.ExecPerStepUpdateGraphFn after the optimizer) that sees the weights
// as the optimizer and the steps registered before it left them. Stacked
// steps run in the order registered ([Combine]'s order): ProximalL1 then
// MaxNorm soft-thresholds then rescales; MaxNorm then ProximalL1 the other
// way round. It adds nothing to the loss, reports no term and has no
// gradient.
//
// Errors: c must be finite and > 0, axis ≥ 0; building the graph panics (an
// error from model.Exec or train.Trainer) naming any selected variable that
// has no such axis.
func MaxNorm(c float64, axis int) (Regularizer, error) {
	const fn = "MaxNorm"
	if err := checkPositive(fn, "c", c); err != nil {
		return nil, err
	}
	if err := checkAxisArg(fn, axis); err != nil {
		return nil, err
	}
	return normStep(fn, axis, func(norms *graph.Node) *graph.Node { return graph.MinScalar(norms, c) }), nil
}

// MinMaxNorm returns Keras's MinMaxNorm(min_value=lo, max_value=hi, rate,
// axis) constraint: after each optimizer step, for every slice w of a
// selected variable along axis,
//
//	w ← w·(rate·clip(‖w‖₂, lo, hi) + (1 − rate)·‖w‖₂) / (ε + ‖w‖₂),   ε = 10⁻⁷
//
// rate = 1 enforces lo ≤ ‖w‖₂ ≤ hi strictly; rate < 1 moves the norms a
// fraction rate of the way into the interval at each step. A zero slice stays
// 0 (it has no direction to scale). Where it acts: after the optimizer, as
// [MaxNorm]. Errors: lo finite and ≥ 0, hi finite and > 0, lo ≤ hi, rate in
// [0, 1], axis ≥ 0; a selected variable without that axis, as [MaxNorm].
func MinMaxNorm(lo, hi, rate float64, axis int) (Regularizer, error) {
	const fn = "MinMaxNorm"
	if err := checkStrength(fn, "lo", lo); err != nil {
		return nil, err
	}
	if err := checkPositive(fn, "hi", hi); err != nil {
		return nil, err
	}
	if lo > hi {
		return nil, &ArgError{fn, "lo", lo, fmt.Sprintf("must be ≤ hi (%v)", hi)}
	}
	if err := checkRatio(fn, "rate", rate); err != nil {
		return nil, err
	}
	if err := checkAxisArg(fn, axis); err != nil {
		return nil, err
	}
	return normStep(fn, axis, func(norms *graph.Node) *graph.Node {
		clipped := graph.MulScalar(graph.ClipScalar(norms, lo, hi), rate)
		return graph.Add(clipped, graph.MulScalar(norms, 1-rate))
	}), nil
}

// UnitNorm returns Keras's UnitNorm(axis) constraint: after each optimizer
// step, for every slice w of a selected variable along axis,
//
//	w ← w / (ε + ‖w‖₂),   ε = 10⁻⁷
//
// (norms 1 but for ε; a zero slice stays 0). Where it acts: after the
// optimizer, as [MaxNorm]. Errors: axis ≥ 0; a selected variable without
// that axis, as [MaxNorm].
func UnitNorm(axis int) (Regularizer, error) {
	const fn = "UnitNorm"
	if err := checkAxisArg(fn, axis); err != nil {
		return nil, err
	}
	return normStep(fn, axis, func(norms *graph.Node) *graph.Node { return graph.OnesLike(norms) }), nil
}

// NonNeg returns Keras's NonNeg constraint: after each optimizer step, every
// element of the selected variables is clipped at 0,
//
//	w ← max(w, 0)
//
// Where it acts: after the optimizer, as [MaxNorm]. It has no argument to
// get wrong, so it returns no error.
func NonNeg() Regularizer {
	return func(g *graph.Graph, weights ...*model.Variable) {
		requireWeights("NonNeg", weights)
		for _, v := range weights {
			afterStep(g, v, func(_ *graph.Graph, w, _ *graph.Node) *graph.Node {
				return graph.Max(w, graph.ZerosLike(w))
			})
		}
	}
}

// normStep registers, for each weight, the step w ← w·desired(‖w‖)/(ε + ‖w‖)
// with the norms taken along axis (kept as an axis of size 1).
func normStep(fn string, axis int, desired func(norms *graph.Node) *graph.Node) Regularizer {
	return func(g *graph.Graph, weights ...*model.Variable) {
		requireWeights(fn, weights)
		for _, v := range weights {
			if err := checkAxis(fn, v, axis); err != nil {
				panic(err)
			}
		}
		for _, v := range weights {
			afterStep(g, v, func(_ *graph.Graph, w, _ *graph.Node) *graph.Node {
				norms := graph.Sqrt(graph.ReduceAndKeep(graph.Square(w), graph.ReduceSum, axis))
				return graph.Mul(w, graph.Div(desired(norms), graph.AddScalar(norms, kerasEpsilon)))
			})
		}
	}
}

// checkAxisArg accepts axes ≥ 0.
func checkAxisArg(fn string, axis int) error {
	if axis < 0 {
		return &ArgError{fn, "axis", float64(axis), "must be ≥ 0"}
	}
	return nil
}

// checkAxis tells whether v has the given axis.
func checkAxis(fn string, v *model.Variable, axis int) error {
	if rank := v.Shape().Rank(); axis >= rank {
		return &ArgError{fn, "axis", float64(axis), fmt.Sprintf("%s has shape %v, rank %d: select variables that have axis %d (KernelsOnly?)",
			v.Path(), v.Shape().Dimensions, rank, axis)}
	}
	return nil
}
