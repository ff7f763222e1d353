package plots

import (
	"fmt"
	"image/color"
	"math"
	"slices"
	"unicode"
	"unicode/utf8"

	"gonum.org/v1/plot"
	"gonum.org/v1/plot/plotter"
	"gonum.org/v1/plot/plotutil"
	"gonum.org/v1/plot/vg"
	"gonum.org/v1/plot/vg/draw"

	"github.com/regnb/regnb/regnb/history"
)

// SweepFigure draws one of a sweep's figures (history.Figures' names:
// "validation loss", history.FigGap, …) against λ (log axis, ticks such as
// 1e-5, 1e-4), the mean over the seeds ± one standard error, one line per
// path of the grid in the colour Sweep gives it, with dots at the λ
// tried. λ = 0, which a log axis cannot show, is a black dashed line at its
// mean — once, when every path's λ = 0 is the same runs (a penalty sweep's
// no-penalty).
func SweepFigure(s *history.Sweep, figure, yLabel string) *plot.Plot {
	title := yLabel
	if r, size := utf8.DecodeRuneInString(title); size > 0 {
		title = string(unicode.ToUpper(r)) + title[size:]
	}
	p := newPlot(fmt.Sprintf("%s against λ (mean ± SE over %s)", title, seedCount(s)), "λ (log scale)", yLabel)
	if !lambdaAxis(p, s) {
		return p
	}
	var zeros [][]string // The runs of each λ = 0 drawn, so that the same runs are drawn once.
	for i, path := range sweepPaths(s) {
		var xy plotter.XYs
		var errs plotter.YErrors
		for _, pt := range s.Points {
			f, ok := pt.Figure(figure)
			if pt.Path != path || !ok || math.IsNaN(f.Mean) {
				continue
			}
			if pt.Lambda == 0 {
				if slices.ContainsFunc(zeros, func(d []string) bool { return slices.Equal(d, pt.Dirs) }) {
					continue
				}
				zeros = append(zeros, pt.Dirs)
				label := "λ = 0 (no penalty)"
				if s.Axis != "" && s.Axis != "penalty" {
					label = pathName(s, path) + ", λ = 0"
				}
				zero, err := plotter.NewLine(plotter.XYs{{X: p.X.Min, Y: f.Mean}, {X: p.X.Max, Y: f.Mean}})
				if err == nil {
					zero.Color, zero.Width = color.Black, vg.Points(1.5)
					zero.Dashes = []vg.Length{vg.Points(4), vg.Points(3)}
					p.Add(zero)
					p.Legend.Add(label, zero)
				}
				continue
			}
			xy = append(xy, plotter.XY{X: pt.Lambda, Y: f.Mean})
			errs = append(errs, struct{ Low, High float64 }{f.SE(), f.SE()})
		}
		if len(xy) == 0 {
			continue
		}
		c := plotutil.Color(i) // The colours of the sweep's accuracy plot (Sweep), path by path.
		l, err := plotter.NewLine(xy)
		if err != nil {
			continue
		}
		l.Color, l.Width = c, vg.Points(1.75)
		dots, err := plotter.NewScatter(xy)
		if err != nil {
			continue
		}
		dots.Color, dots.Shape, dots.Radius = c, draw.CircleGlyph{}, vg.Points(2.5)
		p.Add(l, dots)
		if bars, err := plotter.NewYErrorBars(struct {
			plotter.XYs
			plotter.YErrors
		}{xy, errs}); err == nil {
			bars.Color = c
			p.Add(bars)
		}
		p.Legend.Add(pathName(s, path), l)
	}
	return p
}
