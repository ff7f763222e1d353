package plots

import (
	"math"

	"gonum.org/v1/plot"
	"gonum.org/v1/plot/plotter"
	"gonum.org/v1/plot/vg"
	"gonum.org/v1/plot/vg/draw"
)

// Series is a named line of points.
type Series struct {
	Name string
	X, Y []float64
}

// Lines draws series against a shared x axis, on a log scale if logX.
func Lines(title, xLabel, yLabel string, logX bool, series ...Series) *plot.Plot {
	p := newPlot(title, xLabel, yLabel)
	if logX {
		p.X.Scale = plot.LogScale{}
		p.X.Tick.Marker = LogTicks{}
	}
	for i, s := range series {
		addLine(p, s.Name, i, false, false, s.X, s.Y)
	}
	return p
}

// Curve is a function of x with a legend label, e.g. a fitted polynomial.
type Curve struct {
	Label string
	Eval  func(x float64) float64
}

// Polynomial draws the points (xs, ys) and the fitted curves over [−1, 1].
func Polynomial(title string, xs, ys []float64, fits ...Curve) *plot.Plot {
	p := plot.New()
	p.Title.Text = title
	p.X.Label.Text = "x"
	p.Y.Label.Text = "y"
	p.Legend.Top = true
	p.Legend.Left = true
	p.Y.Min, p.Y.Max = -3, 3
	p.Add(plotter.NewGrid())
	for i, f := range fits {
		var line plotter.XYs
		for k := 0; k <= 400; k++ {
			x := -1 + 2*float64(k)/400
			y := math.Max(-3, math.Min(3, f.Eval(x)))
			line = append(line, plotter.XY{X: x, Y: y})
		}
		l, err := plotter.NewLine(line)
		if err != nil {
			continue
		}
		l.Color = Color(i)
		l.Width = vg.Points(2)
		p.Add(l)
		p.Legend.Add(f.Label, l)
	}
	var xy plotter.XYs
	for i := range xs {
		xy = append(xy, plotter.XY{X: xs[i], Y: ys[i]})
	}
	if s, err := plotter.NewScatter(xy); err == nil {
		s.Shape = draw.CircleGlyph{}
		s.Radius = vg.Points(4)
		p.Add(s)
		p.Legend.Add("data", s)
	}
	return p
}
