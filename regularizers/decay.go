package regularizers

import (
	"fmt"

	"github.com/gomlx/gomlx/pkg/core/dtypes"
	"github.com/gomlx/gomlx/pkg/core/graph"
	"github.com/gomlx/gomlx/pkg/ml/context"
	"github.com/gomlx/gomlx/pkg/ml/train"
	"github.com/gomlx/gomlx/pkg/ml/train/optimizers"

	"github.com/regnb/regnb/internal/hook"
)

// CoupledWeightDecay returns PyTorch's weight_decay for Adam and SGD (and
// Adam's in GoMLX's sense): before the optimizer sees the gradient,
//
//	g ← g + wd·s(t)·w
//
// for the weights it is given. This is exactly the gradient of the penalty
// (wd/2)·Σw², so CoupledWeightDecay(wd) trains like L2(wd/2) — but, as in
// PyTorch, it adds nothing to the reported loss and records no term.
// Under Adam the decay is normalised with the rest of the gradient.
//
// Unlike GoMLX's Adam().WeightDecay, which decays every variable (biases
// included), it touches only the weights it is applied to (see [Apply]).
// wd must be finite and ≥ 0.
func CoupledWeightDecay(wd float64, opts ...Option) (Regularizer, error) {
	o, err := newOptions("CoupledWeightDecay", opts, strength{"weight decay", wd})
	if err != nil {
		return nil, err
	}
	return func(ctx *context.Context, g *graph.Graph, weights ...*context.Variable) {
		requireWeights("CoupledWeightDecay", weights)
		if wd == 0 {
			return
		}
		rate := strengthNode(ctx, g, weights[0].DType(), wd, o.schedule)
		for _, v := range weights {
			// Value exactly 0, gradient wd·s(t)·w: the decay reaches the
			// optimizer through the gradient and never shows in the loss.
			w := v.ValueGraph(g)
			train.AddLoss(ctx, hook.GradientOnly(w, func() *graph.Node { return graph.Mul(w, rate) }))
		}
	}, nil
}

// DecoupledWeightDecay returns AdamW's weight decay (Loshchilov & Hutter):
// after each optimizer step,
//
//	w ← w − η·wd·s(t)·w
//
// where η is the learning rate (the optimizer's, or [WithLearningRate]). It is
// not a gradient term, so Adam does not normalise it; it adds nothing to the
// loss. It runs as a GoMLX per-step update: train.Trainer applies those after
// the optimizer; a hand-written loop must call [train.ExecPerStepUpdateGraphFn].
//
// GoMLX's "adamw" optimizer entry reads its decay from a context parameter and
// silently decays nothing when it is unset; here a zero decay must be asked for.
// wd must be finite and ≥ 0.
func DecoupledWeightDecay(wd float64, opts ...Option) (Regularizer, error) {
	o, err := newOptions("DecoupledWeightDecay", opts, strength{"weight decay", wd})
	if err != nil {
		return nil, err
	}
	return func(ctx *context.Context, g *graph.Graph, weights ...*context.Variable) {
		requireWeights("DecoupledWeightDecay", weights)
		if wd == 0 {
			return
		}
		for _, v := range weights {
			afterStep(ctx, g, "decoupled_decay", v, func(ctx *context.Context, g *graph.Graph) {
				w := v.ValueGraph(g)
				rate := graph.Mul(learningRate(ctx, g, o, "DecoupledWeightDecay", w.DType()),
					strengthNode(ctx, g, w.DType(), wd, o.schedule))
				v.SetValueGraph(graph.Sub(w, graph.Mul(rate, w)))
			})
		}
	}, nil
}

// afterStep registers fn to run after the optimizer step, in a scope of its
// own per variable and kind (GoMLX keeps one such function per scope).
func afterStep(ctx *context.Context, g *graph.Graph, kind string, v *context.Variable, fn train.ContextGraphFn) {
	scoped := ctx.InAbsPath(v.Scope()).Inf("regularizers.%s(%s)", kind, v.Name())
	train.AddPerStepUpdateGraphFn(scoped, g, fn)
}

// learningRate returns η as a scalar of dtype: the fixed one, or the
// optimizer's learning-rate variable.
func learningRate(ctx *context.Context, g *graph.Graph, o *options, fn string, dtype dtypes.DType) *graph.Node {
	if o.learningRate >= 0 {
		return graph.Scalar(g, dtype, o.learningRate)
	}
	v := ctx.InspectVariable(context.RootScope+optimizers.Scope, optimizers.ParamLearningRate)
	if v == nil {
		panic(fmt.Errorf("regularizers.%s: no learning rate: GoMLX's optimizer creates %q when it builds its update; "+
			"run the optimizer first or pass WithLearningRate", fn, "/"+optimizers.Scope+"/"+optimizers.ParamLearningRate))
	}
	return graph.ConvertDType(v.ValueGraph(g), dtype)
}
