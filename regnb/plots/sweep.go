package plots

import (
	"fmt"
	"image/color"
	"math"
	"slices"
	"strings"

	"gonum.org/v1/plot"
	"gonum.org/v1/plot/plotter"
	"gonum.org/v1/plot/vg"
	"gonum.org/v1/plot/vg/draw"

	"github.com/regnb/regnb/regnb/history"
	"github.com/regnb/regnb/regnb/settings"
)

// Sweep draws a sweep's mean validation accuracy against λ (log scale,
// ticks such as 1e-5, 1e-4), one line per path of the grid, with error
// bars of ± one standard error over the seeds — the spread the
// one-standard-error rule uses — and rings on the λ chosen by the best mean,
// triangles on the λ of the 1-SE rule. A λ of 0 (no penalty), which a log
// axis cannot show, is a dashed horizontal line at its mean (its legend says
// when a rule chose it).
func Sweep(s *history.Sweep) *plot.Plot {
	p := newPlot("Validation accuracy against λ (mean ± SE over "+seedCount(s)+")", "λ (log scale)", "validation accuracy")
	if !lambdaAxis(p, s) {
		return p
	}
	marks := map[string]plotter.XYs{}
	var zeros []zeroLine
	for i, path := range sweepPaths(s) {
		var xy plotter.XYs
		var errs plotter.YErrors
		for _, pt := range s.Points {
			f, ok := pt.Figure(history.FigValidationAccuracy)
			if pt.Path != path || !ok || math.IsNaN(f.Mean) {
				continue
			}
			if pt.Lambda == 0 {
				zeros = addZero(zeros, s, pt, f.Mean)
				continue
			}
			xy = append(xy, plotter.XY{X: pt.Lambda, Y: f.Mean})
			errs = append(errs, struct{ Low, High float64 }{f.SE(), f.SE()})
			for _, rule := range pt.Chosen {
				marks[rule] = append(marks[rule], plotter.XY{X: pt.Lambda, Y: f.Mean})
			}
		}
		if !addLine(p, pathName(s, path), i, false, false, xs(xy), ys(xy)) {
			continue
		}
		if bars, err := plotter.NewYErrorBars(struct {
			plotter.XYs
			plotter.YErrors
		}{xy, errs}); err == nil {
			bars.Color = Color(i)
			p.Add(bars)
		}
	}
	for _, z := range zeros {
		addZeroLine(p, z.label(), z.mean)
	}
	addMarks(p, history.ChosenBest, marks[history.ChosenBest], draw.RingGlyph{}, 6)
	addMarks(p, history.ChosenOneSE, marks[history.ChosenOneSE], draw.TriangleGlyph{}, 4)
	return p
}

// addMarks marks the points chosen by a rule.
func addMarks(p *plot.Plot, rule string, pts plotter.XYs, shape draw.GlyphDrawer, radius float64) {
	if len(pts) == 0 {
		return
	}
	s, err := plotter.NewScatter(pts)
	if err != nil {
		return
	}
	s.Shape, s.Radius = shape, vg.Points(radius)
	p.Add(s)
	p.Legend.Add("chosen: "+rule, s)
}

// sweepPaths returns the sweep's paths in the order of its points.
func sweepPaths(s *history.Sweep) []string {
	var out []string
	for _, pt := range s.Points {
		if !slices.Contains(out, pt.Path) {
			out = append(out, pt.Path)
		}
	}
	return out
}

// kindNames are the penalties' names in legends.
var kindNames = map[string]string{"l1": "L1", "l2": "L2", "elastic-net": "Elastic Net", "group-lasso": "group lasso"}

// PenaltyName is a penalty's name in words ("elastic-net": "Elastic Net");
// another regularizer ("dropout", "max-norm") is named as it is.
func PenaltyName(kind string) string {
	if name, ok := kindNames[kind]; ok {
		return name
	}
	return kind
}

// pathName is a path's legend: the penalty's name, or "axis = value".
func pathName(s *history.Sweep, path string) string {
	switch {
	case s.Axis == "":
		return "mean ± SE over the seeds"
	case s.Axis == "penalty" && kindNames[path] != "":
		return kindNames[path]
	}
	return s.Axis + " = " + path
}

func xs(pts plotter.XYs) []float64 {
	out := make([]float64, len(pts))
	for i, p := range pts {
		out[i] = p.X
	}
	return out
}

func ys(pts plotter.XYs) []float64 {
	out := make([]float64, len(pts))
	for i, p := range pts {
		out[i] = p.Y
	}
	return out
}

// numberTicks labels a log axis of the values at with settings.Number
// (1e-5, 1e-4, 0.01): a labelled tick at each value when there are at most
// 8, else at each power of 10, with unlabelled ticks at the values.
type numberTicks []float64

func (at numberTicks) Ticks(lo, hi float64) []plot.Tick {
	var ticks []plot.Tick
	if len(at) <= 8 {
		for _, x := range at {
			label := settings.Number(x)
			if slices.ContainsFunc(ticks, func(t plot.Tick) bool { return t.Label == label }) {
				label = "" // Two values that print alike (1e-4 and 9.999999999999999e-05): one label.
			}
			ticks = append(ticks, plot.Tick{Value: x, Label: label})
		}
		return ticks
	}
	for e := math.Floor(math.Log10(lo)); e <= math.Ceil(math.Log10(hi)); e++ {
		if x := math.Pow(10, e); x >= lo && x <= hi {
			ticks = append(ticks, plot.Tick{Value: x, Label: settings.Number(x)})
		}
	}
	for _, x := range at {
		ticks = append(ticks, plot.Tick{Value: x})
	}
	return ticks
}

// seedCount is how many seeds a sweep's figures are over: "1 seed", "3 seeds".
func seedCount(s *history.Sweep) string {
	if len(s.Seeds) == 1 {
		return "1 seed"
	}
	return fmt.Sprintf("%d seeds", len(s.Seeds))
}

// lambdaAxis puts the sweep's λ > 0 on p's x axis: a log scale ticked at
// each λ tried, with room of a factor 2 on either side. It
// reports false if the sweep tried no λ > 0 (the axis is left as it is).
func lambdaAxis(p *plot.Plot, s *history.Sweep) bool {
	var lambdas []float64
	for _, pt := range s.Points {
		if pt.Lambda > 0 && !slices.Contains(lambdas, pt.Lambda) {
			lambdas = append(lambdas, pt.Lambda)
		}
	}
	if len(lambdas) == 0 {
		return false
	}
	slices.Sort(lambdas)
	p.X.Scale = plot.LogScale{}
	p.X.Tick.Marker = numberTicks(lambdas)
	p.X.Min, p.X.Max = lambdas[0]/2, lambdas[len(lambdas)-1]*2
	return true
}

// addZeroLine draws λ = 0, which a log axis cannot show, as a black dashed
// line across the plot at its mean.
func addZeroLine(p *plot.Plot, label string, mean float64) {
	l, err := plotter.NewLine(plotter.XYs{{X: p.X.Min, Y: mean}, {X: p.X.Max, Y: mean}})
	if err != nil {
		return
	}
	l.Color, l.Width = color.Black, vg.Points(1.5)
	l.Dashes = []vg.Length{vg.Points(4), vg.Points(3)}
	p.Add(l)
	p.Legend.Add(label, l)
}

// zeroLine is a λ = 0 of a sweep: its runs (one line for the paths that
// share them, as a penalty sweep's paths share their no-penalty runs), its
// mean, its name, and the paths whose rules chose it.
type zeroLine struct {
	dirs   []string
	mean   float64
	name   string
	chosen []string // "for L1: 1-SE rule"
}

// addZero adds the sweep's configuration pt (λ = 0) to the lines zs: to the
// line of the same runs, or as a new one.
func addZero(zs []zeroLine, s *history.Sweep, pt history.SweepPoint, mean float64) []zeroLine {
	i := slices.IndexFunc(zs, func(z zeroLine) bool { return slices.Equal(z.dirs, pt.Dirs) })
	if i < 0 {
		name := "λ = 0 (no penalty)"
		if s.Axis != "" && s.Axis != "penalty" {
			name = pathName(s, pt.Path) + ", λ = 0"
		}
		zs, i = append(zs, zeroLine{dirs: pt.Dirs, mean: mean, name: name}), len(zs)
	}
	if len(pt.Chosen) > 0 {
		who := pathName(s, pt.Path)
		if s.Axis == "penalty" {
			who = "for " + who
		}
		zs[i].chosen = append(zs[i].chosen, who+": "+strings.Join(pt.Chosen, ", "))
	}
	return zs
}

func (z zeroLine) label() string {
	if len(z.chosen) == 0 {
		return z.name
	}
	return z.name + ", chosen " + strings.Join(z.chosen, "; ")
}
