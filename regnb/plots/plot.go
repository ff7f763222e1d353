// Package plots draws a run's History, and the tutorial's other figures,
// with gonum/plot: loss components, accuracy, weights by magnitude, sparsity,
// norms, several runs side by side, fitted polynomials and any lines; and
// renders them as SVG or PNG. Every plot is a function of data (a History
// read back from disk plots like a fresh one); showing them in a notebook is
// package regnb's job.
package plots

import (
	"bytes"
	"fmt"
	"io"
	"math"
	"strconv"

	"github.com/regnb/regnb/internal/fileutil"
	"gonum.org/v1/plot"
	"gonum.org/v1/plot/plotter"
	"gonum.org/v1/plot/vg"
	"gonum.org/v1/plot/vg/draw"
)

// Plot sizes.
var (
	PlotWidth  = 16 * vg.Centimeter
	PlotHeight = 9 * vg.Centimeter
)

// newPlot returns a plot with a title, axis labels and a grid; an x axis
// labelled "epoch" is ticked at whole epochs, one labelled "step" in whole
// numbers from 0 (Draw).
func newPlot(title, x, y string) *plot.Plot {
	p := plot.New()
	p.Title.Text = title
	p.X.Label.Text = x
	p.Y.Label.Text = y
	p.Legend.Top = true
	switch x {
	case "epoch":
		p.X.Tick.Marker = epochTicks{}
	case "step":
		p.X.Tick.Marker = wholeTicks{}
	}
	p.Add(plotter.NewGrid())
	return p
}

// epochTicks labels an epoch axis at each whole epoch (0, 1, 2, …) up to a
// dozen, and as wholeTicks beyond.
type epochTicks struct{}

func (epochTicks) Ticks(lo, hi float64) []plot.Tick {
	if hi-lo > 12 {
		return wholeTicks{}.Ticks(lo, hi)
	}
	var ticks []plot.Tick
	for e := math.Ceil(lo); e <= hi; e++ {
		ticks = append(ticks, plot.Tick{Value: e, Label: strconv.FormatFloat(e, 'f', 0, 64)})
	}
	return ticks
}

// margin is the share of the y axis's span (of its decades, on a log axis)
// left free above and below a plot's lines, so that a peak or a line along
// the lowest value is not drawn on the plot's border.
const margin = 0.04

// withMargins widens p's y range by margin at both ends, and starts an axis
// of steps at 0, for drawing; it returns a function that puts the ranges
// back (a plot drawn twice, as SVG and as PNG, is widened once each time).
// A pixel map (InputMaps) is left as it is: its cells fill it.
func withMargins(p *plot.Plot) (restore func()) {
	x, y := p.X, p.Y
	restore = func() { p.X.Min, p.X.Max, p.Y.Min, p.Y.Max = x.Min, x.Max, y.Min, y.Max }
	if _, pixels := squareUnits.Load(p); pixels || !(p.Y.Max > p.Y.Min) {
		return restore
	}
	if _, log := p.Y.Scale.(plot.LogScale); log {
		if p.Y.Min > 0 {
			f := math.Pow(p.Y.Max/p.Y.Min, margin)
			p.Y.Min, p.Y.Max = p.Y.Min/f, p.Y.Max*f
		}
	} else {
		d := margin * (p.Y.Max - p.Y.Min)
		p.Y.Min, p.Y.Max = p.Y.Min-d, p.Y.Max+d
	}
	if p.X.Label.Text == "step" && p.X.Min > 0 {
		p.X.Min = 0
	}
	return restore
}

// useLogY puts the y axis on a log scale if the plot has data (gonum's log
// scale panics on an empty plot).
func useLogY(p *plot.Plot, hasData bool) {
	if hasData {
		p.Y.Scale = plot.LogScale{}
		p.Y.Tick.Marker = LogTicks{}
	}
}

// addLine adds a line; with positive, only points with y > 0 (log scales).
// It reports whether there was any point to draw.
func addLine(p *plot.Plot, label string, i int, dashed, positive bool, xs, ys []float64) bool {
	var pts plotter.XYs
	for k := range xs {
		if math.IsNaN(ys[k]) || math.IsInf(ys[k], 0) || (positive && ys[k] <= 0) {
			continue
		}
		pts = append(pts, plotter.XY{X: xs[k], Y: ys[k]})
	}
	if len(pts) == 0 {
		return false
	}
	l, err := plotter.NewLine(pts)
	if err != nil {
		return false
	}
	l.Color = Color(i)
	l.Width = vg.Points(1.5)
	if dashed {
		l.Dashes = []vg.Length{vg.Points(4), vg.Points(3)}
	}
	p.Add(l)
	if len(pts) == 1 { // A single point: show it.
		s, _ := plotter.NewScatter(pts)
		s.Color = l.Color
		s.Shape = draw.CircleGlyph{}
		p.Add(s)
	}
	p.Legend.Add(label, l)
	return true
}

// SVG renders p as SVG.
func SVG(p *plot.Plot) ([]byte, error) { return render(p, "svg") }

// PNG renders p as PNG.
func PNG(p *plot.Plot) ([]byte, error) { return render(p, "png") }

func render(p *plot.Plot, format string) ([]byte, error) {
	c, err := draw.NewFormattedCanvas(PlotWidth, plotHeight(p)+legendHeight(p), format)
	if err != nil {
		return nil, err
	}
	Draw(p, draw.New(c))
	var buf bytes.Buffer
	if _, err := c.WriteTo(&buf); err != nil {
		return nil, err
	}
	return buf.Bytes(), nil
}

// legendGap is the space between the plot and a legend below it,
// legendPadding the space between two of its entries.
var legendGap, legendPadding = vg.Points(6), vg.Points(2.5)

// legendHeight is the height of p's legend drawn below the plot (0 if it has
// no entries), with a gap above it and one below, where a glyph taller
// than its text (a chosen λ's ring) still fits.
func legendHeight(p *plot.Plot) vg.Length {
	p.Legend.Padding = max(p.Legend.Padding, legendPadding)
	r := p.Legend.Rectangle(draw.Canvas{})
	if h := r.Max.Y - r.Min.Y; h > 0 {
		return h + 2*legendGap
	}
	return 0
}

// Draw draws p on c with its legend below the plot area, never over the
// data: c's height must leave legendHeight(p) for it (render does).
func Draw(p *plot.Plot, c draw.Canvas) {
	defer withMargins(p)()
	h := legendHeight(p)
	if h == 0 {
		p.Draw(c)
		return
	}
	saved, legend := p.Legend, p.Legend
	p.Legend = plot.NewLegend()
	defer func() { p.Legend = saved }()
	p.Draw(draw.Crop(c, 0, 0, h, 0))
	strip := draw.Crop(c, 0, 0, 0, -(c.Max.Y - c.Min.Y - h + legendGap))
	legend.Top, legend.Left = true, true
	legend.XOffs, legend.YOffs = vg.Points(40), 0
	legend.Draw(strip)
}

// Save writes p as base.svg and base.png.
func Save(p *plot.Plot, base string) error {
	for _, format := range []string{"svg", "png"} {
		data, err := render(p, format)
		if err != nil {
			return fmt.Errorf("rendering %s.%s: %w", base, format, err)
		}
		// In one rename: a full disk leaves the old plot or none, never half of one.
		if err := fileutil.WriteAtomic(base+"."+format, func(w io.Writer) error { _, err := w.Write(data); return err }); err != nil {
			return fmt.Errorf("writing plot: %w", err)
		}
	}
	return nil
}
