package plots

import (
	"fmt"
	"image/color"
	"slices"

	"gonum.org/v1/plot"
	"gonum.org/v1/plot/plotter"
	"gonum.org/v1/plot/vg"
	"gonum.org/v1/plot/vg/draw"

	"github.com/regnb/regnb/regnb/settings"
)

// Distinct are ten colours that a reader tells apart (matplotlib's
// "tab10"), for plots with more lines than plotutil's seven colours.
var Distinct = []color.Color{
	color.RGBA{0x1f, 0x77, 0xb4, 0xff}, // blue
	color.RGBA{0xff, 0x7f, 0x0e, 0xff}, // orange
	color.RGBA{0x2c, 0xa0, 0x2c, 0xff}, // green
	color.RGBA{0xd6, 0x27, 0x28, 0xff}, // red
	color.RGBA{0x94, 0x67, 0xbd, 0xff}, // purple
	color.RGBA{0x8c, 0x56, 0x4b, 0xff}, // brown
	color.RGBA{0xe3, 0x77, 0xc2, 0xff}, // pink
	color.RGBA{0x7f, 0x7f, 0x7f, 0xff}, // grey
	color.RGBA{0xbc, 0xbd, 0x22, 0xff}, // olive
	color.RGBA{0x17, 0xbe, 0xcf, 0xff}, // cyan
}

// DistinctColor returns the i-th of Distinct (cycling after ten).
func DistinctColor(i int) color.Color { return Distinct[i%len(Distinct)] }

// Path draws a linear model's coefficient path: each coefficient against
// the strength α, on a log axis whose strongest α is on the left, so that
// the coefficients enter the model from left to right. alphas are the
// strengths, path[i] the coefficients at alphas[i]; truth, if given, the
// coefficients the data were made with: the legend names each coefficient
// with its true value ("w0 (true 3)"), and a coefficient whose true value is
// 0 is dashed. Each coefficient has a colour of its own (Distinct) and a
// dot at each α computed. The α axis is labelled at its powers of ten
// (settings.Number: 0.01, 0.1, 1), with a tick at each α.
func Path(title string, alphas []float64, path [][]float64, truth []float64) *plot.Plot {
	p := newPlot(title, "α (log scale, strongest on the left)", "coefficient")
	var pos []float64
	for _, a := range alphas {
		if a > 0 {
			pos = append(pos, a)
		}
	}
	if len(pos) == 0 || len(path) != len(alphas) {
		return p
	}
	lo, hi := slices.Min(pos), slices.Max(pos)
	p.X.Scale = plot.InvertedScale{Normalizer: plot.LogScale{}}
	p.X.Tick.Marker = powerTicks(pos)
	p.X.Min, p.X.Max = lo/1.25, hi*1.25
	zero, err := plotter.NewLine(plotter.XYs{{X: p.X.Min, Y: 0}, {X: p.X.Max, Y: 0}})
	if err == nil {
		zero.Color, zero.Width = color.Gray{0x60}, vg.Points(0.75)
		p.Add(zero)
	}
	for _, c := range pathLines(alphas, path, truth) {
		l, err := plotter.NewLine(c.xy)
		if err != nil {
			continue
		}
		l.Color, l.Width = c.color, vg.Points(1.75)
		if c.dashed {
			l.Dashes = []vg.Length{vg.Points(4), vg.Points(3)}
		}
		dots, err := plotter.NewScatter(c.xy)
		if err != nil {
			continue
		}
		dots.Color, dots.Shape, dots.Radius = l.Color, draw.CircleGlyph{}, vg.Points(2)
		p.Add(l, dots)
		p.Legend.Add(c.label, l)
	}
	return p
}

// pathLine is one coefficient's line of a path.
type pathLine struct {
	label  string
	color  color.Color
	dashed bool
	xy     plotter.XYs
}

// pathLines returns the line of each coefficient: its points (α > 0), its
// colour, its legend (with its true value) and whether it is dashed (a
// true value of 0).
func pathLines(alphas []float64, path [][]float64, truth []float64) []pathLine {
	var out []pathLine
	for j := range path[0] {
		c := pathLine{label: fmt.Sprintf("w%d", j), color: DistinctColor(j)}
		for i, a := range alphas {
			if a > 0 && j < len(path[i]) {
				c.xy = append(c.xy, plotter.XY{X: a, Y: path[i][j]})
			}
		}
		if j < len(truth) {
			c.label += " (true " + settings.Number(truth[j]) + ")"
			c.dashed = truth[j] == 0
		}
		out = append(out, c)
	}
	return out
}

// powerTicks labels a log axis at its powers of ten (settings.Number), with
// an unlabelled tick at each value of at.
type powerTicks []float64

func (at powerTicks) Ticks(lo, hi float64) []plot.Tick {
	var ticks []plot.Tick
	for _, t := range (plot.LogTicks{}).Ticks(lo, hi) {
		if t.Label != "" && t.Value >= lo && t.Value <= hi {
			ticks = append(ticks, plot.Tick{Value: t.Value, Label: settings.Number(t.Value)})
		}
	}
	labelled := len(ticks) > 0
	for _, x := range at {
		t := plot.Tick{Value: x}
		if !labelled { // Less than a decade: label the values themselves.
			t.Label = settings.Number(x)
		}
		ticks = append(ticks, t)
	}
	return ticks
}
