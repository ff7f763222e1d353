package experiment

import (
	"errors"
	"fmt"
	"math"
	"slices"
	"strings"

	"github.com/regnb/regnb/regularizers"
)

// Config describes one training run. The command line, the notebooks and the
// tests all build one; the tutorial's examples are presets of it ([Preset]).
// The zero values of the optional fields mean "off".
type Config struct {
	Example string `json:"example"` // Preset the run started from (informational).

	// Penalties, over the parameters chosen by Penalize.
	L1          float64 `json:"l1"`           // λ1 of λ1·Σ|w|.
	L2          float64 `json:"l2"`           // λ2 of λ2·Σw².
	Alpha       float64 `json:"alpha"`        // If > 0: scikit-learn's Elastic Net α·ρ·Σ|w| + ½·α·(1−ρ)·Σw², instead of L1/L2.
	L1Ratio     float64 `json:"l1_ratio"`     // ρ, used with Alpha.
	Proximal    bool    `json:"proximal"`     // Optimize the L1 part (and the group lasso) by soft-thresholding steps (exact zeros).
	WeightDecay float64 `json:"weight_decay"` // Coupled decay, as PyTorch's Adam(weight_decay=…): g += wd·w.
	AdamW       float64 `json:"adamw"`        // Decoupled decay, as AdamW: w -= lr·wd·w after each step.
	Penalize    string  `json:"penalize"`     // "all" (the tutorial: weights and biases) or "kernels".

	// Group lasso over the MLP's hidden units: λ·Σ_g √n_g·‖w_g‖₂, a group
	// per hidden unit (its incoming weights and bias; with
	// GroupLassoOutgoing, its outgoing weights too). With Proximal it is
	// optimized by block soft-thresholding, which leaves whole units exactly
	// 0 (prunable: layers.Prune); without, by its subgradient, which only
	// drives them towards 0. It needs Penalize "all" (a unit is dead only
	// when its bias is 0 too).
	GroupLasso         float64 `json:"group_lasso"`
	GroupLassoOutgoing bool    `json:"group_lasso_outgoing"`

	// Model and optimization.
	Hidden    []int   `json:"hidden"`
	Epochs    int     `json:"epochs"`
	BatchSize int     `json:"batch_size"`
	LR        float64 `json:"lr"`
	Seed      uint64  `json:"seed"`
	InitFrom  string  `json:"init_from"` // Initial parameters from this file (layers.SaveParams' JSON) instead of the seed.

	// Run control.
	MaxSteps   int    `json:"max_steps"`   // Stop after this many steps in all (0: no limit).
	LogEvery   int    `json:"log_every"`   // Log a line every this many mini-batches.
	TrainLimit int    `json:"train_limit"` // Use only the first N training examples (0: all).
	TestLimit  int    `json:"test_limit"`  // Evaluate on the first N test examples (0: all).
	Backend    string `json:"backend"`     // GoMLX backend configuration ("" : the default, see NewBackend).
	// StepsPerCall is how many training steps one executable call runs (0:
	// DefaultStepsPerCall for the backend); results do not depend on it.
	StepsPerCall int    `json:"steps_per_call,omitempty"`
	DataDir      string `json:"data_dir"` // Directory of idx files ("" : FindMNIST).
	OutDir       string `json:"out_dir"`  // Where to write history, plots and checkpoints ("" : nowhere).

	penalty regularizers.Regularizer // Set by WithPenalty: used instead of the penalty fields.
}

// WithPenalty trains with reg instead of the regularizer that the Config's
// penalty fields describe (Config.Penalty): a regularizer built by the
// caller, e.g. regularizers.ElasticNetAlpha itself. The history records the
// Config as given, so set its fields to describe reg. Not kept on resume.
func WithPenalty(reg regularizers.Regularizer) Option {
	return func(r *runner) { r.cfg.penalty = reg }
}

// Examples lists the preset names, in the tutorial's order.
var Examples = []string{"none", "l1", "l2", "weight-decay", "elastic-net"}

// Default returns the tutorial's settings with no penalty: the MLP
// 784→64→32→10, batch 10, Adam lr 1e-4, 5 epochs, seed 42, a log line every
// 500 mini-batches, the penalty over all parameters.
func Default() Config {
	return Config{
		Example:   "none",
		Penalize:  "all",
		Hidden:    []int{64, 32},
		Epochs:    5,
		BatchSize: 10,
		LR:        1e-4,
		Seed:      42,
		LogEvery:  500,
		L1Ratio:   0.5,
	}
}

// Preset returns the settings of one of the tutorial's examples:
//
//	none          no penalty
//	l1            L1 = 1.0·Σ|w|
//	l2            L2 = 1.0·Σw²
//	weight-decay  Adam(weight_decay = 1.0), no loss term
//	elastic-net   0.3·Σ|w| + 0.7·Σw²
func Preset(name string) (Config, error) {
	c := Default()
	c.Example = name
	switch name {
	case "none":
	case "l1":
		c.L1 = 1
	case "l2":
		c.L2 = 1
	case "weight-decay":
		c.WeightDecay = 1
	case "elastic-net":
		c.L1, c.L2 = 0.3, 0.7
	default:
		return Config{}, fmt.Errorf("unknown example %q: want one of %s", name, strings.Join(Examples, ", "))
	}
	return c, nil
}

// MustPreset is Preset for names known to be valid; it panics otherwise.
func MustPreset(name string) Config {
	c, err := Preset(name)
	if err != nil {
		panic(err)
	}
	return c
}

// Validate checks every field and returns all problems found, each naming the
// setting and its value.
func (c Config) Validate() error {
	var errs []error
	bad := func(format string, args ...any) { errs = append(errs, fmt.Errorf(format, args...)) }
	if c.Example != "" && !slices.Contains(Examples, c.Example) {
		bad("unknown example %q: want one of %s", c.Example, strings.Join(Examples, ", "))
	}
	if _, err := c.Penalty(); err != nil {
		errs = append(errs, err)
	}
	if c.Epochs < 1 {
		bad("epochs = %d: want at least 1", c.Epochs)
	}
	if c.BatchSize < 1 {
		bad("batch size = %d: want at least 1", c.BatchSize)
	}
	if !(c.LR > 0) || math.IsInf(c.LR, 0) {
		bad("learning rate = %v: want a finite number > 0", c.LR)
	}
	if c.MaxSteps < 0 {
		bad("max steps = %d: want ≥ 0 (0: no limit)", c.MaxSteps)
	}
	if c.LogEvery < 1 {
		bad("log every = %d: want at least 1", c.LogEvery)
	}
	if c.TrainLimit < 0 || c.TestLimit < 0 {
		bad("train/test limit = %d/%d: want ≥ 0 (0: all)", c.TrainLimit, c.TestLimit)
	}
	for i, h := range c.Hidden {
		if h < 1 {
			bad("hidden layer %d has size %d: want at least 1", i, h)
		}
	}
	if c.Penalize != "all" && c.Penalize != "kernels" {
		bad("penalize = %q: want \"all\" or \"kernels\"", c.Penalize)
	}
	return errors.Join(errs...)
}

// Penalty returns the regularizer this configuration asks for (nil for none),
// or an error naming the setting that is invalid.
// A regularizer given with WithPenalty replaces it.
func (c Config) Penalty() (regularizers.Regularizer, error) {
	if c.penalty != nil {
		return c.penalty, nil
	}
	l1, l2 := c.L1, c.L2
	if c.Alpha != 0 {
		if c.L1 != 0 || c.L2 != 0 {
			return nil, fmt.Errorf("alpha = %v with l1 = %v, l2 = %v: give either alpha and l1-ratio, or l1 and l2", c.Alpha, c.L1, c.L2)
		}
		if _, err := regularizers.ElasticNetAlpha(c.Alpha, c.L1Ratio); err != nil {
			return nil, flagError(err)
		}
		l1, l2 = c.Alpha*c.L1Ratio, 0.5*c.Alpha*(1-c.L1Ratio)
	} else if err := flagError(checkRatio(c.L1Ratio)); err != nil {
		return nil, err
	}
	var regs []regularizers.Regularizer
	add := func(r regularizers.Regularizer, err error) error {
		if err != nil {
			return flagError(err)
		}
		regs = append(regs, r)
		return nil
	}
	var err error
	switch {
	case c.Proximal && (l1 != 0 || l2 != 0 || c.GroupLasso == 0): // -proximal alone reports L1 and L2 terms of 0.
		err = add(regularizers.ProximalElasticNet(l1, l2))
	case l1 != 0 && l2 != 0:
		err = add(regularizers.ElasticNet(l1, l2))
	case l1 != 0: // NaN included: the constructor rejects it.
		err = add(regularizers.L1(l1))
	case l2 != 0:
		err = add(regularizers.L2(l2))
	}
	if err == nil && c.GroupLasso != 0 { // NaN included: the constructor rejects it.
		err = c.addGroupLasso(add)
	}
	if err == nil && c.WeightDecay != 0 {
		err = add(regularizers.CoupledWeightDecay(c.WeightDecay))
	}
	if err == nil && c.AdamW != 0 {
		err = add(regularizers.DecoupledWeightDecay(c.AdamW))
	}
	if err != nil {
		return nil, err
	}
	return regularizers.Combine(regs...), nil
}

// addGroupLasso adds the group lasso over hidden units, proximal or not.
func (c Config) addGroupLasso(add func(regularizers.Regularizer, error) error) error {
	if c.Penalize != "all" {
		return fmt.Errorf("group-lasso = %v with penalize = %q: the group lasso needs penalize = \"all\" "+
			"(each unit's group holds its bias: a unit is removed only when its weights and bias are all 0)", c.GroupLasso, c.Penalize)
	}
	units := regularizers.Units{Layout: regularizers.OutIn, Outgoing: c.GroupLassoOutgoing} // layers.MLP's kernels are [out, in].
	if c.Proximal {
		return add(regularizers.ProximalGroupLasso(c.GroupLasso, units))
	}
	return add(regularizers.GroupLasso(c.GroupLasso, units))
}

// checkRatio validates l1_ratio even when alpha is unused.
func checkRatio(r float64) error {
	_, err := regularizers.ElasticNetAlpha(0, r)
	return err
}

// flagError rewrites a regularizers.ArgError in the terms of the settings.
func flagError(err error) error {
	var a *regularizers.ArgError
	if !errors.As(err, &a) {
		return err
	}
	setting := map[string]string{ // Arguments as the regularizers' errors name them.
		"L1/lambda": "l1", "L2/lambda": "l2", "ElasticNet/l1": "l1", "ElasticNet/l2": "l2",
		"ElasticNetAlpha/alpha": "alpha", "ElasticNetAlpha/l1Ratio": "l1-ratio",
		"ProximalElasticNet/l1": "l1", "ProximalElasticNet/l2": "l2",
		"CoupledWeightDecay/wd": "weight-decay", "DecoupledWeightDecay/wd": "adamw",
		"GroupLasso/lambda": "group-lasso", "ProximalGroupLasso/lambda": "group-lasso",
	}[a.Func+"/"+a.Arg]
	if setting == "" {
		return err
	}
	return fmt.Errorf("%s = %v: %s", setting, a.Value, a.Reason)
}
