package regularizers

import (
	"fmt"
	"strings"

	"github.com/gomlx/gomlx/core/graph"
	"github.com/gomlx/gomlx/ml/layers/regularizer"
	"github.com/gomlx/gomlx/ml/model"
)

// Regularizer is GoMLX's regularizer type, [regularizer.Regularizer]: it adds
// its penalty for the given weights to the regularization loss of the graph
// being built (train.AddRegularizationLoss), and may register updates to run
// after the optimizer. Everything this package returns is one, so it can be
// passed wherever GoMLX expects one (layers.Dense, fnn.Config.Regularizer, kan).
type Regularizer = regularizer.Regularizer

// Option configures a regularizer. Each constructor's doc lists the options
// it takes; an option it does not take is an error (an *[OptionError]), not
// silently ignored: L1(λ, WithLearningRate(η)) is refused, since L1 acts in
// the loss and has no learning rate to use.
//
//	option              what it sets                               taken by
//	WithName            the reported term's name                   every penalty that reports a term
//	WithSchedule        s(t), the factor of the strength           every penalty and decay
//	WithLearningRate    η of the steps after the optimizer         DecoupledWeightDecay and the Proximal penalties
//	WithSGDDecay        η_t = η/√t for those steps                 DecoupledWeightDecay and the Proximal penalties
//
// The constraints (MaxNorm, MinMaxNorm, UnitNorm, NonNeg) take no options.
type Option func(*options)

// optionSet is a set of options, one bit each.
type optionSet uint8

const (
	optName optionSet = 1 << iota
	optSchedule
	optLearningRate
	optSGDDecay
)

// optionNames are the options' names, in the order of their bits.
var optionNames = [...]string{"WithName", "WithSchedule", "WithLearningRate", "WithSGDDecay"}

// The options each kind of constructor takes.
const (
	// Penalties in the loss: L1, L2, ElasticNet(Alpha), GroupLasso, Orthogonal.
	inLossOptions = optName | optSchedule
	// Steps after the optimizer that report a term: the Proximal penalties.
	proximalOptions = optName | optSchedule | optLearningRate | optSGDDecay
	// CoupledWeightDecay: on the gradient, no term.
	coupledOptions = optSchedule
	// DecoupledWeightDecay: after the optimizer, no term.
	decoupledOptions = optSchedule | optLearningRate | optSGDDecay
)

// names returns the names of the options in s, in their order.
func (s optionSet) names() []string {
	var out []string
	for i, name := range optionNames {
		if s&(1<<i) != 0 {
			out = append(out, name)
		}
	}
	return out
}

type options struct {
	given        optionSet
	name         string   // Term name; "" keeps the default.
	schedule     Schedule // nil: constant strength.
	learningRate float64  // Used only if WithLearningRate was given.
	sgdDecay     bool     // WithSGDDecay was given.
}

// WithName reports the penalty under name instead of its default ("L1", "L2").
// For Elastic Net, whose two parts are reported separately, name prefixes them:
// WithName("enet") reports "enet L1" and "enet L2".
func WithName(name string) Option {
	return func(o *options) { o.given |= optName; o.name = name }
}

// WithSchedule multiplies the strength by s(t) at global step t.
func WithSchedule(s Schedule) Option {
	return func(o *options) { o.given |= optSchedule; o.schedule = s }
}

// WithLearningRate fixes the learning rate η used by steps applied after the
// optimizer (decoupled weight decay, proximal updates). By default they read
// the learning rate variable of GoMLX's optimizers ("/optimizers/learning_rate").
// lr must be finite and ≥ 0.
func WithLearningRate(lr float64) Option {
	return func(o *options) { o.given |= optLearningRate; o.learningRate = lr }
}

// WithSGDDecay says that the optimizer decays its learning rate as GoMLX's
// optimizer.StochasticGradientDescent does unless built WithDecay(false):
//
//	η_t = η/√t
//
// where η is the learning rate (the optimizer's variable, or
// [WithLearningRate]) and t the global step after the optimizer's increment
// (1 at the first step). The steps applied after the optimizer (decoupled
// weight decay, proximal updates) then use η_t, the rate the optimizer
// actually applied.
//
// Give it exactly when training with GoMLX's SGD and its default decay: GoMLX
// keeps that setting unexported (SGDConfig has WithDecay but no getter), so
// it cannot be read from the optimizer. GoMLX's other optimizers (Adam,
// RMSProp, SGD WithDecay(false), and cosineschedule, which rewrites the rate
// variable) apply the learning-rate variable itself: give no option. This
// package's tests check η_t against the steps GoMLX's SGD takes, so a change
// of GoMLX's decay fails them.
func WithSGDDecay() Option {
	return func(o *options) { o.given |= optSGDDecay; o.sgdDecay = true }
}

// OptionError reports an option given to a constructor that does not take
// it (see [Option]).
type OptionError struct {
	Func   string   // Constructor, e.g. "L1".
	Option string   // The option given, e.g. "WithLearningRate".
	Takes  []string // The options Func takes, e.g. ["WithName", "WithSchedule"].
}

func (e *OptionError) Error() string {
	takes := "no option"
	if len(e.Takes) > 0 {
		takes = strings.Join(e.Takes, ", ")
	}
	return fmt.Sprintf("regularizers.%s: option %s does not apply: %s takes %s", e.Func, e.Option, e.Func, takes)
}

// strength is a named strength argument of a constructor.
type strength struct {
	name  string
	value float64
}

// newOptions validates the constructor fn's strengths, applies opts, checks
// that fn takes every option given (takes; the first one it does not take,
// in the order of the table in Option's doc, is named) and validates their
// values.
func newOptions(fn string, takes optionSet, opts []Option, strengths ...strength) (*options, error) {
	for _, s := range strengths {
		if err := checkStrength(fn, s.name, s.value); err != nil {
			return nil, err
		}
	}
	o := &options{}
	for _, opt := range opts {
		opt(o)
	}
	if extra := o.given &^ takes; extra != 0 {
		return nil, &OptionError{Func: fn, Option: extra.names()[0], Takes: takes.names()}
	}
	if o.given&optLearningRate != 0 {
		if err := checkStrength(fn, "WithLearningRate", o.learningRate); err != nil {
			return nil, err
		}
	}
	return o, nil
}

// termName returns the name of a part of a penalty ("L1", "L2").
func (o *options) termName(part string) string {
	if o.name == "" {
		return part
	}
	return o.name
}

// partName is termName for penalties with two parts.
func (o *options) partName(part string) string {
	if o.name == "" {
		return part
	}
	return o.name + " " + part
}

// Combine returns a regularizer that applies each of regs in turn; nil
// entries are skipped. It returns nil if all are nil.
//
// Every part acts: reported terms add up, gradients add up, and steps after
// the optimizer run one after the other in the order given (see [ProximalL1]
// and [DecoupledWeightDecay] for how two of them compose).
func Combine(regs ...Regularizer) Regularizer {
	var rs []Regularizer
	for _, r := range regs {
		if r != nil {
			rs = append(rs, r)
		}
	}
	switch len(rs) {
	case 0:
		return nil
	case 1:
		return rs[0]
	}
	return func(g *graph.Graph, weights ...*model.Variable) {
		for _, r := range rs {
			r(g, weights...)
		}
	}
}
