package regnb

import (
	"context"
	"fmt"
	"html"
	"os"
	"os/signal"

	"github.com/janpfeifer/gonb/gonbui"
	"gonum.org/v1/plot"

	"github.com/regnb/regnb/regnb/history"
	"github.com/regnb/regnb/regnb/plots"
	"github.com/regnb/regnb/regnb/run"
	"github.com/regnb/regnb/regnb/sweep"
)

// Short names, for the notebooks, of a sweep of λ (package sweep).
type (
	// SweepGrid is what a sweep tries: Lambdas of the penalty Kind ("l1",
	// "l2", "elastic-net", "group-lasso") × an optional second axis (Vary) ×
	// Seeds, every other setting Base's, each run in Dir/<configuration>/seed-N.
	SweepGrid = sweep.Grid
	// SweepAxis is a grid's second axis: a setting by its flag ("proximal",
	// "l1-ratio", …) or "penalty", and its values as the flag takes them.
	SweepAxis = sweep.Axis
	// SweepResult is what a sweep leaves behind: each configuration's
	// figures over the seeds, the λ chosen by each rule, the test accuracy
	// of the chosen alone.
	SweepResult = history.Sweep
)

// Sweep runs the grid's runs that have not finished, jobs at a time (0: one
// per core) in this program's goroutines (package sweep says why not
// processes), a line in the cell as each ends; then it chooses λ on the
// validation split by the best mean and by the one-standard-error rule,
// evaluates the chosen configurations alone on the test set, and writes
// sweep.json, sweep.csv, sweep.md and the plot into grid.Dir. Interrupting
// the cell saves the runs in progress; running it again continues the sweep
// (finished runs are not run again). Show the result with ShowSweep and
// SweepPlot.
func Sweep(ctx context.Context, grid SweepGrid, jobs int) (*SweepResult, error) {
	ctx, stop := signal.NotifyContext(ctx, os.Interrupt)
	defer stop()
	p, err := sweep.NewPlan(grid)
	if err != nil {
		return nil, err
	}
	return sweep.Run(ctx, p, sweep.Options{Jobs: jobs, Log: os.Stdout, Where: Shown(grid.Dir)})
}

// LoadSweep reads the sweep.json of a sweep's directory.
func LoadSweep(dir string) (*SweepResult, error) { return history.LoadSweep(dir) }

// ShowSweep shows a sweep's table — validation accuracy mean ± sd and SE
// per configuration, the gap, sparsity, units kept, the rules that chose it
// and its test accuracy — and what its rules mean: HTML in a notebook,
// Markdown on stdout elsewhere.
func ShowSweep(s *SweepResult) {
	rows := s.Rows()
	ShowTable(rows[0], rows[1:])
	if !InNotebook() {
		fmt.Println(sweep.RulesNote(s))
		return
	}
	gonbui.DisplayHTML(`<p style="font-size:90%">` + html.EscapeString(sweep.RulesNote(s)) + `</p>`)
	gonbui.Sync()
}

// SweepPlot draws a sweep's mean validation accuracy against λ (log axis),
// ± one standard error, with the λ chosen by each rule marked.
func SweepPlot(s *SweepResult) *plot.Plot { return plots.Sweep(s) }

// TrainSeeds trains cfg once with each seed, each run in cfg.OutDir/seed-N,
// and writes the mean and spread of each figure over them to cfg.OutDir
// (summary.md); ShowSeeds shows that table.
func TrainSeeds(ctx context.Context, cfg Config, seeds []uint64, opts ...Option) ([]*History, error) {
	defaults := []Option{run.WithProgress(autoProgress())}
	return run.Seeds(ctx, cfg, seeds, append(defaults, opts...)...)
}

// ShowSeeds shows the mean ± standard deviation, the smallest and the
// largest value of each figure over runs of one configuration with several
// seeds, and each run's value.
func ShowSeeds(hs ...*History) {
	rows := history.SeedRows(hs)
	ShowTable(rows[0], rows[1:])
}
