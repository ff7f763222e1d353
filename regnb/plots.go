package regnb

import (
	"bytes"
	"fmt"
	"io"
	"math"
	"os"
	"path/filepath"
	"strings"

	"gonum.org/v1/plot"
	"gonum.org/v1/plot/plotter"
	"gonum.org/v1/plot/plotutil"
	"gonum.org/v1/plot/vg"
	"gonum.org/v1/plot/vg/draw"
)

// Plot sizes.
var (
	PlotWidth  = 16 * vg.Centimeter
	PlotHeight = 9 * vg.Centimeter
)

// Name returns a short label for a run: its example and the settings that
// differ from it.
func (h *History) Name() string {
	c := h.Config
	base, err := Preset(c.Example)
	if err != nil {
		base = Default()
	}
	parts := []string{c.Example}
	add := func(differs bool, format string, v any) {
		if differs {
			parts = append(parts, fmt.Sprintf(format, v))
		}
	}
	add(c.L1 != base.L1 && c.Alpha == 0, "l1=%g", c.L1)
	add(c.L2 != base.L2 && c.Alpha == 0, "l2=%g", c.L2)
	add(c.Alpha != 0, "α=%g", c.Alpha)
	add(c.Alpha != 0, "ρ=%g", c.L1Ratio)
	add(c.WeightDecay != base.WeightDecay, "wd=%g", c.WeightDecay)
	add(c.AdamW != 0, "adamw=%g", c.AdamW)
	add(c.Proximal, "%s", "proximal")
	add(c.Penalize != base.Penalize, "%s", c.Penalize)
	return strings.Join(parts, " ")
}

func newPlot(title, x, y string) *plot.Plot {
	p := plot.New()
	p.Title.Text = title
	p.X.Label.Text = x
	p.Y.Label.Text = y
	p.Legend.Top = true
	p.Add(plotter.NewGrid())
	return p
}

// useLogY puts the y axis on a log scale if the plot has data (gonum's log
// scale panics on an empty plot).
func useLogY(p *plot.Plot, hasData bool) {
	if hasData {
		p.Y.Scale = plot.LogScale{}
		p.Y.Tick.Marker = plot.LogTicks{Prec: -1}
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
	l.Color = plotutil.Color(i)
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

// LossPlot draws the components of the loss over the logged steps of a run:
// the total, the data loss (cross-entropy) and each weighted penalty term,
// on a log scale.
func LossPlot(h *History) *plot.Plot {
	p := newPlot("Loss components — "+h.Name(), "step", "loss (log scale)")
	var xs, total, data []float64
	terms := make([][]float64, len(h.Terms))
	for _, r := range h.Steps {
		xs = append(xs, float64(r.Step))
		total = append(total, r.Total)
		data = append(data, r.Data)
		for i := range h.Terms {
			terms[i] = append(terms[i], r.Terms[i])
		}
	}
	drawn := addLine(p, "total", 0, false, true, xs, total)
	drawn = addLine(p, "data (cross-entropy)", 1, false, true, xs, data) || drawn
	for i, name := range h.Terms {
		drawn = addLine(p, name+" term", 2+i, true, true, xs, terms[i]) || drawn
	}
	useLogY(p, drawn)
	return p
}

// NormsPlot draws Σ|w| and Σw² of all parameters over the logged steps.
func NormsPlot(hs ...*History) *plot.Plot {
	p := newPlot("Size of the weights", "step", "norm (log scale)")
	drawn := false
	for i, h := range hs {
		var xs, l1, l2 []float64
		for _, r := range h.Steps {
			xs = append(xs, float64(r.Step))
			l1 = append(l1, r.L1Norm)
			l2 = append(l2, r.SquaredL2)
		}
		drawn = addLine(p, h.Name()+": Σ|w|", i, false, true, xs, l1) || drawn
		drawn = addLine(p, h.Name()+": Σw²", i, true, true, xs, l2) || drawn
	}
	useLogY(p, drawn)
	return p
}

// AccuracyPlot draws the test accuracy after each epoch (epoch 0: before
// training) of one or more runs.
func AccuracyPlot(hs ...*History) *plot.Plot {
	p := newPlot("Test accuracy", "epoch", "accuracy")
	p.Y.Min, p.Y.Max = 0, 1
	for i, h := range hs {
		xs := []float64{0}
		ys := []float64{h.Summary.InitialAccuracy}
		for _, e := range h.Epochs {
			xs = append(xs, float64(e.Epoch))
			ys = append(ys, e.TestAccuracy)
		}
		if len(h.Epochs) == 0 && h.Status == "finished" { // Stopped by max steps within the first epoch.
			xs = append(xs, float64(h.StepsDone)/float64(max(1, h.StepsPerEpoch)))
			ys = append(ys, h.Summary.TestAccuracy)
		}
		addLine(p, h.Name(), i, false, false, xs, ys)
	}
	return p
}

// SparsityPlot draws the fraction of parameters with |w| < SmallWeight over
// the logged steps of one or more runs.
func SparsityPlot(hs ...*History) *plot.Plot {
	p := newPlot(fmt.Sprintf("Parameters with |w| < %g", SmallWeight), "step", "fraction of parameters")
	p.Y.Min, p.Y.Max = 0, 1
	for i, h := range hs {
		var xs, ys []float64
		for _, r := range h.Steps {
			xs = append(xs, float64(r.Step))
			ys = append(ys, r.Small)
		}
		addLine(p, h.Name(), i, false, false, xs, ys)
	}
	return p
}

// WeightsPlot draws, for each layer, how many weights there are of each
// order of magnitude (log10|w|), as a fraction of the layer's weights, before
// training (dashed) and after (solid).
// Exact zeros, which have no logarithm, are given in the legend.
func WeightsPlot(h *History) *plot.Plot {
	p := newPlot("Weights by magnitude — "+h.Name(), "log10 |w|", "fraction of the layer's weights")
	layer := 0
	seen := map[string]int{}
	for _, wh := range h.Histograms {
		i, ok := seen[wh.Layer]
		if !ok {
			i = layer
			seen[wh.Layer] = i
			layer++
		}
		total := wh.Zeros
		for _, c := range wh.Counts {
			total += c
		}
		var xs, ys []float64
		for k, c := range wh.Counts {
			xs = append(xs, (wh.Edges[k]+wh.Edges[k+1])/2)
			ys = append(ys, float64(c)/float64(max(total, 1)))
		}
		label := fmt.Sprintf("%s %s", strings.TrimSuffix(strings.TrimPrefix(wh.Layer, "/"), "/weights"), wh.Stage)
		if wh.Zeros > 0 {
			label += fmt.Sprintf(" (+%d zeros)", wh.Zeros)
		}
		addLine(p, label, i, wh.Stage == "initial", false, xs, ys)
	}
	return p
}

// SVG renders p as SVG.
func SVG(p *plot.Plot) ([]byte, error) { return render(p, "svg") }

// PNG renders p as PNG.
func PNG(p *plot.Plot) ([]byte, error) { return render(p, "png") }

func render(p *plot.Plot, format string) ([]byte, error) {
	w, err := p.WriterTo(PlotWidth, PlotHeight, format)
	if err != nil {
		return nil, err
	}
	var buf bytes.Buffer
	if _, err := w.WriteTo(&buf); err != nil {
		return nil, err
	}
	return buf.Bytes(), nil
}

// SavePlot writes p as base.svg and base.png.
func SavePlot(p *plot.Plot, base string) error {
	for _, format := range []string{"svg", "png"} {
		data, err := render(p, format)
		if err != nil {
			return fmt.Errorf("rendering %s.%s: %w", base, format, err)
		}
		if err := os.WriteFile(base+"."+format, data, 0o644); err != nil {
			return fmt.Errorf("writing plot: %w", unwrapPath(err))
		}
	}
	return nil
}

// WriteOutputs writes a run's history (history.json, history.csv) and its
// plots (SVG and PNG) into dir.
func WriteOutputs(h *History, dir string) error {
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return fmt.Errorf("output directory %s: %w", dir, unwrapPath(err))
	}
	if err := writeFileAtomic(filepath.Join(dir, "history.json"), func(w io.Writer) error { return h.WriteJSON(w) }); err != nil {
		return err
	}
	if err := writeFileAtomic(filepath.Join(dir, "history.csv"), func(w io.Writer) error { return h.WriteCSV(w) }); err != nil {
		return err
	}
	for name, p := range map[string]*plot.Plot{
		"loss": LossPlot(h), "accuracy": AccuracyPlot(h), "weights": WeightsPlot(h),
		"sparsity": SparsityPlot(h), "norms": NormsPlot(h),
	} {
		if err := SavePlot(p, filepath.Join(dir, name)); err != nil {
			return err
		}
	}
	return nil
}

func (r *runner) writeOutputs() error {
	if r.cfg.OutDir == "" {
		return nil
	}
	return WriteOutputs(r.hist, r.cfg.OutDir)
}

// Series is a named line of points.
type Series struct {
	Name string
	X, Y []float64
}

// LinePlot draws series against a shared x axis, on a log scale if logX.
func LinePlot(title, xLabel, yLabel string, logX bool, series ...Series) *plot.Plot {
	p := newPlot(title, xLabel, yLabel)
	if logX {
		p.X.Scale = plot.LogScale{}
		p.X.Tick.Marker = plot.LogTicks{Prec: -1}
	}
	for i, s := range series {
		addLine(p, s.Name, i, false, false, s.X, s.Y)
	}
	return p
}
