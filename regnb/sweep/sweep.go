package sweep

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"runtime"
	"slices"

	"github.com/regnb/regnb/internal/backend"
	"github.com/regnb/regnb/internal/fileutil"
	"github.com/regnb/regnb/regnb/data"
	"github.com/regnb/regnb/regnb/history"
	"github.com/regnb/regnb/regnb/plots"
	"github.com/regnb/regnb/regnb/run"
)

// ErrInterrupted is returned (wrapped) by Run when its context is cancelled:
// the finished runs are kept, the interrupted ones saved, and running the
// same sweep again continues it.
var ErrInterrupted = errors.New("sweep interrupted")

// Options adjust how Run runs a plan, not what it computes.
type Options struct {
	Jobs   int             // Runs at a time (0: one per core, runtime.NumCPU()).
	Runner Runner          // How a run runs (nil: InProcess).
	Log    io.Writer       // A line per run (nil: os.Stdout).
	Data   *data.TrainTest // The data, loaded once (nil: from the base configuration's DataDir).
	Where  string          // How Log names the sweep's directory ("": Grid.Dir as given).
}

// Run runs the plan's runs that have not finished — each in its
// directory, Jobs at a time, a line on Log as each ends — then collects
// them, chooses λ on the validation split (Choose), evaluates the chosen
// configurations on the test set (EvaluateChosen) and writes the table and
// its plot into the sweep's directory (Finish). Report prints the table.
//
// Before any run starts it checks what would stop one: Jobs < 1, a
// directory that cannot be written, data too small for a run (run.CheckData),
// a run directory that holds a run of other settings. A run that fails does
// not stop the others; the error then names each.
func Run(ctx context.Context, p *Plan, o Options) (*history.Sweep, error) {
	if o.Jobs == 0 {
		o.Jobs = runtime.NumCPU()
	}
	if o.Jobs < 1 {
		return nil, fmt.Errorf("jobs = %d: want at least 1", o.Jobs)
	}
	if o.Log == nil {
		o.Log = os.Stdout
	}
	pending, d, err := prepare(p, o.Data)
	if err != nil {
		return nil, err
	}
	if o.Runner == nil {
		o.Runner = InProcess(p, d)
	}
	pr := &progress{w: o.Log, total: len(p.Jobs)}
	if o.Where == "" {
		o.Where = p.Grid.Dir
	}
	fmt.Fprintf(o.Log, "sweep: %d runs (%d configurations × %d seeds) in %s, %d finished before, %d at a time\n",
		len(p.Jobs), len(p.Points), len(p.Grid.Seeds), o.Where, len(p.Jobs)-len(pending), min(o.Jobs, max(len(pending), 1)))
	for _, j := range p.Jobs {
		if !slices.Contains(pending, j.Index) {
			pr.report(p, j, outcome(j, nil, 0))
		}
	}
	failed, interrupted := schedule(ctx, p, pending, o.Jobs, o.Runner, pr)
	if interrupted {
		left := 0
		for _, i := range pending {
			if state, _, _ := jobState(p.Jobs[i]); state != stateDone {
				left++
			}
		}
		return nil, fmt.Errorf("%w: %d of %d runs finished, kept in %s; run the same sweep again to continue "+
			"(finished runs are not run again, interrupted ones resume)", ErrInterrupted, len(p.Jobs)-left, len(p.Jobs), p.Grid.Dir)
	}
	if len(failed) > 0 {
		return nil, fmt.Errorf("sweep: %d of %d runs failed: %w", len(failed), len(p.Jobs), errors.Join(failed...))
	}
	return Finish(p, d)
}

// prepare checks the plan before any run starts and returns the jobs left
// to run and the data.
func prepare(p *Plan, d *data.TrainTest) (pending []int, _ *data.TrainTest, err error) {
	if err := fileutil.CheckWritable(p.Grid.Dir); err != nil {
		return nil, nil, err
	}
	if err := os.MkdirAll(filepath.Join(p.Grid.Dir, "logs"), 0o755); err != nil {
		return nil, nil, fmt.Errorf("output directory %s: %w", p.Grid.Dir, fileutil.Unwrap(err))
	}
	if d == nil {
		if d, err = data.Load(p.Grid.Base.DataDir); err != nil {
			return nil, nil, err
		}
	}
	for _, j := range p.Jobs {
		if err := run.CheckData(j.Config, d); err != nil {
			return nil, nil, err
		}
		state, _, err := jobState(j)
		if err != nil {
			return nil, nil, err
		}
		if state != stateDone {
			pending = append(pending, j.Index)
		}
	}
	return pending, d, nil
}

// Finish collects the plan's runs (Collect: every run must have finished),
// evaluates the configurations chosen on the test set (EvaluateChosen), and
// writes sweep.json, sweep.csv, sweep.md and the plot of validation
// accuracy against λ (sweep.svg, sweep.png) into the sweep's directory. d is
// the data (nil: loaded from the base configuration's DataDir).
func Finish(p *Plan, d *data.TrainTest) (*history.Sweep, error) {
	s, err := Collect(p)
	if err != nil {
		return nil, err
	}
	if d == nil {
		if d, err = data.Load(p.Grid.Base.DataDir); err != nil {
			return nil, err
		}
	}
	b, _, err := backend.ForRun(p.Grid.Base.Backend, p.Grid.Base.BatchSize)
	if err != nil {
		return nil, err
	}
	if err := EvaluateChosen(s, p.Grid.Dir, d.Test.Subset(p.Grid.Base.TestLimit), b); err != nil {
		return nil, err
	}
	if err := s.WriteFiles(p.Grid.Dir); err != nil {
		return nil, err
	}
	return s, plots.WriteSweep(s, p.Grid.Dir)
}

// Report writes the sweep's table as Markdown and what its columns and rules
// mean (RulesNote) on w.
func Report(w io.Writer, s *history.Sweep) error {
	if err := history.WriteMarkdown(w, s.Rows()); err != nil {
		return err
	}
	_, err := fmt.Fprintf(w, "\n%s\n", RulesNote(s))
	return err
}

// RulesNote says what the table's columns and rules mean, for below it.
func RulesNote(s *history.Sweep) string {
	tolerance := ""
	if s.Tolerance > 0 {
		tolerance = fmt.Sprintf("; %q: the largest λ whose mean is within %g of the best", history.ChosenTolerance, s.Tolerance)
	}
	return fmt.Sprintf("Validation accuracy: mean ± sd over %d seeds on %d held-out training images; SE = sd/√n. "+
		"%q: the highest mean on its path; %q: the largest λ whose mean is within one SE of the best (glmnet's rule)%s. "+
		"Test accuracy: evaluated once, for the chosen configurations only.", len(s.Seeds), s.Validation, history.ChosenBest, history.ChosenOneSE, tolerance)
}
