package regularizers

import (
	"reflect"

	"github.com/gomlx/gomlx/core/graph"
	"github.com/gomlx/gomlx/ml/layers/regularizer"
	"github.com/gomlx/gomlx/ml/model"
	"github.com/gomlx/gomlx/ml/train/optimizer"
)

// Regularizer is GoMLX's regularizer type, [regularizer.Regularizer]: it adds
// its penalty for the given weights to the regularization loss of the graph
// being built (train.AddRegularizationLoss), and may register updates to run
// after the optimizer. Everything this package returns is one, so it can be
// passed wherever GoMLX expects one (layers.Dense, fnn.Config.Regularizer, kan).
type Regularizer = regularizer.Regularizer

// Option configures a regularizer.
type Option func(*options)

type options struct {
	name         string   // Term name; "" keeps the default.
	schedule     Schedule // nil: constant strength.
	learningRate float64  // Used only if hasRate.
	hasRate      bool     // WithLearningRate was given.
	sgdDecay     bool     // WithOptimizer was given GoMLX's SGD with its η/√t decay.
}

// WithName reports the penalty under name instead of its default ("L1", "L2").
// For Elastic Net, whose two parts are reported separately, name prefixes them:
// WithName("enet") reports "enet L1" and "enet L2".
func WithName(name string) Option { return func(o *options) { o.name = name } }

// WithSchedule multiplies the strength by s(t) at global step t.
func WithSchedule(s Schedule) Option { return func(o *options) { o.schedule = s } }

// WithLearningRate fixes the learning rate η used by steps applied after the
// optimizer (decoupled weight decay, proximal updates). By default they read
// the learning rate variable of GoMLX's optimizers ("/optimizers/learning_rate").
// lr must be finite and ≥ 0.
func WithLearningRate(lr float64) Option {
	return func(o *options) { o.learningRate, o.hasRate = lr, true }
}

// WithOptimizer names the optimizer that trains the model, so that the steps
// applied after it (decoupled weight decay, proximal updates) use the rate it
// actually applied at each step. GoMLX's StochasticGradientDescent decays its
// rate as η_t = η/√t (t: the global step, 1 at the first step) unless built
// WithDecay(false); with it given here, the steps use η_t too. Other GoMLX
// optimizers (Adam, RMSProp, with or without cosineschedule, which rewrites
// the rate variable) apply the learning-rate variable, which is the default
// anyway. WithLearningRate, if also given, wins.
func WithOptimizer(opt optimizer.Interface) Option {
	return func(o *options) { o.sgdDecay = sgdDecays(opt) }
}

// sgdDecays tells whether opt is GoMLX's SGD with its learning-rate decay
// (an unexported setting, read by reflection; GoMLX's default is to decay).
func sgdDecays(opt optimizer.Interface) bool {
	sgd, ok := opt.(*optimizer.SGDConfig)
	if !ok || sgd == nil {
		return false
	}
	field := reflect.ValueOf(sgd).Elem().FieldByName("useDecay")
	return !field.IsValid() || field.Bool()
}

// strength is a named strength argument of a constructor.
type strength struct {
	name  string
	value float64
}

// newOptions applies opts and validates the constructor fn's strengths and
// the options' learning rate.
func newOptions(fn string, opts []Option, strengths ...strength) (*options, error) {
	for _, s := range strengths {
		if err := checkStrength(fn, s.name, s.value); err != nil {
			return nil, err
		}
	}
	o := &options{}
	for _, opt := range opts {
		opt(o)
	}
	if o.hasRate {
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
