package regularizers

import (
	"fmt"

	"github.com/gomlx/gomlx/core/graph"
	"github.com/gomlx/gomlx/ml/model"
	"github.com/gomlx/gomlx/ml/train"

	"github.com/regnb/regnb/internal/hook"
)

// L1 returns the Lasso penalty
//
//	L1(w) = λ·s(t)·Σ|w|
//
// summed over every element of every weight it is given (the tutorial's
// compute_l1_loss, Keras' L1), reported as term "L1". Its gradient is
// λ·s(t)·sign(w), with subgradient 0 at w = 0 (see [L1Norm]).
//
// Under a gradient optimizer this drives weights towards zero but leaves them
// hovering around it; [ProximalL1] yields exact zeros.
//
// Where it acts: in the loss (train.AddRegularizationLoss), so its gradient
// follows the chain rule: in a loss multiplied by c it contributes
// c·λ·s(t)·sign(w). A strength of 0 adds nothing and reports the term as 0.
// Options: [WithName], [WithSchedule]; any other is an *[OptionError].
// Errors: lambda (the strength λ) must be finite and ≥ 0.
func L1(lambda float64, opts ...Option) (Regularizer, error) {
	o, err := newOptions("L1", inLossOptions, opts, strength{"lambda", lambda})
	if err != nil {
		return nil, err
	}
	return elastic("L1", o.schedule, part{o.termName("L1"), lambda}, part{}), nil
}

// L2 returns the Ridge penalty
//
//	L2(w) = λ·s(t)·Σw²
//
// summed over every element (the tutorial's compute_l2_loss, Keras' L2 — not
// ½·λ·Σw²), reported as term "L2". Its gradient is 2·λ·s(t)·w.
//
// PyTorch's weight_decay wd adds wd·w to the gradient, which is the gradient of
// (wd/2)·Σw²: L2(λ) and weight_decay = 2λ give the same gradients (see
// [CoupledWeightDecay]).
//
// Where it acts: in the loss, as [L1]. A strength of 0 adds nothing and
// reports the term as 0.
// Options: [WithName], [WithSchedule]; any other is an *[OptionError].
// Errors: lambda (the strength λ) must be finite and ≥ 0.
func L2(lambda float64, opts ...Option) (Regularizer, error) {
	o, err := newOptions("L2", inLossOptions, opts, strength{"lambda", lambda})
	if err != nil {
		return nil, err
	}
	return elastic("L2", o.schedule, part{}, part{o.termName("L2"), lambda}), nil
}

// ElasticNet returns the Elastic Net penalty with two strengths
//
//	EN(w) = s(t)·(λ1·Σ|w| + λ2·Σw²)
//
// as in the tutorial (λ1 = 0.3, λ2 = 0.7), reported as two terms, "L1" and
// "L2". Gradients and the subgradient at 0 are those of [L1] and [L2]: its
// gradient is s(t)·(λ1·sign(w) + 2·λ2·w). Where it acts: in the loss, as [L1].
// See [ElasticNetAlpha] for scikit-learn's parametrization.
// Options: [WithName], [WithSchedule]; any other is an *[OptionError].
// Errors: l1 and l2 must be finite and ≥ 0.
func ElasticNet(l1, l2 float64, opts ...Option) (Regularizer, error) {
	o, err := newOptions("ElasticNet", inLossOptions, opts, strength{"l1", l1}, strength{"l2", l2})
	if err != nil {
		return nil, err
	}
	return elastic("ElasticNet", o.schedule, part{o.partName("L1"), l1}, part{o.partName("L2"), l2}), nil
}

// ElasticNetAlpha returns the Elastic Net penalty in the parametrization of
// scikit-learn and glmnet, an overall strength α and a mixing ratio ρ:
//
//	EN(w) = s(t)·(α·ρ·Σ|w| + ½·α·(1−ρ)·Σw²)
//
// It is ElasticNet(λ1, λ2) with λ1, λ2 from [ElasticNetStrengths](α, ρ): ρ = 1
// is the Lasso, ρ = 0 Ridge. (scikit-learn also divides its data term by the
// number of samples; that belongs to the loss, not to the penalty.) Reported
// as terms "L1" and "L2"; its gradient is s(t)·(α·ρ·sign(w) + α·(1−ρ)·w).
// Where it acts: in the loss, as [L1].
// Options: [WithName], [WithSchedule]; any other is an *[OptionError].
// Errors: alpha must be finite and ≥ 0, l1Ratio in [0, 1].
func ElasticNetAlpha(alpha, l1Ratio float64, opts ...Option) (Regularizer, error) {
	const fn = "ElasticNetAlpha"
	l1, l2, err := elasticNetStrengths(fn, alpha, l1Ratio)
	if err != nil {
		return nil, err
	}
	o, err := newOptions(fn, inLossOptions, opts)
	if err != nil {
		return nil, err
	}
	return elastic(fn, o.schedule, part{o.partName("L1"), l1}, part{o.partName("L2"), l2}), nil
}

// ElasticNetStrengths converts scikit-learn's and glmnet's Elastic Net
// parameters, an overall strength α and a mixing ratio ρ (l1_ratio), to the
// two strengths of [ElasticNet] and [ProximalElasticNet]:
//
//	λ1 = α·ρ,   λ2 = ½·α·(1−ρ)
//
// so that λ1·Σ|w| + λ2·Σw² = α·ρ·Σ|w| + ½·α·(1−ρ)·Σw². ρ = 1 gives (α, 0),
// the Lasso; ρ = 0 gives (0, α/2), Ridge.
// Errors (*[ArgError], Func "ElasticNetStrengths"): alpha must be finite and
// ≥ 0, l1Ratio in [0, 1].
func ElasticNetStrengths(alpha, l1Ratio float64) (l1, l2 float64, err error) {
	return elasticNetStrengths("ElasticNetStrengths", alpha, l1Ratio)
}

// elasticNetStrengths is ElasticNetStrengths with errors naming fn.
func elasticNetStrengths(fn string, alpha, l1Ratio float64) (l1, l2 float64, err error) {
	if err := checkStrength(fn, "alpha", alpha); err != nil {
		return 0, 0, err
	}
	if err := checkRatio(fn, "l1Ratio", l1Ratio); err != nil {
		return 0, 0, err
	}
	return alpha * l1Ratio, 0.5 * alpha * (1 - l1Ratio), nil
}

// part is one reported part of a penalty: its term name ("" : absent) and strength.
type part struct {
	name     string
	strength float64
}

// elastic builds the regularizer s(t)·(λ1·Σ|w| + λ2·Σw²) for the parts
// present. Each part is reported as a term. The value is computed from the
// weights with gradients stopped, and the gradient c·s(t)·(λ1·sign(w) + 2·λ2·w),
// where c is whatever multiplies the penalty in the loss (the chain rule), is
// given to each weight directly (internal/hook) instead of being derived by
// autodiff: the same numbers, in fewer passes over the weights on GoMLX's
// pure-Go backend (bench/README.md).
func elastic(fn string, s Schedule, l1, l2 part) Regularizer {
	return func(g *graph.Graph, weights ...*model.Variable) {
		requireWeights(fn, weights)
		dtype := weights[0].DType()
		report := func(p part, norm func(*graph.Node) *graph.Node) *graph.Node {
			if p.name == "" {
				return nil
			}
			if p.strength == 0 { // Nothing to optimize: report a constant zero.
				recordTerm(p.name, graph.ScalarZero(g, dtype))
				return nil
			}
			lambda := strengthNode(g, dtype, p.strength, s)
			AddTerm(p.name, graph.Mul(lambda, sumOf(g, weights, func(w *graph.Node) *graph.Node {
				return norm(graph.StopGradient(w))
			})))
			return lambda
		}
		lambda1 := report(l1, sumAbs)
		lambda2 := report(l2, SquaredL2Norm)
		if lambda1 == nil && lambda2 == nil {
			return
		}
		for _, v := range weights {
			w := v.NodeValue(g)
			train.AddRegularizationLoss(hook.GradientOnly(w, func(scale *graph.Node) *graph.Node {
				var grad *graph.Node
				if lambda1 != nil {
					grad = scaledSign(w, graph.Mul(lambda1, scale)) // c·λ1·sign(w), 0 at w = 0: the subgradient at 0.
				}
				if lambda2 != nil {
					ridge := graph.Mul(w, graph.MulScalar(graph.Mul(lambda2, scale), 2))
					if grad == nil {
						grad = ridge
					} else {
						grad = graph.Add(grad, ridge)
					}
				}
				return grad
			}))
		}
	}
}

// sumOf returns Σ_v f(v) over the values of the given variables, one reduction
// per variable (no concatenated copy of all parameters).
func sumOf(g *graph.Graph, weights []*model.Variable, f func(*graph.Node) *graph.Node) *graph.Node {
	var sum *graph.Node
	for _, v := range weights {
		x := f(v.NodeValue(g))
		if sum == nil {
			sum = x
		} else {
			sum = graph.Add(sum, x)
		}
	}
	return sum
}

// requireWeights panics, GoMLX-style (Exec returns it as an error), if a
// regularizer is applied to nothing: a selection that matched no variable.
func requireWeights(fn string, weights []*model.Variable) {
	if len(weights) == 0 {
		panic(fmt.Errorf("regularizers.%s: no weights to regularize (a selection that matched no variable?)", fn))
	}
}
