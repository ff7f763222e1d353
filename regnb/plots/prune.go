package plots

import (
	"fmt"
	"math"
	"slices"

	"gonum.org/v1/plot"
	"gonum.org/v1/plot/plotter"
	"gonum.org/v1/plot/plotutil"
	"gonum.org/v1/plot/vg"
	"gonum.org/v1/plot/vg/draw"

	"github.com/regnb/regnb/regnb/history"
	"github.com/regnb/regnb/regnb/settings"
)

// UnitNorms draws the norm of each hidden unit (its incoming weights and
// bias) of a run that pruned, as they were when it pruned: each layer's
// units sorted from the largest, on a log scale, and the floor below which
// they were removed as a dashed line. Under a subgradient group lasso the
// units the penalty won sit far below the others.
func UnitNorms(h *history.History) *plot.Plot {
	p := newPlot("Each hidden unit's norm when the run pruned", "unit, sorted by its norm (incoming weights and bias)", "norm (log scale)")
	if h.Pruning == nil {
		return p
	}
	drawn := false
	for i, norms := range h.Pruning.Norms {
		sorted := slices.Clone(norms)
		slices.SortFunc(sorted, func(a, b float64) int { return -compare(a, b) })
		xs := make([]float64, len(sorted))
		for j := range xs {
			xs[j] = float64(j + 1)
		}
		label := fmt.Sprintf("hidden layer %d: %d of %d kept", i+1, h.Pruning.Kept[i], len(norms))
		drawn = addLine(p, label, i, false, true, xs, sorted) || drawn
	}
	if f := h.Pruning.Floor; f > 0 {
		addLine(p, "floor "+settings.Number(f)+": units below it are removed", len(h.Pruning.Norms), true, true,
			[]float64{1, float64(slices.Max(h.Pruning.Hidden))}, []float64{f, f})
	}
	useLogY(p, drawn)
	if lo, hi := positiveRange(h.Pruning.Norms); drawn && lo < hi {
		p.Y.Tick.Marker = numberTicks(oneTwoFive(lo, hi)) // 0.01, 0.02, 0.05, …: LogTicks labels powers of 10 alone.
		p.Y.Min, p.Y.Max = lo/1.5, hi*1.5
	}
	return p
}

// positiveRange returns the smallest and largest positive value of xs.
func positiveRange(xs [][]float64) (lo, hi float64) {
	lo = math.Inf(1)
	for _, row := range xs {
		for _, x := range row {
			if x > 0 {
				lo, hi = math.Min(lo, x), math.Max(hi, x)
			}
		}
	}
	return lo, hi
}

func compare(a, b float64) int {
	switch {
	case a < b:
		return -1
	case a > b:
		return 1
	}
	return 0
}

// PruningPhases draws the accuracy over the epochs of a run that pruned,
// then fine-tuned (from epoch 1): solid through the epochs with the penalty,
// a dashed step at the pruning down (or up) to the pruned network before
// any fine-tuning, then solid again through the fine-tuning. It draws the
// validation accuracy, or the train accuracy of a run without a validation
// split.
func PruningPhases(h *history.History) *plot.Plot {
	y := "validation accuracy"
	acc := func(r history.EpochRecord) float64 { return r.ValidationAccuracy }
	if h.Config.Validation == 0 {
		y, acc = "train accuracy", func(r history.EpochRecord) float64 { return r.TrainAccuracy }
	}
	p := newPlot("Accuracy through pruning and fine-tuning", "epoch", y)
	var xs, ys []float64
	for _, r := range h.Epochs {
		if r.Epoch == 0 {
			continue
		}
		xs, ys = append(xs, float64(r.Epoch)), append(ys, acc(r))
		pr := h.Pruning
		if pr == nil || r.Epoch != pr.Epoch {
			continue
		}
		addLine(p, "with the penalty", 0, false, false, xs, ys)
		addLine(p, fmt.Sprintf("pruned to %s units", history.UnitsLine(pr.Kept, pr.Hidden)), 1, true, false,
			[]float64{float64(pr.Epoch), float64(pr.Epoch)}, []float64{acc(r), acc(pr.After)})
		xs, ys = []float64{float64(pr.Epoch)}, []float64{acc(pr.After)}
	}
	label := "fine-tuned without penalty"
	if h.Pruning == nil {
		label = h.Name()
	}
	addLine(p, label, 2, false, false, xs, ys)
	return p
}

// PruneSweep draws a sweep of the group lasso that prunes, then fine-tunes:
// for each configuration, its mean validation accuracy (± one standard
// deviation over the seeds) against the hidden units it kept (mean over
// the seeds), labelled by λ, a colour per path of the grid (a floor, say);
// the configurations the tolerance rule chose (else any rule) ringed, and,
// with a tolerance, the best mean less the tolerance as a dashed line.
func PruneSweep(s *history.Sweep) *plot.Plot {
	p := newPlot(fmt.Sprintf("Accuracy against size (mean ± sd over %d seeds)", len(s.Seeds)),
		"hidden units kept (both layers)", "validation accuracy")
	var chosen, all plotter.XYs
	best := math.Inf(-1)
	labelled := map[plotter.XY]bool{}
	for i, path := range sweepPaths(s) {
		var pts plotter.XYs
		var errs plotter.YErrors
		var labels []string
		for _, pt := range s.Points {
			acc, ok1 := pt.Figure(history.FigValidationAccuracy)
			units, ok2 := pt.Figure(history.FigUnitsKept)
			if pt.Path != path || !ok1 || !ok2 {
				continue
			}
			xy := plotter.XY{X: units.Mean, Y: acc.Mean}
			best = math.Max(best, acc.Mean)
			pts, all = append(pts, xy), append(all, xy)
			errs = append(errs, struct{ Low, High float64 }{acc.SD, acc.SD})
			label := "" // Once per place: λ = 0 of every path is the same network.
			if !labelled[xy] {
				label, labelled[xy] = "λ = "+settings.Number(pt.Lambda), true
			}
			labels = append(labels, label)
			if slices.Contains(pt.Chosen, history.ChosenTolerance) || (s.Tolerance == 0 && len(pt.Chosen) > 0) {
				chosen = append(chosen, xy)
			}
		}
		if len(pts) > 0 {
			addPoints(p, sweepPathLegend(s, path), i, pts, errs, labels)
		}
	}
	if len(all) > 0 && s.Tolerance > 0 {
		lo, hi := slices.MinFunc(all, byX).X, slices.MaxFunc(all, byX).X
		addLine(p, fmt.Sprintf("best mean − %g: the tolerance rule's limit", s.Tolerance), len(sweepPaths(s)), true, false,
			[]float64{lo, hi}, []float64{best - s.Tolerance, best - s.Tolerance})
	}
	rule := history.ChosenTolerance
	if s.Tolerance == 0 {
		rule = "a rule"
	}
	addMarks(p, rule, chosen, draw.RingGlyph{}, 7)
	if len(all) > 0 {
		p.X.Min, p.X.Max = slices.MinFunc(all, byX).X-3, slices.MaxFunc(all, byX).X+10 // Room for the labels.
	}
	return p
}

// sweepPathLegend names a path of a sweep of the group lasso in a legend.
func sweepPathLegend(s *history.Sweep, path string) string {
	switch s.Axis {
	case "":
		return "group lasso, then pruned and fine-tuned"
	case "prune-floor":
		return "units below " + path + " pruned"
	}
	return s.Axis + " = " + path
}

func byX(a, b plotter.XY) int { return compare(a.X, b.X) }

// addPoints adds points with vertical error bars and a text label each.
func addPoints(p *plot.Plot, legend string, i int, pts plotter.XYs, errs plotter.YErrors, labels []string) {
	s, err := plotter.NewScatter(pts)
	if err != nil {
		return
	}
	s.Color, s.Shape, s.Radius = plotutil.Color(i), draw.CircleGlyph{}, vg.Points(3)
	p.Add(s)
	p.Legend.Add(legend, s)
	if bars, err := plotter.NewYErrorBars(struct {
		plotter.XYs
		plotter.YErrors
	}{pts, errs}); err == nil {
		bars.Color = plotutil.Color(i)
		p.Add(bars)
	}
	if len(labels) == len(pts) {
		if l, err := plotter.NewLabels(plotter.XYLabels{XYs: pts, Labels: labels}); err == nil {
			for k := range l.TextStyle {
				l.TextStyle[k].Font.Size = vg.Points(8)
				l.TextStyle[k].XAlign, l.Offset = draw.XLeft, vg.Point{X: vg.Points(5), Y: vg.Points(2)}
			}
			p.Add(l)
		}
	}
}
