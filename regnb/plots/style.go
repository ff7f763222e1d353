package plots

import (
	"image/color"
	"math"
	"sync"

	"gonum.org/v1/plot"
	"gonum.org/v1/plot/vg"
	"gonum.org/v1/plot/vg/draw"
	"gonum.org/v1/plot/vg/recorder"

	"github.com/regnb/regnb/regnb/settings"
)

// palette is the colours of lines, in order: ten that stay apart from each
// other (Tableau's ten, Distinct), where gonum's default has seven and
// repeats them; red second, so that two lines are blue and red.
var palette = []color.Color{Distinct[0], Distinct[3], Distinct[2], Distinct[1], Distinct[4], Distinct[5], Distinct[6], Distinct[7], Distinct[8], Distinct[9]}

// Color returns the i-th colour of the plots' palette (ten distinct ones,
// then again).
func Color(i int) color.Color { return palette[((i%len(palette))+len(palette))%len(palette)] }

// LogTicks labels a log axis readably, with settings.Number (1e-5, 1e-4,
// 0.001, 0.01, 0.1, 1, 10): every power of ten in the range (every second
// or third one over many decades); where the range holds fewer than two, 2×
// and 5× as well (0.2, 0.5), and if still fewer, every multiple; within a
// range too narrow for two multiples, evenly spaced ticks (2.1, 2.2, 2.3).
// The other multiples get ticks without labels.
type LogTicks struct{}

// Ticks implements plot.Ticker.
func (LogTicks) Ticks(lo, hi float64) []plot.Tick {
	if !(lo > 0) || !(hi > lo) || math.IsInf(hi, 0) {
		return nil
	}
	first, last := int(math.Floor(math.Log10(lo))), int(math.Ceil(math.Log10(hi)))
	in := func(x float64) bool { return x >= lo*(1-1e-9) && x <= hi*(1+1e-9) }
	count := func(mults ...int) (n int) {
		for e := first; e <= last; e++ {
			for _, m := range mults {
				if in(float64(m) * math.Pow10(e)) {
					n++
				}
			}
		}
		return n
	}
	labelled := map[int]bool{1: true}
	every := 1 // label every n-th power of ten
	switch powers := count(1); {
	case powers > 14:
		every = 3
	case powers > 7:
		every = 2
	case powers < 2 && count(1, 2, 5) >= 2:
		labelled[2], labelled[5] = true, true
	case powers < 2:
		for m := 2; m <= 9; m++ {
			labelled[m] = true
		}
	}
	if count(1, 2, 3, 4, 5, 6, 7, 8, 9) < 2 { // Within one decade: evenly spaced ticks (2.1, 2.2, 2.3).
		return plot.DefaultTicks{}.Ticks(lo, hi)
	}
	var ticks []plot.Tick
	for e := first; e <= last; e++ {
		for m := 1; m <= 9; m++ {
			x := float64(m) * math.Pow10(e)
			if !in(x) {
				continue
			}
			t := plot.Tick{Value: x}
			if labelled[m] && (m != 1 || every == 1 || ((e%every)+every)%every == 0) {
				t.Label = settings.Number(x)
			}
			ticks = append(ticks, t)
		}
	}
	return ticks
}

// squareUnits holds the plots whose x and y units must be drawn the same
// length (images: InputMaps); render sizes their canvas for it.
var squareUnits sync.Map // *plot.Plot → struct{}

// plotHeight returns the height of p's canvas, without its legend:
// PlotHeight, or for a plot with square units the height at which one y unit
// is as long as one x unit in its data area (PlotWidth wide).
func plotHeight(p *plot.Plot) vg.Length {
	if _, ok := squareUnits.Load(p); !ok || p.X.Max <= p.X.Min || p.Y.Max <= p.Y.Min {
		return PlotHeight
	}
	dc := p.DataCanvas(draw.NewCanvas(new(recorder.Canvas), PlotWidth, PlotHeight))
	around := PlotHeight - (dc.Max.Y - dc.Min.Y) // Title and padding: the same at any height.
	return around + (dc.Max.X-dc.Min.X)*vg.Length((p.Y.Max-p.Y.Min)/(p.X.Max-p.X.Min))
}

// exponentTicks labels an axis of log10 values as the values themselves:
// the tick at −4 reads 1e-4, at 0 reads 1 (every second power of ten over
// more than eight).
type exponentTicks struct{}

// Ticks implements plot.Ticker.
func (exponentTicks) Ticks(lo, hi float64) []plot.Tick {
	every := 1
	if hi-lo > 8 {
		every = 2
	}
	var ticks []plot.Tick
	for e := int(math.Ceil(lo)); float64(e) <= hi; e++ {
		t := plot.Tick{Value: float64(e)}
		if ((e%every)+every)%every == 0 {
			t.Label = settings.Number(math.Pow10(e))
		}
		ticks = append(ticks, t)
	}
	return ticks
}
