package plots

import (
	"fmt"
	"math"
	"strings"

	"gonum.org/v1/plot"
	"gonum.org/v1/plot/palette/moreland"
	"gonum.org/v1/plot/plotter"
	"gonum.org/v1/plot/vg"

	"github.com/regnb/regnb/regnb/history"
)

// InputMaps draws, for each run side by side, Σ_j |W₀[j, p]| of the first
// layer for each input pixel p (History.Summary.InputL1) as a square image:
// how much the network still listens to each pixel. All panels share one
// logarithmic colour scale (black: InputFloor or less, white: the largest
// value of any panel), drawn as a bar on the right. Runs without InputL1 are
// left out.
func InputMaps(title string, hs ...*history.History) *plot.Plot {
	p := plot.New()
	p.Title.Text = title
	p.HideAxes()
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
	gap := float64(side) / 6
	pal := moreland.ExtendedBlackBody()
	lo, hi := math.Log10(InputFloor), math.Log10(top)
	if hi <= lo {
		hi = lo + 1
	}
	var labels plotter.XYLabels
	for i, m := range maps {
		x0 := float64(i) * (float64(side) + gap)
		g := imageGrid{values: m, side: side, x0: x0}
		hm := plotter.NewHeatMap(g, pal.Palette(255))
		hm.Min, hm.Max = lo, hi
		p.Add(hm)
		labels.XYs = append(labels.XYs, plotter.XY{X: x0 + float64(side)/2, Y: -2})
		labels.Labels = append(labels.Labels, names[i])
	}
	// The colour bar, with its range.
	x0 := float64(len(maps))*(float64(side)+gap) - gap/2
	bar := barGrid{side: side, x0: x0, lo: lo, hi: hi}
	hm := plotter.NewHeatMap(bar, pal.Palette(255))
	hm.Min, hm.Max = lo, hi
	p.Add(hm)
	labels.XYs = append(labels.XYs, plotter.XY{X: x0 + 2, Y: 0}, plotter.XY{X: x0 + 2, Y: float64(side) - 1})
	labels.Labels = append(labels.Labels, fmt.Sprintf("≤ %g", InputFloor), fmt.Sprintf("%.3g", top))
	if l, err := plotter.NewLabels(labels); err == nil {
		for i := range l.TextStyle {
			if i < len(maps) {
				l.TextStyle[i].XAlign = -0.5
			}
			l.TextStyle[i].Font.Size = vg.Points(10)
		}
		p.Add(l)
	}
	p.X.Min, p.X.Max = -0.5, x0+6
	p.Y.Min, p.Y.Max = -4, float64(side)-0.5
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
	p := newPlot("Weights by magnitude, all layers", "log10 |w|", "fraction of the weights")
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
