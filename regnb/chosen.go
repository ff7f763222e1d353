package regnb

import (
	"errors"
	"fmt"
	"path/filepath"
	"slices"

	"gonum.org/v1/plot"

	"github.com/regnb/regnb/internal/backend"
	"github.com/regnb/regnb/regnb/data"
	"github.com/regnb/regnb/regnb/history"
	"github.com/regnb/regnb/regnb/infer"
	"github.com/regnb/regnb/regnb/plots"
	"github.com/regnb/regnb/regnb/run"
)

// Chosen is a configuration chosen on the validation split: its runs, one
// per seed, and their test accuracies, evaluated once, after the choice.
type Chosen struct {
	// Regularizer is what was chosen among: the sweep's path ("l1", "l2",
	// "elastic-net") or TryValues' setting ("dropout", "max-norm"); "" for
	// the baseline.
	Regularizer string
	Label       string     // The configuration in words: "L2, λ = 1e-3", "dropout 0.5", "no penalty".
	Rule        string     // The rule that chose it (BestMean, OneSE), or Reference for the baseline.
	Runs        []*History // Its runs, in the order of the seeds.
	Test        []float64  // Each run's test accuracy.
}

// SweepChoices returns, for each path of the sweep s (each penalty), the
// configuration the rule chose, with its runs read from the sweep's
// directory dir.
func SweepChoices(s *SweepResult, dir, rule string) ([]Chosen, error) {
	var out []Chosen
	for _, p := range s.Points {
		if !slices.Contains(p.Chosen, rule) {
			continue
		}
		c, err := chosen(p, dir, rule)
		if err != nil {
			return nil, err
		}
		out = append(out, c)
	}
	return out, nil
}

// Choice returns the value the rule chose, with its runs.
func (t *Tried) Choice(rule string) (Chosen, error) {
	for _, p := range t.Points {
		if slices.Contains(p.Chosen, rule) {
			return chosen(p, t.Dir, rule)
		}
	}
	return Chosen{}, fmt.Errorf("%s: no value chosen by the %s", t.Setting, rule)
}

func chosen(p history.SweepPoint, dir, rule string) (Chosen, error) {
	c := Chosen{Regularizer: p.Path, Label: p.Label, Rule: rule, Test: p.TestBySeed}
	if p.Label == "no penalty" && p.Path != "" { // The rule chose none of the regularizer.
		c.Label = plots.PenaltyName(p.Path) + " off (no penalty)"
	}
	for _, rel := range p.Dirs {
		h, err := LoadHistory(filepath.Join(dir, rel))
		if err != nil {
			return Chosen{}, err
		}
		c.Runs = append(c.Runs, h)
	}
	if len(c.Test) != len(c.Runs) {
		return Chosen{}, fmt.Errorf("%s: %d test accuracies for %d runs", p.Label, len(c.Test), len(c.Runs))
	}
	return c, nil
}

// TestStat is the test accuracy's mean and spread over the seeds.
func (c Chosen) TestStat() history.Stat { return history.NewStat(c.Test) }

// Figure returns a figure's mean and spread over the runs (history.Figures'
// names: "validation loss", history.FigGap, history.FigSmall, …).
func (c Chosen) Figure(name string) (history.FigureStat, bool) {
	return history.Find(history.Aggregate(c.Runs), name)
}

// GainOver returns the test accuracy of c less that of base, seed by seed
// (the same seeds hold out the same validation images and train on the same
// images), summarized: its mean, its spread over the seeds, its smallest
// and largest value. Both must have been run with the same seeds.
func (c Chosen) GainOver(base Chosen) (Gain, error) {
	if len(c.Runs) != len(base.Runs) {
		return history.Stat{}, fmt.Errorf("%s and %s: %d and %d seeds", c.Label, base.Label, len(c.Runs), len(base.Runs))
	}
	var gains []float64
	for i := range c.Runs {
		if c.Runs[i].Config.Seed != base.Runs[i].Config.Seed {
			return history.Stat{}, fmt.Errorf("%s and %s: seeds %d and %d", c.Label, base.Label, c.Runs[i].Config.Seed, base.Runs[i].Config.Seed)
		}
		gains = append(gains, c.Test[i]-base.Test[i])
	}
	return history.NewStat(gains), nil
}

// SilentPixels is the number of input pixels that the first layer of h
// has (nearly) stopped listening to: Σ_j |W₀[j, p]| below one SmallWeight
// per hidden unit of the first layer.
func SilentPixels(h *History) int {
	if len(h.Config.Hidden) == 0 {
		return 0
	}
	limit := float64(h.Config.Hidden[0]) * SmallWeight
	n := 0
	for _, v := range h.Summary.InputL1 {
		if v < limit {
			n++
		}
	}
	return n
}

// The curves over the epochs that CurvesPlot draws.
var (
	ValidationLoss     = plots.ValidationLossCurve     // Cross-entropy on the validation split.
	TrainLoss          = plots.TrainLossCurve          // Cross-entropy of the mini-batches trained on.
	ValidationAccuracy = plots.ValidationAccuracyCurve // Accuracy on the validation split.
	Gap                = plots.GapCurve                // Train accuracy less validation accuracy.
)

// CurvesPlot draws a curve over the epochs for each group of runs (one
// configuration, its seeds): the mean over the seeds, with a band from the
// lowest to the highest.
func CurvesPlot(curve plots.EpochValue, groups ...[]*History) *plot.Plot {
	return plots.SeedCurves(curve, groups...)
}

// MeanCurve returns the epochs (1, 2, …) and the mean of the curve over
// the runs (one configuration, its seeds) after each.
func MeanCurve(curve plots.EpochValue, runs []*History) (epochs, mean []float64) {
	return plots.MeanCurve(curve, runs)
}

// LossCurvesPlot draws each group's validation loss (solid) and training
// loss (dashed) over the epochs, mean over the seeds.
func LossCurvesPlot(groups ...[]*History) *plot.Plot { return plots.SeedLossCurves(groups...) }

// RunsOf returns the runs of each configuration, for CurvesPlot, each
// configuration once: a regularizer whose rule chose to leave it off has
// the runs of the baseline, which are not repeated.
func RunsOf(configs ...Chosen) [][]*History {
	var out [][]*History
	seen := map[string]bool{}
	for _, c := range configs {
		if len(c.Runs) == 0 || seen[c.Runs[0].Config.OutDir] {
			continue
		}
		seen[c.Runs[0].Config.OutDir] = true
		out = append(out, c.Runs)
	}
	return out
}

// Reference is the rule of a configuration that was not chosen but is
// compared with: the network without regularization.
const Reference = "reference"

// Baseline evaluates runs — the network without regularization, one run per
// seed — on the test set, once: the reference that the configurations
// chosen on the validation split are compared with (nothing is chosen by
// its test accuracy).
func Baseline(runs []*History) (Chosen, error) {
	if len(runs) == 0 {
		return Chosen{}, errors.New("baseline: no run")
	}
	c := Chosen{Label: runs[0].Name(), Rule: Reference, Runs: runs}
	d, err := data.Load(runs[0].Config.DataDir)
	if err != nil {
		return Chosen{}, err
	}
	for _, h := range runs {
		acc, err := testAccuracy(h, d)
		if err != nil {
			return Chosen{}, fmt.Errorf("baseline: %w", err)
		}
		c.Test = append(c.Test, acc)
	}
	return c, nil
}

// testAccuracy evaluates the network run h ended with (its checkpoint) on
// the test set of d, as a sweep evaluates what it chose.
func testAccuracy(h *History, d *data.TrainTest) (float64, error) {
	net, err := run.LoadNetwork(h.Config.OutDir)
	if err != nil {
		return 0, err
	}
	b, _, err := backend.ForRun(h.Config.Backend, h.Config.BatchSize)
	if err != nil {
		return 0, err
	}
	return infer.AccuracyOn(b, net, d.Test.Subset(h.Config.TestLimit))
}

// ShowComparison shows the configurations side by side: the test accuracy
// (mean ± sd over the seeds) and its gain over the first configuration
// seed by seed (mean, and the smallest and largest over the seeds), the validation
// loss, the train − validation gap, the share of weights |w| < 1e-3 and the
// input pixels the first layer no longer listens to (SilentPixels).
func ShowComparison(configs ...Chosen) {
	header := []string{"configuration", "chosen by", "test accuracy", "gain (seeds: min … max)",
		"validation loss", "train − validation", "∣w∣ < 1e-3", "silent pixels"}
	var rows [][]string
	for i, c := range configs {
		fig := func(name, suffix string) string {
			if f, ok := c.Figure(name); ok {
				return f.String() + suffix
			}
			return "—"
		}
		gain := "—"
		if g, err := c.GainOver(configs[0]); err == nil && i > 0 {
			gain = fmt.Sprintf("%+.4f (%+.4f … %+.4f)", g.Mean, g.Min, g.Max)
		}
		var silent []float64
		for _, h := range c.Runs {
			silent = append(silent, float64(SilentPixels(h)))
		}
		rows = append(rows, []string{c.Label, c.Rule, c.TestStat().Format("%.4f"), gain, fig("validation loss", ""),
			fig(history.FigGap, ""), fig(history.FigSmall, " %"), history.NewStat(silent).Format("%.0f")})
	}
	ShowTable(header, rows)
}

// SweepFigurePlot draws one of a sweep's figures against λ, mean ± SE
// over the seeds, a line per penalty (e.g. "validation loss"; the sweep's
// table and SweepPlot show the validation accuracy).
func SweepFigurePlot(s *SweepResult, figure, yLabel string) *plot.Plot {
	return plots.SweepFigure(s, figure, yLabel)
}

// Stat is a figure's mean and spread over the seeds (Mean, SD, SE()).
type Stat = history.FigureStat

// Gain is a test-accuracy gain over the seeds: its Mean, SD, Min and Max.
type Gain = history.Stat

// SweepFigureOf returns a figure ("validation accuracy", "validation loss",
// "train − validation", …) of the sweep's configuration on path (the
// penalty: "l1", "l2", "elastic-net") with strength lambda, over its seeds.
func SweepFigureOf(s *SweepResult, path string, lambda float64, figure string) (Stat, error) {
	for _, p := range s.Points {
		if p.Path == path && p.Lambda == lambda {
			if f, ok := p.Figure(figure); ok {
				return f, nil
			}
			return Stat{}, fmt.Errorf("sweep: %s has no figure %q", p.Label, figure)
		}
	}
	return Stat{}, fmt.Errorf("sweep: no configuration %s, λ = %g", path, lambda)
}

// RecordChosen records (Record) what ShowComparison shows of c, under
// names starting with prefix: the mean test accuracy (prefix.test) and its
// standard deviation (.test_sd); the gain over base seed by seed (.gain,
// .gain_min, .gain_max); the validation loss
// (.val_loss), the train − validation gap (.gap), the share of |w| < 1e-3
// in % (.small_pct) and the silent pixels (.silent), means over the seeds.
// It returns the gain.
func RecordChosen(prefix string, c, base Chosen) (Gain, error) {
	Record(prefix+".test", c.TestStat().Mean)
	Record(prefix+".test_sd", c.TestStat().SD)
	for name, figure := range map[string]string{"val_loss": "validation loss", "gap": history.FigGap, "small_pct": history.FigSmall} {
		if f, ok := c.Figure(figure); ok {
			Record(prefix+"."+name, f.Mean)
		}
	}
	var silent []float64
	for _, h := range c.Runs {
		silent = append(silent, float64(SilentPixels(h)))
	}
	Record(prefix+".silent", history.NewStat(silent).Mean)
	gain, err := c.GainOver(base) // 0 on every seed when c is base (a rule that chose to leave its regularizer off).
	if err != nil {
		return gain, err
	}
	Record(prefix+".gain", gain.Mean)
	Record(prefix+".gain_min", gain.Min)
	Record(prefix+".gain_max", gain.Max)
	return gain, nil
}

// RecordSweep records (Record) the figures of each configuration of a
// sweep, means over its seeds, as prefix.<path>.<λ>.<figure>, λ written by
// %g (1e-05, 0.0001): the validation accuracy (val_acc) and its standard
// error (val_acc_se), the validation loss (val_loss), the train accuracy
// (train_acc) and the train − validation gap (gap).
func RecordSweep(prefix string, s *SweepResult) { recordPoints(prefix, s.Points) }

// RecordTried records what TryValues left as RecordSweep does, as
// prefix.<setting>.<value>.<figure>.
func RecordTried(prefix string, t *Tried) { recordPoints(prefix, t.Points) }

func recordPoints(prefix string, points []history.SweepPoint) {
	for _, p := range points {
		name := fmt.Sprintf("%s.%s.%g", prefix, p.Path, p.Lambda)
		if f, ok := p.Figure(history.FigValidationAccuracy); ok {
			Record(name+".val_acc", f.Mean)
			Record(name+".val_acc_se", f.SE())
		}
		for short, figure := range map[string]string{"val_loss": "validation loss", "train_acc": "train accuracy", "gap": history.FigGap} {
			if f, ok := p.Figure(figure); ok {
				Record(name+"."+short, f.Mean)
			}
		}
	}
}
