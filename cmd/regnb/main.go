// Command regnb runs the L1, L2 and Elastic Net regularization tutorial's
// experiments on MNIST from the terminal.
//
//	regnb train -example l1
//	regnb train -example elastic-net -epochs 1 -out runs/enet
//	regnb compare -examples l1,l2,elastic-net -max-steps 2000 -out runs/compare
//	regnb sweep -penalty l1 -lambda 1e-5,1e-4,1e-3 -seeds 3 -epochs 1 -out runs/sweep
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

	"github.com/regnb/regnb/regnb/plots"
	"github.com/regnb/regnb/regnb/run"
	"github.com/regnb/regnb/regnb/settings"
	"github.com/regnb/regnb/regnb/sweep"
)

func main() {
	os.Exit(execute(os.Args[1:], os.Stdout, os.Stderr))
}

const usage = `regnb runs the L1, L2 and Elastic Net regularization tutorial on MNIST.

Usage:
  regnb train   [flags]   train one configuration (regnb train -h)
  regnb compare [flags]   train several and compare them (regnb compare -h)
  regnb sweep   [flags]   choose λ on a validation split over a grid × seeds (regnb sweep -h)

Examples (-example): none, l1, l2, weight-decay, elastic-net.
`

// execute is main without os.Exit, for tests. It returns the exit status.
func execute(args []string, stdout, stderr io.Writer) int {
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
	case "sweep":
		err = sweepCommand(ctx, args[1:], stdout, stderr)
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
	if errors.Is(err, run.ErrInterrupted) || errors.Is(err, sweep.ErrInterrupted) {
		return 130
	}
	return 1
}

var errUsage = errors.New("usage")

// oneLine joins a multi-line error (several invalid flags) with "; ".
func oneLine(err error) string {
	return strings.Join(strings.Split(strings.TrimSpace(err.Error()), "\n"), "; ")
}

func train(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	cl := newCommand("train", stderr, func(fs *flag.FlagSet, c *command) {
		fs.StringVar(&c.example, "example", "none", "the tutorial's example: "+strings.Join(settings.Examples, ", "))
		fs.StringVar(&c.resume, "resume", "", "continue the run saved in this -out directory with its settings "+
			"(the same command line with -resume added works; of the other flags, only -"+strings.Join(settings.Resumable(), ", -")+" may change)")
		fs.StringVar(&c.seeds, "seeds", "", "run the configuration with each of these seeds (42,43,44), or with this many seeds from -seed on (3), each in OUT/seed-N; "+
			"then the mean and spread of every figure over them (OUT/summary.md)")
	})
	cl.fs.Usage = func() {
		fmt.Fprintf(cl.fs.Output(), "Usage: regnb train -example NAME [flags]\n\nTrains the tutorial's MLP on MNIST and prints the tutorial's log.\n\nFlags:\n")
		cl.fs.PrintDefaults()
	}
	if err := cl.parse(args); err != nil {
		return err
	}
	opts := []run.Option{run.WithLog(stdout), run.WithOutputs(plots.WriteRun)}
	var cfg settings.Config
	var err error
	if cl.resume != "" {
		cfg, err = cl.resumeConfig(args)
		opts = append(opts, run.WithResume(cl.resume))
	} else {
		cfg, err = cl.config(cl.example, args)
	}
	if err != nil {
		return err
	}
	if cl.seeds != "" {
		return trainSeeds(ctx, cl, cfg, opts, stderr)
	}
	h, err := run.Train(ctx, cfg, opts...)
	if err == nil && h.Config.OutDir != "" {
		fmt.Fprintf(stdout, "Wrote the history, plots and checkpoint to %s\n", h.Config.OutDir)
	}
	return err
}

func compare(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	cl := newCommand("compare", stderr, func(fs *flag.FlagSet, c *command) {
		fs.StringVar(&c.examples, "examples", "l1,l2,elastic-net", "comma-separated examples to run, each with the flags applied")
	})
	cl.fs.Usage = func() {
		fmt.Fprintf(cl.fs.Output(), "Usage: regnb compare [-examples l1,l2,...] [flags] -out DIR\n\n"+
			"Trains each example and writes side-by-side plots and a summary table.\n\nFlags:\n")
		cl.fs.PrintDefaults()
	}
	if err := cl.parse(args); err != nil {
		return err
	}
	if cl.defaults.OutDir == "" {
		fmt.Fprintln(stderr, "regnb compare: -out DIR is required")
		return errUsage
	}
	var cfgs []settings.Config
	for _, ex := range strings.Split(cl.examples, ",") {
		cfg, err := cl.config(strings.TrimSpace(ex), args)
		if err != nil {
			return fmt.Errorf("-examples %s: %w", ex, err)
		}
		cfgs = append(cfgs, cfg)
	}
	out := cl.defaults.OutDir
	_, err := run.Compare(ctx, cfgs, out, run.WithLog(stdout), run.WithOutputs(plots.WriteRun), run.WithComparison(plots.WriteComparison))
	if err != nil {
		return err
	}
	fmt.Fprintf(stdout, "\nWrote the comparison to %s\n", out)
	return nil
}
