package regnb

import (
	"context"
	"errors"
	"fmt"
	"math"
	"os"
	"os/signal"
	"path/filepath"
	"runtime"
	"slices"
	"strings"
	"sync"
	"time"

	"github.com/regnb/regnb/internal/backend"
	"github.com/regnb/regnb/regnb/data"
	"github.com/regnb/regnb/regnb/history"
	"github.com/regnb/regnb/regnb/settings"
	"github.com/regnb/regnb/regnb/sweep"
)

// Values is a regularizer that is not a penalty's λ — dropout's rate, the
// max-norm bound — tried at several values, each with the same seeds,
// to be chosen on the validation split as a sweep chooses λ (TryValues).
type Values struct {
	Base    Config    // Every other setting; its Validation holds out the images the choice is made on (default 10 000).
	Setting string    // The setting, by its flag: "dropout", "max-norm", …
	Values  []float64 // From the weakest to the strongest: 0 (off) first, then dropout 0.2, 0.5; max-norm 4, 2, 1.
	Seeds   []uint64  // Default: Base.Seed alone.
	Dir     string    // Each run in Dir/<setting>-<value>/seed-N, without any regularization in Dir/no-penalty/seed-N (as a sweep's λ = 0).
}

// Tried is what TryValues leaves behind (in Dir/tried-<setting>, read back
// by LoadTried): each value's figures over the seeds (history.SweepPoint,
// Lambda holding the value, Path the setting), the values each rule chose,
// and their test accuracy alone.
type Tried struct {
	Setting string
	Seeds   []uint64
	Dir     string               // Values.Dir: the runs' directories (Points' Dirs) are relative to it.
	Points  []history.SweepPoint // In the order of Values: from the weakest to the strongest.
}

// TryValues trains Base with each of the setting's values and each seed,
// jobs runs at a time (0: one per core), with a validation split and
// without the test set, a line as each run ends. Then it chooses by the
// rules of a sweep, on the mean validation accuracy over the seeds: the
// best mean, and the one-standard-error rule — the strongest value (the
// last in Values' order) whose mean is within one standard error of the
// best — and evaluates the values chosen, and those alone, on the test set
// once. A run that finished in its directory is read, not run again (the
// value 0 of a regularizer is a sweep's λ = 0 in the same directory, the
// network without any regularization); an interrupted one resumes.
func TryValues(ctx context.Context, v Values, jobs int) (*Tried, error) {
	ctx, stop := signal.NotifyContext(ctx, os.Interrupt)
	defer stop()
	p, err := v.plan()
	if err != nil {
		return nil, err
	}
	if jobs == 0 {
		jobs = runtime.NumCPU()
	}
	if jobs < 1 {
		return nil, fmt.Errorf("jobs = %d: want at least 1", jobs)
	}
	d, err := data.Load(v.Base.DataDir)
	if err != nil {
		return nil, err
	}
	if err := runJobs(ctx, p, d, jobs); err != nil {
		return nil, err
	}
	s, err := sweep.Collect(p) // Figures over the seeds (its own choice by λ is replaced below).
	if err != nil {
		return nil, err
	}
	chooseInOrder(s.Points)
	b, _, err := backend.ForRun(v.Base.Backend, v.Base.BatchSize)
	if err != nil {
		return nil, err
	}
	if err := sweep.EvaluateChosen(s, v.Dir, d.Test.Subset(v.Base.TestLimit), b); err != nil {
		return nil, err
	}
	t := &Tried{Setting: v.Setting, Seeds: p.Grid.Seeds, Dir: v.Dir, Points: s.Points}
	return t, t.save()
}

// triedDir is the directory, in Values.Dir, of what TryValues left for
// setting: a sweep's files (sweep.json, .csv, .md) whose λ is the value.
func triedDir(dir, setting string) string { return filepath.Join(dir, "tried-"+setting) }

func (t *Tried) save() error {
	out := triedDir(t.Dir, t.Setting)
	if err := os.MkdirAll(out, 0o755); err != nil {
		return err
	}
	s := history.Sweep{Axis: t.Setting, Seeds: t.Seeds, Points: slices.Clone(t.Points)}
	for i := range s.Points { // Relative to out, as a sweep's.
		s.Points[i].Dirs = slices.Clone(s.Points[i].Dirs)
		for k, d := range s.Points[i].Dirs {
			s.Points[i].Dirs[k] = filepath.Join("..", d)
		}
	}
	return s.WriteFiles(out)
}

// LoadTried reads what TryValues left in dir for setting (the cell that
// ran it, run before).
func LoadTried(dir, setting string) (*Tried, error) {
	s, err := history.LoadSweep(triedDir(dir, setting))
	if err != nil {
		return nil, fmt.Errorf("%s: %w (run TryValues first)", setting, err)
	}
	for i := range s.Points {
		for k, d := range s.Points[i].Dirs {
			s.Points[i].Dirs[k] = strings.TrimPrefix(d, ".."+string(filepath.Separator))
		}
	}
	return &Tried{Setting: setting, Seeds: s.Seeds, Dir: dir, Points: s.Points}, nil
}

// LoadSeeds reads the runs dir/seed-N of each seed (TrainSeeds' layout).
func LoadSeeds(dir string, seeds []uint64) ([]*History, error) {
	var hs []*History
	for _, seed := range seeds {
		h, err := LoadHistory(filepath.Join(dir, fmt.Sprintf("seed-%d", seed)))
		if err != nil {
			return nil, err
		}
		hs = append(hs, h)
	}
	return hs, nil
}

// plan lays the values out as a sweep's plan: a point per value, on one
// path, each with a job per seed.
func (v Values) plan() (*sweep.Plan, error) {
	setting, ok := settings.ByFlag(v.Setting)
	switch {
	case !ok:
		return nil, fmt.Errorf("try values: no setting %q (want a setting's flag: dropout, max-norm, …)", v.Setting)
	case len(v.Values) == 0:
		return nil, fmt.Errorf("try values: no value of %s to try", v.Setting)
	case v.Dir == "":
		return nil, errors.New("try values: no directory for the runs")
	}
	base := v.Base
	if base.Validation == 0 {
		base.Validation = sweep.DefaultValidation
	}
	base.NoTest = true // Only the values chosen are evaluated on the test set.
	seeds := v.Seeds
	if len(seeds) == 0 {
		seeds = []uint64{base.Seed}
	}
	p := &sweep.Plan{Grid: sweep.Grid{Base: base, Seeds: seeds, Dir: v.Dir}}
	for i, x := range v.Values {
		cfg := base
		if err := setting.Set(&cfg, settings.Number(x)); err != nil {
			return nil, fmt.Errorf("try values: %w", err)
		}
		if err := cfg.Validate(); err != nil {
			return nil, fmt.Errorf("try values: %w", err)
		}
		for _, earlier := range v.Values[:i] {
			if earlier == x {
				return nil, fmt.Errorf("try values: %s = %s given twice", v.Setting, settings.Number(x))
			}
		}
		key := v.Setting + "-" + settings.Number(x)
		if cfg.Label() == "no penalty" { // A sweep's λ = 0 in the same directory: the same runs.
			key = sweep.NoPenalty
		}
		pt := sweep.Point{Path: v.Setting, Lambda: x, Label: cfg.Label(), Key: key}
		for _, seed := range seeds {
			c := cfg
			c.Seed, c.OutDir = seed, filepath.Join(v.Dir, key, fmt.Sprintf("seed-%d", seed))
			pt.Jobs = append(pt.Jobs, len(p.Jobs))
			p.Jobs = append(p.Jobs, sweep.Job{Index: len(p.Jobs), Point: len(p.Points), Config: c})
		}
		p.Points = append(p.Points, pt)
	}
	return p, nil
}

// runJobs runs the plan's jobs, jobs at a time, a line as each ends; a job
// whose run finished before is read, not run.
func runJobs(ctx context.Context, p *sweep.Plan, d *data.TrainTest, jobs int) error {
	if err := os.MkdirAll(p.Grid.Dir, 0o755); err != nil {
		return err
	}
	queue := make(chan int)
	var mu sync.Mutex
	var errs []error
	var wg sync.WaitGroup
	done := 0
	for range min(jobs, len(p.Jobs)) {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := range queue {
				j := p.Jobs[i]
				start := time.Now()
				before, _ := history.Load(j.Config.OutDir)
				err := sweep.RunJob(ctx, p, i, d, discardLog{})
				took := time.Since(start)
				if before != nil && (before.Status == history.Finished || before.Status == history.Diverged) {
					took = 0
				}
				line := jobLine(j, err, took)
				mu.Lock()
				done++
				fmt.Printf("[%d/%d] %s, seed %d: %s\n", done, len(p.Jobs), p.Points[j.Point].Label, j.Config.Seed, line)
				if err != nil {
					errs = append(errs, fmt.Errorf("%s: %w", j.Config.OutDir, err))
				}
				mu.Unlock()
			}
		}()
	}
	for i := range p.Jobs {
		if ctx.Err() != nil {
			break
		}
		queue <- i
	}
	close(queue)
	wg.Wait()
	if ctx.Err() != nil {
		return fmt.Errorf("interrupted: the finished runs are kept in %s; run the cell again to continue", p.Grid.Dir)
	}
	return errors.Join(errs...)
}

type discardLog struct{}

func (discardLog) Write(b []byte) (int, error) { return len(b), nil }

// jobLine says how job j ended; took is how long it ran (0: it had
// finished before).
func jobLine(j sweep.Job, err error, took time.Duration) string {
	if err != nil {
		return "failed: " + err.Error()
	}
	h, err := history.Load(j.Config.OutDir)
	if err != nil {
		return "no history: " + err.Error()
	}
	if h.Status == history.Diverged {
		return fmt.Sprintf("diverged at step %d", h.StepsDone)
	}
	when := "finished before"
	if took > 0 {
		when = took.Round(100 * time.Millisecond).String()
	}
	return fmt.Sprintf("validation accuracy %.4f, loss %.3f (%s)", h.Summary.ValidationAccuracy, h.Summary.ValidationLoss, when)
}

// chooseInOrder marks the point of the best mean validation accuracy and
// that of the one-standard-error rule — the last (strongest) point whose
// mean is within one SE of the best — among the points whose runs all
// finished. Ties go to the stronger.
func chooseInOrder(points []history.SweepPoint) {
	mean := func(p history.SweepPoint) (history.FigureStat, bool) {
		f, ok := p.Figure(history.FigValidationAccuracy)
		ok = ok && p.Finished == len(p.Dirs) && p.Finished > 0 && !math.IsNaN(f.Mean)
		return f, ok
	}
	best := -1
	for i := range points {
		points[i].Chosen = nil
		if f, ok := mean(points[i]); ok && (best < 0 || f.Mean >= must(mean(points[best])).Mean) {
			best = i
		}
	}
	if best < 0 {
		return
	}
	top := must(mean(points[best]))
	oneSE := best
	for i := range points {
		if f, ok := mean(points[i]); ok && i > oneSE && f.Mean >= top.Mean-top.SE() {
			oneSE = i
		}
	}
	points[best].Chosen = append(points[best].Chosen, history.ChosenBest)
	points[oneSE].Chosen = append(points[oneSE].Chosen, history.ChosenOneSE)
}

func must(f history.FigureStat, _ bool) history.FigureStat { return f }

// ShowTried shows what TryValues left: per value, the validation accuracy
// (mean ± sd over the seeds) and its standard error, the validation loss,
// the train − validation gap, the rules that chose it and, for those
// alone, the test accuracy.
func ShowTried(t *Tried) {
	header := []string{t.Setting, "validation accuracy", "SE", "validation loss", history.FigGap, "runs", "chosen", "test accuracy"}
	var rows [][]string
	for _, p := range t.Points {
		cell := func(name string) string {
			if f, ok := p.Figure(name); ok {
				return f.String()
			}
			return "—"
		}
		se, test := "—", ""
		if f, ok := p.Figure(history.FigValidationAccuracy); ok {
			se = fmt.Sprintf("%.4f", f.SE())
		}
		if p.Test != nil {
			test = p.Test.Format("%.4f")
		}
		value := settings.Number(p.Lambda)
		if p.Lambda == 0 {
			value = "0 (off)"
		}
		rows = append(rows, []string{value, cell(history.FigValidationAccuracy), se, cell("validation loss"),
			cell(history.FigGap), fmt.Sprintf("%d of %d", p.Finished, len(p.Dirs)), strings.Join(p.Chosen, ", "), test})
	}
	ShowTable(header, rows)
}
