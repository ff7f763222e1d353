package run

import (
	"github.com/regnb/regnb/regnb/settings"
	"github.com/regnb/regnb/regularizers"
)

// WithPenalty trains with reg instead of the regularizer that the Config's
// penalty fields describe (Penalty): a regularizer built by the caller, e.g.
// regularizers.ElasticNetAlpha itself. The history records the Config as
// given, so set its fields to describe reg. Not kept on resume.
func WithPenalty(reg regularizers.Regularizer) Option {
	return func(r *runner) { r.penalty = reg }
}

// Penalty returns the regularizer a valid configuration asks for (nil for
// none): its L1/L2 or Elastic Net term (α, ρ converted to λ1, λ2 by
// regularizers.ElasticNetStrengths; by soft-thresholding steps if Proximal), the group lasso over hidden units, and the weight decays, in
// that order.
func Penalty(c settings.Config) (regularizers.Regularizer, error) {
	if err := c.Validate(); err != nil {
		return nil, err
	}
	l1, l2 := c.L1, c.L2
	if c.Alpha != 0 {
		var err error
		if l1, l2, err = regularizers.ElasticNetStrengths(c.Alpha, c.L1Ratio); err != nil {
			return nil, err
		}
	}
	var regs []regularizers.Regularizer
	add := func(r regularizers.Regularizer, err error) {
		if err != nil { // Validate checked every strength: a bug.
			panic(err)
		}
		regs = append(regs, r)
	}
	switch {
	case c.Proximal && (l1 != 0 || l2 != 0 || c.GroupLasso == 0): // -proximal alone reports L1 and L2 terms of 0.
		add(regularizers.ProximalElasticNet(l1, l2))
	case l1 != 0 && l2 != 0:
		add(regularizers.ElasticNet(l1, l2))
	case l1 != 0:
		add(regularizers.L1(l1))
	case l2 != 0:
		add(regularizers.L2(l2))
	}
	if c.GroupLasso != 0 {
		units := regularizers.Units{Layout: regularizers.OutIn, Outgoing: c.GroupLassoOutgoing} // layers.MLP's kernels are [out, in].
		if c.Proximal {
			add(regularizers.ProximalGroupLasso(c.GroupLasso, units))
		} else {
			add(regularizers.GroupLasso(c.GroupLasso, units))
		}
	}
	if c.WeightDecay != 0 {
		add(regularizers.CoupledWeightDecay(c.WeightDecay))
	}
	if c.AdamW != 0 {
		add(regularizers.DecoupledWeightDecay(c.AdamW))
	}
	return regularizers.Combine(regs...), nil
}

// Constraint returns the constraint a configuration asks for on the MLP's
// kernels after each step (nil for none): Keras's max-norm on each unit's
// incoming weights, the rows of layers.MLP's [out, in] kernels.
func Constraint(c settings.Config) (regularizers.Regularizer, error) {
	if c.MaxNorm == 0 {
		return nil, nil
	}
	return regularizers.MaxNorm(c.MaxNorm, regularizers.OutIn.InputAxis())
}
