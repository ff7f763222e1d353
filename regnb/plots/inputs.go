package plots

import (
	"fmt"
	"math"
	"strings"

	"gonum.org/v1/plot"
	"gonum.org/v1/plot/palette/moreland"
	"gonum.org/v1/plot/plotter"
	"gonum.org/v1/plot/vg"
	"gonum.org/v1/plot/vg/draw"

	"github.com/regnb/regnb/regnb/history"
	"github.com/regnb/regnb/regnb/settings"
)

// InputMaps draws, for each run side by side, Σ_j |W₀[j, p]| of the first
// layer for each input pixel p (History.Summary.InputL1) as a square image
// (square pixels): how much the network still listens to each pixel, the
// run's name below it. All panels share one logarithmic colour scale
// (black: InputFloor or less, white: the largest value of any panel), drawn
// as a bar on the right with a label at each power of ten. Runs without
// InputL1 are left out.
func InputMaps(title string, hs ...*history.History) *plot.Plot {
	p := plot.New()
	p.Title.Text = title
	p.HideAxes()
	squareUnits.Store(p, struct{}{})
	var maps [][]float64
	var names []string
	top := InputFloor
	for _, h := range hs {
		if len(h.Summary.InputL1) == 0 {
			continue
		}
		maps, names = append(maps, h.Summary.InputL1), append(names, h.Name())
		for _, v := range h.Summary.InputL1 {
			top = math.Max(top, v)
		}
	}
	if len(maps) == 0 {
		return p
	}
	side := int(math.Round(math.Sqrt(float64(len(maps[0])))))
	gap := float64(side) / 5
	pal := moreland.ExtendedBlackBody()
	lo, hi := math.Log10(InputFloor), math.Log10(top)
	if hi <= lo {
		hi = lo + 1
	}
	var labels plotter.XYLabels
	var aligns []draw.XAlignment
	label := func(x, y float64, text string, align draw.XAlignment) {
		labels.XYs = append(labels.XYs, plotter.XY{X: x, Y: y})
		labels.Labels = append(labels.Labels, text)
		aligns = append(aligns, align)
	}
	for i, m := range maps {
		x0 := float64(i) * (float64(side) + gap)
		hm := plotter.NewHeatMap(imageGrid{values: m, side: side, x0: x0}, pal.Palette(255))
		hm.Min, hm.Max = lo, hi
		p.Add(hm)
		label(x0+float64(side)/2-0.5, -2.5, names[i], draw.XCenter)
	}
	// The colour bar: 2 units wide, labelled at each power of ten, Σ|w| above it.
	x0 := float64(len(maps))*(float64(side)+gap) - gap/2
	bar := plotter.NewHeatMap(barGrid{side: side, x0: x0, lo: lo, hi: hi}, pal.Palette(255))
	bar.Min, bar.Max = lo, hi
	p.Add(bar)
	for e := math.Ceil(lo - 1e-9); e <= hi; e++ { // (log10 of 1e-4 may be −3.9999999999999996)
		text := settings.Number(math.Pow(10, e))
		if e < lo+1e-9 {
			text = "≤ " + text
		}
		label(x0+2, (e-lo)/(hi-lo)*float64(side-1), " "+text, draw.XLeft)
	}
	label(x0+0.5, float64(side)+0.5, "Σ|w|", draw.XCenter)
	if l, err := plotter.NewLabels(labels); err == nil {
		for i := range l.TextStyle {
			l.TextStyle[i].XAlign = aligns[i]
			l.TextStyle[i].YAlign = draw.YCenter
			l.TextStyle[i].Font.Size = vg.Points(10)
		}
		p.Add(l)
	}
	p.X.Min, p.X.Max = -0.5, x0+7
	p.Y.Min, p.Y.Max = -4.5, float64(side)+2
	return p
}

// imageGrid is one run's input map as a heat-map grid: row 0 is the image's top.
type imageGrid struct {
	values []float64
	side   int
	x0     float64
}

func (g imageGrid) Dims() (c, r int) { return g.side, g.side }
func (g imageGrid) Z(c, r int) float64 {
	return math.Log10(math.Max(g.values[(g.side-1-r)*g.side+c], InputFloor))
}
func (g imageGrid) X(c int) float64 { return g.x0 + float64(c) }
func (g imageGrid) Y(r int) float64 { return float64(r) }

// InputFloor is the smallest Σ|w| per input that InputMaps tells apart from 0.
const InputFloor = 1e-4

// barGrid is a vertical colour bar from lo (bottom) to hi.
type barGrid struct {
	side   int
	x0     float64
	lo, hi float64
}

func (g barGrid) Dims() (c, r int)   { return 2, g.side }
func (g barGrid) Z(c, r int) float64 { return g.lo + (g.hi-g.lo)*float64(r)/float64(g.side-1) }
func (g barGrid) X(c int) float64    { return g.x0 + float64(c) }
func (g barGrid) Y(r int) float64    { return float64(r) }

// WeightsCompare draws, for several runs on one axis, how many of all the
// layers' weights there are of each order of magnitude (log10|w|) after
// training, and before training (dashed, the first run's). Exact zeros,
// which have no logarithm, are given in the legend.
func WeightsCompare(hs ...*history.History) *plot.Plot {
	p := newPlot("Weights by magnitude, all layers", "|w| (log scale)", "fraction of the weights")
	p.X.Tick.Marker = exponentTicks{}
	for i, h := range hs {
		stages := []string{"final"}
		if i == 0 {
			stages = append(stages, "initial")
		}
		for _, stage := range stages {
			var edges []float64
			var counts []int
			zeros, total := 0, 0
			for _, wh := range h.Histograms {
				if wh.Stage != stage {
					continue
				}
				if counts == nil {
					edges, counts = wh.Edges, make([]int, len(wh.Counts))
				}
				for k, c := range wh.Counts {
					counts[k] += c
					total += c
				}
				zeros += wh.Zeros
				total += wh.Zeros
			}
			if counts == nil {
				continue
			}
			var xs, ys []float64
			for k, c := range counts {
				xs = append(xs, (edges[k]+edges[k+1])/2)
				ys = append(ys, float64(c)/float64(max(total, 1)))
			}
			label := h.Name()
			if stage == "initial" {
				label = "before training"
			}
			if zeros > 0 {
				label += fmt.Sprintf(" (+%d exact zeros)", zeros)
			}
			color := i
			if stage == "initial" {
				color = len(hs)
			}
			addLine(p, strings.TrimSpace(label), color, stage == "initial", false, xs, ys)
		}
	}
	return p
}
