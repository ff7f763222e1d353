package plots

import (
	"math"
	"slices"
	"strconv"

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
// deviation over the seeds) against its parameters, a colour each, the x
// axis from 0.
func Contenders(title, xLabel string, cs ...Contender) *plot.Plot {
	p := newPlot(title, xLabel, "test accuracy")
	p.X.Min, p.X.Tick.Marker = 0, wholeTicks{}
	for i, c := range cs {
		addPoints(p, c.Label, i, plotter.XYs{{X: c.Params, Y: c.Test.Mean}},
			plotter.YErrors{{Low: c.Test.SD, High: c.Test.SD}}, nil)
		p.X.Max = math.Max(p.X.Max, c.Params*1.05)
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
// error bars (ticks at 1, 2, 5 × 10ⁿ), a colour per network, side by side within each group (groups
// and networks in the order of their first bar), on a log axis: a call of
// one image costs far more per image than a call of a thousand.
func Timings(title string, bars ...TimingBar) *plot.Plot {
	p := newPlot(title, "", "µs per image (log scale)")
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
	lo, hi := math.Inf(1), 0.0
	for _, b := range bars {
		lo, hi = math.Min(lo, b.Q1), math.Max(hi, b.Q3)
	}
	p.Y.Tick.Marker = numberTicks(oneTwoFive(lo, hi))
	p.Y.Min, p.Y.Max = lo/1.2, hi*1.2
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

// oneTwoFive returns the numbers 1, 2 and 5 × 10ⁿ from below lo to above hi.
func oneTwoFive(lo, hi float64) []float64 {
	var out []float64
	for e := math.Floor(math.Log10(lo)); e <= math.Ceil(math.Log10(hi)); e++ {
		for _, m := range []float64{1, 2, 5} {
			if x := m * math.Pow(10, e); x >= lo/2 && x <= hi*2 {
				out = append(out, x)
			}
		}
	}
	return out
}

// wholeTicks are gonum's default ticks labelled as whole numbers (25000,
// not 25000.00).
type wholeTicks struct{}

func (wholeTicks) Ticks(lo, hi float64) []plot.Tick {
	ticks := plot.DefaultTicks{}.Ticks(lo, hi)
	for i := range ticks {
		if ticks[i].Label != "" {
			ticks[i].Label = strconv.FormatFloat(ticks[i].Value, 'f', 0, 64)
		}
	}
	return ticks
}
