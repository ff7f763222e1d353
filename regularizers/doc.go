// Package regularizers provides composable L1, L2 and Elastic Net penalties,
// group lasso and Keras's orthogonal penalty, optimizer-side weight decay
// (coupled and decoupled), proximal steps that produce exact zeros, Keras's
// weight constraints (max-norm, min-max-norm, unit-norm, non-negative),
// strength schedules and per-variable sparsity and unit-norm reports for any
// GoMLX model.
//
// Every penalty is a GoMLX [regularizer.Regularizer] — a
// func(g *graph.Graph, weights ...*model.Variable) — so it plugs into GoMLX's
// layers.Dense, fnn.Config.Regularizer, kan and any user code unchanged, and
// composes with [Combine]. Penalties join the loss through
// train.AddRegularizationLoss, so train.GetMainLoss stays the data loss.
//
// Each penalty acts in one of three places of a training step: in the loss
// (its value, and its gradient through autodiff's chain rule: a penalty in a
// loss multiplied by c contributes c times its gradient), on the gradient
// only (coupled weight decay, as PyTorch's weight_decay), or after the
// optimizer (decoupled weight decay, proximal steps, weight constraints).
// Each constructor's doc says which.
//
// Unlike GoMLX's own regularizers, every term is recorded under its name
// (see [Terms]), so a training loop can report the data loss and each weighted
// penalty separately — "(of which 0.12345 L1 loss; 0.54321 L2 loss)" — instead
// of a single regularized total.
//
// Training loops: with train.Trainer nothing more is needed. A hand-written
// loop adds the data loss with train.AddMainLoss, applies the penalties, calls
// the optimizer's UpdateGraph on train.TotalLoss(g) and then
// train.ExecPerStepUpdateGraphFn(g), which runs the steps after the
// optimizer. A loop that builds several training steps in one graph calls
// [NextStep] between them; without it each step re-applies the earlier
// steps' updates after the optimizer and reports their terms summed.
//
// Notation used throughout: w ranges over every element of every selected
// variable, Σ sums over all of them, λ is a strength and s(t) the value of its
// schedule at global step t (1 without a schedule).
//
// Constructors validate their arguments and return an error naming the
// argument and its value (an *[ArgError]), or the option they do not take
// (an *[OptionError]); [Must] wraps one for use in an expression, as
// template.Must does.
//
// [regularizer.Regularizer]: https://pkg.go.dev/github.com/gomlx/gomlx/ml/layers/regularizer#Regularizer
package regularizers
