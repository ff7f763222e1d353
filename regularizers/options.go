package regularizers

import (
	"github.com/gomlx/gomlx/pkg/core/graph"
	"github.com/gomlx/gomlx/pkg/ml/context"
	"github.com/gomlx/gomlx/pkg/ml/layers/regularizers"
)

// Regularizer is GoMLX's regularizer type: it adds its penalty for the given
// weights to the training loss of the graph being built. Everything this
// package returns is one, so it can be passed wherever GoMLX expects one.
type Regularizer = regularizers.Regularizer

// Option configures a regularizer.
type Option func(*options)

type options struct {
	name         string   // Term name; "" keeps the default.
	schedule     Schedule // nil: constant strength.
	learningRate float64  // < 0: read the optimizer's learning rate.
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
func WithLearningRate(lr float64) Option { return func(o *options) { o.learningRate = lr } }

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
	o := &options{learningRate: -1}
	for _, opt := range opts {
		opt(o)
	}
	if o.learningRate != -1 {
		if err := checkStrength(fn, "learning rate", o.learningRate); err != nil {
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
	return func(ctx *context.Context, g *graph.Graph, weights ...*context.Variable) {
		for _, r := range rs {
			r(ctx, g, weights...)
		}
	}
}
