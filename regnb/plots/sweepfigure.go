package plots

import (
	"fmt"
	"math"
	"unicode"
	"unicode/utf8"

	"gonum.org/v1/plot"
	"gonum.org/v1/plot/plotter"
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
	var zeros []zeroLine // A figure's plot shows no choice: its λ = 0 lines are named alone.
	for i, path := range sweepPaths(s) {
		var xy plotter.XYs
		var errs plotter.YErrors
		for _, pt := range s.Points {
			f, ok := pt.Figure(figure)
			if pt.Path != path || !ok || math.IsNaN(f.Mean) {
				continue
			}
			if pt.Lambda == 0 {
				zeros = addZero(zeros, s, history.SweepPoint{Path: pt.Path, Dirs: pt.Dirs}, f.Mean)
				continue
			}
			xy = append(xy, plotter.XY{X: pt.Lambda, Y: f.Mean})
			errs = append(errs, struct{ Low, High float64 }{f.SE(), f.SE()})
		}
		if len(xy) == 0 {
			continue
		}
		c := Color(i) // The colours of the sweep's accuracy plot (Sweep), path by path.
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
	for _, z := range zeros {
		addZeroLine(p, z.label(), z.mean)
	}
	return p
}
