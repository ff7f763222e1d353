package main

import (
	"context"
	"flag"
	"fmt"
	"io"
	"os"
	"os/exec"
	"runtime"
	"slices"
	"strconv"
	"strings"

	"github.com/regnb/regnb/regnb/history"
	"github.com/regnb/regnb/regnb/run"
	"github.com/regnb/regnb/regnb/settings"
	"github.com/regnb/regnb/regnb/sweep"
)

// sweepFlags are the sweep subcommand's own flags.
type sweepFlags struct {
	lambda, penalty, vary string
	jobs, index           int
	collect, plan         bool
}

func declareSweepFlags(fs *flag.FlagSet, c *command) {
	f := &c.sweep
	fs.StringVar(&f.lambda, "lambda", "", "the strengths λ to try, comma-separated (1e-5,1e-4,1e-3): the grid's first axis")
	fs.StringVar(&f.penalty, "penalty", "l1", "the penalty λ is the strength of: l1, l2, elastic-net (λ is its α, -l1-ratio its ρ) or group-lasso; "+
		"several, comma-separated, are the grid's second axis")
	fs.StringVar(&f.vary, "vary", "", "the grid's second axis: a setting and its values, e.g. proximal=false,true or l1-ratio=0.2,0.5,0.8")
	fs.StringVar(&c.seeds, "seeds", "", "the seeds of each configuration (42,43,44), or a count from -seed on (3); default: -seed alone")
	fs.IntVar(&f.jobs, "jobs", runtime.NumCPU(), "runs at a time, each a process of its own")
	fs.IntVar(&f.index, "index", -1, "run only run I of the grid (0-based; -plan lists them) and exit: one process of a batch system's array")
	fs.BoolVar(&f.collect, "collect", false, "run nothing: collect the finished runs into the table, choose, and evaluate the chosen on the test set")
	fs.BoolVar(&f.plan, "plan", false, "run nothing: list the grid's runs, one line each (index, directory, configuration, seed)")
}

const sweepUsage = `Usage: regnb sweep -lambda 1e-5,1e-4,1e-3 [-penalty l1] [-vary SETTING=V,V] [-seeds 3] [flags] -out DIR

Trains each configuration of the grid with each seed, on the training images
less a validation split (-validation), each run in DIR/<configuration>/seed-N,
-jobs at a time; a finished run is never run again, an interrupted one resumes.
Then it chooses λ on each path of the grid by the best mean validation accuracy
and by glmnet's one-standard-error rule (the largest λ whose mean is within
SE = sd/√n of the best), evaluates the chosen configurations alone on the test
set, and writes DIR/sweep.md, sweep.csv, sweep.json and sweep.svg/png.

On a batch system: one process per run, regnb sweep <the same flags> -index I
(I from 0 to the number of lines of -plan, less one), then -collect.

Flags:
`

// sweepRefused are settings a sweep sets itself.
var sweepRefused = map[string]string{"l1": "-lambda", "l2": "-lambda", "alpha": "-lambda", "group-lasso": "-lambda"}

func sweepCommand(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	defaults := settings.Default()
	defaults.Validation = sweep.DefaultValidation
	cl := newCommandFrom("sweep", defaults, stderr, declareSweepFlags)
	cl.fs.Usage = func() { fmt.Fprint(cl.fs.Output(), sweepUsage); cl.fs.PrintDefaults() }
	if err := cl.parse(args); err != nil {
		return err
	}
	if cl.defaults.OutDir == "" {
		fmt.Fprintln(stderr, "regnb sweep: -out DIR is required")
		return errUsage
	}
	p, err := cl.sweepPlan(args)
	if err != nil {
		return err
	}
	f := cl.sweep
	switch {
	case f.plan:
		for _, j := range p.Jobs {
			fmt.Fprintf(stdout, "%d\t%s\t%s, seed %d\n", j.Index, j.Config.OutDir, p.Points[j.Point].Label, j.Config.Seed)
		}
		return nil
	case f.index >= 0:
		return sweep.RunJob(ctx, p, f.index, nil, stdout)
	case f.collect:
		s, err := sweep.Finish(p, nil)
		if err != nil {
			return err
		}
		return report(stdout, s, p)
	}
	self, err := os.Executable()
	if err != nil {
		return fmt.Errorf("sweep: cannot find this program to run the runs: %w", err)
	}
	runner := sweep.Processes(p, func(i int) *exec.Cmd {
		return exec.Command(self, append(append([]string{"sweep"}, args...), "-index", strconv.Itoa(i))...)
	})
	s, err := sweep.Run(ctx, p, sweep.Options{Jobs: f.jobs, Runner: runner, Log: stdout})
	if err != nil {
		return err
	}
	return report(stdout, s, p)
}

// report prints the sweep's table and where its files are.
func report(w io.Writer, s *history.Sweep, p *sweep.Plan) error {
	fmt.Fprintln(w)
	if err := sweep.Report(w, s); err != nil {
		return err
	}
	_, err := fmt.Fprintf(w, "Wrote sweep.md, sweep.csv, sweep.json and sweep.svg/png to %s\n", p.Grid.Dir)
	return err
}

// sweepPlan checks the sweep's flags and returns its plan.
func (c *command) sweepPlan(args []string) (*sweep.Plan, error) {
	base := c.defaults
	if err := c.apply(&base, args); err != nil {
		return nil, err
	}
	for _, name := range c.set {
		if by, ok := sweepRefused[name]; ok {
			return nil, fmt.Errorf("sweep: -%s is what %s sets (with -penalty): remove it", name, by)
		}
	}
	f := c.sweep
	modes := 0
	for _, on := range []bool{f.plan, f.collect, f.index >= 0} {
		if on {
			modes++
		}
	}
	switch {
	case f.jobs < 1:
		return nil, fmt.Errorf("jobs = %d: want at least 1", f.jobs)
	case modes > 1:
		return nil, fmt.Errorf("sweep: give one of -plan, -collect and -index")
	case base.Validation == 0:
		return nil, fmt.Errorf("validation = 0: a sweep chooses on a validation split: give -validation N (default %d)", sweep.DefaultValidation)
	}
	if err := base.Validate(); err != nil {
		return nil, err
	}
	g := sweep.Grid{Base: base, Dir: base.OutDir, Kind: strings.TrimSpace(f.penalty)}
	var err error
	if g.Lambdas, err = sweep.ParseLambdas(f.lambda); err != nil {
		return nil, err
	}
	if g.Vary, err = sweep.ParseAxis(f.vary); err != nil {
		return nil, err
	}
	if kinds := strings.Split(f.penalty, ","); len(kinds) > 1 {
		if g.Vary.Setting != "" {
			return nil, fmt.Errorf("sweep: -penalty %s and -vary %s: a grid has λ and one more axis", f.penalty, f.vary)
		}
		g.Kind, g.Vary = "", sweep.Axis{Setting: sweep.PenaltyAxis, Values: trimAll(kinds)}
	}
	if c.seeds != "" {
		if g.Seeds, err = sweep.ParseSeeds(c.seeds, base.Seed); err != nil {
			return nil, err
		}
	}
	return sweep.NewPlan(g)
}

func trimAll(xs []string) []string {
	out := slices.Clone(xs)
	for i := range out {
		out[i] = strings.TrimSpace(out[i])
	}
	return out
}

// trainSeeds runs a train command's configuration with each of its -seeds.
func trainSeeds(ctx context.Context, cl *command, cfg settings.Config, opts []run.Option, stderr io.Writer) error {
	if cl.resume != "" {
		return fmt.Errorf("-seeds with -resume: resume each seed's run (-resume OUT/seed-N)")
	}
	if cfg.OutDir == "" {
		fmt.Fprintln(stderr, "regnb train: -seeds needs -out DIR (each seed's run goes to DIR/seed-N)")
		return errUsage
	}
	seeds, err := sweep.ParseSeeds(cl.seeds, cfg.Seed)
	if err != nil {
		return err
	}
	_, err = run.Seeds(ctx, cfg, seeds, opts...)
	return err
}
