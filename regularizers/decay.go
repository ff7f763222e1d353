package regularizers

import (
	"github.com/gomlx/gomlx/core/graph"
	"github.com/gomlx/gomlx/ml/model"
	"github.com/gomlx/gomlx/ml/train"

	"github.com/regnb/regnb/internal/hook"
)

// CoupledWeightDecay returns PyTorch's weight_decay for Adam and SGD: before
// the optimizer sees the gradient,
//
//	g ← g + wd·s(t)·w
//
// for the weights it is given (it acts on the gradient). This is the gradient
// of the penalty (wd/2)·Σw², so CoupledWeightDecay(wd) trains like L2(wd/2)
// when the loss is not scaled — but, as in PyTorch, it is a property of the
// optimizer step, not of the loss: it adds nothing to the reported loss,
// records no term, and does not scale with a factor that multiplies the loss.
// Under Adam the decay is normalised with the rest of the gradient.
//
// Unlike GoMLX's Adam().WeightDecay, which decays every variable (biases
// included), it touches only the weights it is applied to (see [Apply]).
// Options: [WithSchedule] only (it reports no term and uses no learning
// rate); any other is an *[OptionError].
// Errors: wd must be finite and ≥ 0.
func CoupledWeightDecay(wd float64, opts ...Option) (Regularizer, error) {
	const fn = "CoupledWeightDecay"
	o, err := newOptions(fn, coupledOptions, opts, strength{"wd", wd})
	if err != nil {
		return nil, err
	}
	return func(g *graph.Graph, weights ...*model.Variable) {
		requireWeights(fn, weights)
		if wd == 0 {
			return
		}
		rate := strengthNode(g, weights[0].DType(), wd, o.schedule)
		for _, v := range weights {
			// Value exactly 0, gradient wd·s(t)·w whatever multiplies it: the
			// decay reaches the optimizer through the gradient and never shows
			// in the loss.
			w := v.NodeValue(g)
			train.AddRegularizationLoss(hook.GradientOnly(w, func(*graph.Node) *graph.Node { return graph.Mul(w, rate) }))
		}
	}, nil
}

// DecoupledWeightDecay returns AdamW's weight decay (Loshchilov & Hutter), as
// PyTorch's AdamW and optax's adamw apply it: after each optimizer step,
//
//	w ← w − η·wd·s(t)·w₀
//
// where w on the right is the weight after the optimizer's update, w₀ its
// value before the step (so the step is w₀ − η·wd·s(t)·w₀ − η·update), and η
// the learning rate (the optimizer's "/optimizers/learning_rate", or
// [WithLearningRate]; divided by √t with [WithSGDDecay]). It acts after the optimizer, is not a gradient term
// (Adam does not normalise it), and adds nothing to the loss.
//
// It runs as a GoMLX per-step update: train.Trainer applies those after the
// optimizer; a hand-written loop must call [train.ExecPerStepUpdateGraphFn].
// Applied twice to the same weights (through [Combine], or a layer's and a
// model-level regularizer), both decays act: their strengths add.
// Options: [WithSchedule], [WithLearningRate], [WithSGDDecay] (not WithName:
// it reports no term); any other is an *[OptionError].
// Errors: wd must be finite and ≥ 0; applied in a graph without a learning
// rate variable and without WithLearningRate, building the graph panics with
// an error naming DecoupledWeightDecay.
func DecoupledWeightDecay(wd float64, opts ...Option) (Regularizer, error) {
	const fn = "DecoupledWeightDecay"
	o, err := newOptions(fn, decoupledOptions, opts, strength{"wd", wd})
	if err != nil {
		return nil, err
	}
	return func(g *graph.Graph, weights ...*model.Variable) {
		requireWeights(fn, weights)
		if wd == 0 {
			return
		}
		for _, v := range weights {
			afterStep(g, v, func(g *graph.Graph, w, w0 *graph.Node) *graph.Node {
				rate := graph.Mul(learningRate(g, o, fn, w.DType()), strengthNode(g, w.DType(), wd, o.schedule))
				return graph.Sub(w, graph.Mul(rate, w0))
			})
		}
	}, nil
}
