package plots

import (
	"fmt"
	"image/color"
	"math"
	"slices"

	"gonum.org/v1/plot"
	"gonum.org/v1/plot/plotter"
	"gonum.org/v1/plot/vg"

	"github.com/regnb/regnb/regnb/history"
	"github.com/regnb/regnb/regnb/settings"
)

// EpochValue is what a curve plots of a run after each epoch.
type EpochValue struct {
	Title, YLabel string
	LogY          bool // A log scale: for losses, which span orders of magnitude.
	// Of returns the value of run h after the epoch that e evaluated.
	Of func(h *history.History, e history.EpochRecord) float64
}

// The curves over the epochs that SeedCurves draws.
var (
	ValidationLossCurve = EpochValue{"Validation loss", "validation loss (cross-entropy)", false,
		func(_ *history.History, e history.EpochRecord) float64 { return e.ValidationLoss }}
	// TrainLossCurve is the mean data loss of the mini-batches logged during
	// the epoch (every LogEvery steps): the loss on the images the network
	// trains on, as it trains (with dropout active in a dropout run's).
	TrainLossCurve = EpochValue{"Training loss", "training loss (log scale)", true,
		epochTrainLoss}
	ValidationAccuracyCurve = EpochValue{"Validation accuracy", "validation accuracy", false,
		func(_ *history.History, e history.EpochRecord) float64 { return e.ValidationAccuracy }}
	GapCurve = EpochValue{"Train − validation accuracy", "accuracy difference", false,
		func(_ *history.History, e history.EpochRecord) float64 { return e.TrainAccuracy - e.ValidationAccuracy }}
)

// epochTrainLoss is the mean data loss of the steps logged in e's epoch
// (NaN if none was).
func epochTrainLoss(h *history.History, e history.EpochRecord) float64 {
	sum, n := 0.0, 0
	for _, r := range h.Steps {
		if r.Epoch == e.Epoch {
			sum, n = sum+r.Data, n+1
		}
	}
	if n == 0 {
		return math.NaN()
	}
	return sum / float64(n)
}

// SeedCurves draws, for each group of runs (one configuration, several
// seeds, evaluated at the same epochs), the mean over its runs of v after
// each epoch, with a band from the lowest to the highest run. Each group
// has a colour of its own (groupColor: black for runs without any
// regularization, the baseline) and its configuration's label
// (history.History.Name) in the legend, below the plot. Evaluations before
// training (epoch 0) are left out; with only one run a group is a line.
func SeedCurves(v EpochValue, groups ...[]*history.History) *plot.Plot {
	p := newPlot(v.Title+seedsNote(groups), "epoch", v.YLabel)
	drawn := false
	for i, g := range groups {
		drawn = addSeedCurve(p, v, g, groupColor(groups, i), false, g[0].Name()) || drawn
	}
	if v.LogY {
		useReadableLogY(p, drawn)
	}
	return p
}

// SeedLossCurves draws, for each group of runs, the mean validation loss
// (solid) and training loss (dashed, TrainLossCurve) after each epoch, on a
// log scale: how far the loss on the images a network learns from falls
// below the loss on images it never saw.
func SeedLossCurves(groups ...[]*history.History) *plot.Plot {
	p := newPlot("Loss: validation solid, training dashed"+seedsNote(groups), "epoch", "cross-entropy (log scale)")
	drawn := false
	for i, g := range groups {
		c := groupColor(groups, i)
		drawn = addSeedCurve(p, ValidationLossCurve, g, c, false, g[0].Name()+": validation") || drawn
		drawn = addSeedCurve(p, TrainLossCurve, g, c, true, g[0].Name()+": training") || drawn
	}
	useReadableLogY(p, drawn)
	return p
}

// useReadableLogY puts the y axis on a log scale (if the plot has data)
// with readableLogTicks.
func useReadableLogY(p *plot.Plot, hasData bool) {
	if hasData {
		p.Y.Scale = plot.LogScale{}
		p.Y.Tick.Marker = readableLogTicks{}
	}
}

// readableLogTicks labels a log axis with at least two labels, written as
// people write them (settings.Number: 0.001, 0.5, 2): at its powers of ten
// when it spans two decades or more, else also at 2 and 5 times them, else
// at every multiple 1–9; the other multiples get unlabelled ticks.
type readableLogTicks struct{}

func (readableLogTicks) Ticks(lo, hi float64) []plot.Tick {
	if !(lo > 0) || !(hi > lo) {
		return nil
	}
	var ticks []plot.Tick
	for _, labelled := range [][]float64{{1}, {1, 2, 5}, {1, 2, 3, 4, 5, 6, 7, 8, 9}} {
		ticks = ticks[:0]
		n := 0
		for e := math.Floor(math.Log10(lo)); e <= math.Ceil(math.Log10(hi)); e++ {
			for m := 1.0; m <= 9; m++ {
				x := m * math.Pow(10, e)
				if x < lo*(1-1e-9) || x > hi*(1+1e-9) {
					continue
				}
				t := plot.Tick{Value: x}
				if slices.Contains(labelled, m) {
					t.Label = settings.Number(x)
					n++
				}
				ticks = append(ticks, t)
			}
		}
		if n >= 2 {
			return ticks
		}
	}
	return ticks
}

// seedsNote says, for a title, what a curve of several seeds is.
func seedsNote(groups [][]*history.History) string {
	n := 0
	for _, g := range groups {
		n = max(n, len(g))
	}
	if n > 1 {
		return fmt.Sprintf(" — %d seeds: mean, band min–max", n)
	}
	return ""
}

// groupColor is group i's colour: black for the baseline (no
// regularization), else the palette's (Color) in the order of the groups
// after a first baseline — so that beside one, as without, the first
// regularizer is drawn in Color(0), the second in Color(1), as a sweep's
// paths are (Sweep, SweepFigure).
func groupColor(groups [][]*history.History, i int) color.Color {
	baseline := func(g []*history.History) bool { return len(g) > 0 && g[0].Name() == "no penalty" }
	if baseline(groups[i]) {
		return color.Black
	}
	if baseline(groups[0]) {
		i--
	}
	return Color(i)
}

// addSeedCurve adds group g's mean curve of v, with its band; it reports
// whether there was anything to draw.
func addSeedCurve(p *plot.Plot, v EpochValue, g []*history.History, c color.Color, dashed bool, label string) bool {
	xs, mean, lo, hi := seedCurve(v, g)
	if len(xs) == 0 {
		return false
	}
	if band := bandPolygon(xs, lo, hi); band != nil && len(g) > 1 {
		band.Color = fade(c)
		band.LineStyle.Width = 0
		p.Add(band)
	}
	pts := make(plotter.XYs, len(xs))
	for k := range xs {
		pts[k] = plotter.XY{X: xs[k], Y: mean[k]}
	}
	l, err := plotter.NewLine(pts)
	if err != nil {
		return false
	}
	l.Color, l.Width = c, vg.Points(1.75)
	if dashed {
		l.Dashes = []vg.Length{vg.Points(5), vg.Points(3)}
	}
	p.Add(l)
	p.Legend.Add(label, l)
	return true
}

// MeanCurve returns the epochs (after the first: 1, 2, …) that every run of
// runs evaluated, and the mean over the runs of v there.
func MeanCurve(v EpochValue, runs []*history.History) (epochs, mean []float64) {
	epochs, mean, _, _ = seedCurve(v, runs)
	return epochs, mean
}

// seedCurve returns the epochs every run of g evaluated, and the mean,
// lowest and highest value of v there.
func seedCurve(v EpochValue, g []*history.History) (xs, mean, lo, hi []float64) {
	if len(g) == 0 {
		return
	}
	epochs := len(g[0].Epochs)
	for _, h := range g {
		epochs = min(epochs, len(h.Epochs))
	}
	for k := 1; k < epochs; k++ {
		sum, l, u := 0.0, math.Inf(1), math.Inf(-1)
		for _, h := range g {
			y := v.Of(h, h.Epochs[k])
			sum, l, u = sum+y, math.Min(l, y), math.Max(u, y)
		}
		if math.IsNaN(sum) || (v.LogY && l <= 0) {
			continue
		}
		xs = append(xs, float64(g[0].Epochs[k].Epoch))
		mean, lo, hi = append(mean, sum/float64(len(g))), append(lo, l), append(hi, u)
	}
	return
}

// bandPolygon is the region between lo and hi over xs.
func bandPolygon(xs, lo, hi []float64) *plotter.Polygon {
	var ring plotter.XYs
	for k := range xs {
		ring = append(ring, plotter.XY{X: xs[k], Y: lo[k]})
	}
	for k := len(xs) - 1; k >= 0; k-- {
		ring = append(ring, plotter.XY{X: xs[k], Y: hi[k]})
	}
	poly, err := plotter.NewPolygon(ring)
	if err != nil {
		return nil
	}
	return poly
}

// fade returns c, mostly transparent: a band behind its line.
func fade(c color.Color) color.Color {
	r, g, b, _ := c.RGBA()
	return color.NRGBA{R: uint8(r >> 8), G: uint8(g >> 8), B: uint8(b >> 8), A: 0x38}
}
