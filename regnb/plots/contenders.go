package plots

import (
	"slices"

	"gonum.org/v1/plot"
	"gonum.org/v1/plot/plotter"

	"github.com/regnb/regnb/regnb/history"
)

// Contender is one network of a comparison: its test accuracy over seeds
// against its size.
type Contender struct {
	Label  string
	Params float64      // Parameters (weights and biases), or those not 0.
	Test   history.Stat // Test accuracy over the seeds.
}

// Contenders draws each contender's mean test accuracy (± one standard
// deviation over the seeds) against its parameters, on a log axis, a
// colour each (one with no parameter left is not drawn).
func Contenders(title, xLabel string, cs ...Contender) *plot.Plot {
	p := newPlot(title, xLabel+" (log scale)", "test accuracy")
	if len(cs) == 0 {
		return p
	}
	p.X.Scale = plot.LogScale{}
	p.X.Tick.Marker = plot.LogTicks{Prec: -1}
	for i, c := range cs {
		if c.Params <= 0 { // Not on a log axis.
			continue
		}
		addPoints(p, c.Label, i, plotter.XYs{{X: c.Params, Y: c.Test.Mean}},
			plotter.YErrors{{Low: c.Test.SD, High: c.Test.SD}}, nil)
	}
	return p
}

// TimingBar is one network's time per image in one group of timings (a
// batch size, say): the median and quartiles of its passes over a data set,
// in microseconds per image.
type TimingBar struct {
	Group, Label   string
	Median, Q1, Q3 float64
}

// Timings draws each network's median time per image with its quartiles as
// error bars, a colour per network, side by side within each group (groups
// and networks in the order of their first bar), on a log axis: a call of
// one image costs far more per image than a call of a thousand.
func Timings(title string, bars ...TimingBar) *plot.Plot {
	p := newPlot(title, "", "µs per image, median and quartiles (log scale)")
	var groups, labels []string
	for _, b := range bars {
		if !slices.Contains(groups, b.Group) {
			groups = append(groups, b.Group)
		}
		if !slices.Contains(labels, b.Label) {
			labels = append(labels, b.Label)
		}
	}
	if len(bars) == 0 {
		return p
	}
	p.Y.Scale = plot.LogScale{}
	p.Y.Tick.Marker = plot.LogTicks{Prec: -1}
	for i, label := range labels {
		var pts plotter.XYs
		var errs plotter.YErrors
		for _, b := range bars {
			if b.Label != label {
				continue
			}
			x := float64(slices.Index(groups, b.Group)) + 0.15*float64(i) - 0.075*float64(len(labels)-1)
			pts = append(pts, plotter.XY{X: x, Y: b.Median})
			errs = append(errs, struct{ Low, High float64 }{b.Median - b.Q1, b.Q3 - b.Median})
		}
		addPoints(p, label, i, pts, errs, nil)
	}
	p.NominalX(groups...)
	p.X.Min, p.X.Max = -0.5, float64(len(groups))-0.5
	return p
}
