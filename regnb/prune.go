package regnb

import (
	"context"
	"errors"
	"fmt"
	"math"
	"os"
	"path/filepath"
	"slices"
	"sync"

	"gonum.org/v1/plot"

	"github.com/regnb/regnb/regnb/data"
	"github.com/regnb/regnb/regnb/history"
	"github.com/regnb/regnb/regnb/plots"
	"github.com/regnb/regnb/regnb/run"
)

// The rules by which a sweep chooses λ (SweepResult's points' Chosen), and
// TryValues a value.
const (
	BestMean      = history.ChosenBest      // The highest mean validation accuracy.
	OneSE         = history.ChosenOneSE     // glmnet's rule: the strongest within one SE of the best.
	ToleranceRule = history.ChosenTolerance // The largest λ within SweepGrid.Tolerance of the best.
)

// SweepPoint is one configuration of a sweep, with its figures over the seeds.
type SweepPoint = history.SweepPoint

// QuickPruneImages is how many training images a run of notebook 6 trains on
// in quick mode: a few hundred steps at batch 100, both phases of a run
// that prunes, then fine-tunes, included.
const QuickPruneImages = 4000

// ForPruning returns cfg as notebook 6 runs it: unchanged normally; in quick
// mode on QuickPruneImages training images, a validation split of 2 000 and
// QuickTestLimit test images (MaxSteps would stop a run before it prunes).
func ForPruning(cfg Config) Config {
	if QuickMode() {
		cfg.TrainLimit, cfg.Validation, cfg.TestLimit = QuickPruneImages, 2000, QuickTestLimit
		cfg.LogEvery = QuickLogEvery
	}
	return cfg
}

// Fresh removes the run directory dir and returns it: a cell that trains
// into Fresh(RunDir(name)) replaces its runs each time it runs, where a
// sweep would otherwise continue the runs it finds.
func Fresh(dir string) string {
	Check(os.RemoveAll(dir))
	return dir
}

// ChosenPoint returns the configuration of the sweep s that rule chose; on a
// sweep with several paths (a rule chooses on each), the one that kept the
// fewest hidden units (the mean over its seeds). It returns false if the
// rule chose none.
func ChosenPoint(s *SweepResult, rule string) (SweepPoint, bool) {
	best, found := SweepPoint{}, false
	for _, p := range s.Points {
		if slices.Contains(p.Chosen, rule) && (!found || units(p) < units(best)) {
			best, found = p, true
		}
	}
	return best, found
}

// units is the mean of the hidden units a configuration kept (+Inf if unknown).
func units(p SweepPoint) float64 {
	if f, ok := p.Figure(history.FigUnitsKept); ok {
		return f.Mean
	}
	return math.Inf(1)
}

// At returns the configuration of the sweep s with strength lambda.
func At(s *SweepResult, lambda float64) (SweepPoint, bool) {
	i := slices.IndexFunc(s.Points, func(p SweepPoint) bool { return p.Lambda == lambda })
	if i < 0 {
		return SweepPoint{}, false
	}
	return s.Points[i], true
}

// Runs returns the directories of the runs of p, a configuration of the
// sweep in dir, one per seed.
func Runs(dir string, p SweepPoint) []string {
	out := make([]string, len(p.Dirs))
	for i, rel := range p.Dirs {
		out[i] = filepath.Join(dir, rel)
	}
	return out
}

// KeptSizes returns the hidden units each layer kept in the runs, averaged
// over them and rounded: the sizes of a dense network to train from scratch
// for comparison.
func KeptSizes(runs []string) ([]int, error) {
	var sums []float64
	for _, dir := range runs {
		h, err := history.Load(dir)
		if err != nil {
			return nil, err
		}
		if sums == nil {
			sums = make([]float64, len(h.Summary.UnitsKept))
		}
		for i, k := range h.Summary.UnitsKept {
			sums[i] += float64(k)
		}
	}
	if len(sums) == 0 {
		return nil, fmt.Errorf("kept sizes: no run")
	}
	sizes := make([]int, len(sums))
	for i, s := range sums {
		sizes[i] = int(math.Round(s / float64(len(runs))))
	}
	return sizes, nil
}

// PruneSweepPlot draws a sweep of the group lasso that prunes, then
// fine-tunes: validation accuracy against the hidden units kept.
func PruneSweepPlot(s *SweepResult) *plot.Plot { return plots.PruneSweep(s) }

// UnitNormsPlot draws each hidden unit's norm when a run pruned, with the floor.
func UnitNormsPlot(h *History) *plot.Plot { return plots.UnitNorms(h) }

// PruningPlot draws a run's accuracy through its epochs with the penalty,
// its pruning and its fine-tuning.
func PruningPlot(h *History) *plot.Plot { return plots.PruningPhases(h) }

// TrainEach trains cfg once with each seed, jobs at a time (in this
// program's goroutines, as Sweep does), each run in dir/seed-N, without a
// progress bar (a line per run as it ends) and without the test set, which
// Evaluate then uses once. It returns the histories in the order of seeds.
func TrainEach(ctx context.Context, cfg Config, seeds []uint64, dir string, jobs int) ([]*History, error) {
	d, err := data.Load(cfg.DataDir)
	if err != nil {
		return nil, err
	}
	hs, errs := make([]*History, len(seeds)), make([]error, len(seeds))
	slots := make(chan struct{}, max(jobs, 1))
	var wg sync.WaitGroup
	for i, seed := range seeds {
		wg.Go(func() {
			slots <- struct{}{}
			defer func() { <-slots }()
			c := cfg
			c.Seed, c.NoTest, c.OutDir = seed, true, filepath.Join(dir, fmt.Sprintf("seed-%d", seed))
			hs[i], errs[i] = run.Train(ctx, c, run.WithData(d), run.WithLog(nil), run.WithProgress(run.NoProgress{}))
			if errs[i] == nil {
				fmt.Printf("hidden %v, %s, seed %d: validation accuracy %.4f\n", c.Hidden, c.Label(), seed, hs[i].Summary.ValidationAccuracy)
			}
		})
	}
	wg.Wait()
	return hs, errors.Join(errs...)
}

// MustLoadSweep reads the sweep.json of the notebook's sweep named name
// (RunDir); a missing or unreadable one stops the cell.
func MustLoadSweep(name string) *SweepResult {
	s, err := history.LoadSweep(RunDir(name))
	Check(err)
	return s
}

// MustLoadNetwork reads the network of the run in dir from its checkpoint;
// an error stops the cell.
func MustLoadNetwork(dir string) *Network {
	n, err := LoadNetwork(dir)
	Check(err)
	return n
}

// TestImages returns MNIST's test set: its 10 000 images, or the first
// QuickTestLimit in quick mode.
func TestImages() *data.Set {
	d, err := data.Load("")
	Check(err)
	if QuickMode() {
		return d.Test.Subset(QuickTestLimit)
	}
	return d.Test
}
