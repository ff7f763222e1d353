package plots

import (
	"gonum.org/v1/plot"

	"github.com/regnb/regnb/regnb/history"
)

// Units draws the hidden units alive (all hidden layers together) over the
// logged steps of one or more runs: a unit whose incoming weights and bias
// are all exactly 0 is dead, and pruning removes it. Runs whose steps do not
// record units (histories written before units_kept) draw nothing.
func Units(hs ...*history.History) *plot.Plot {
	p := newPlot("Hidden units alive", "step", "units (all hidden layers)")
	p.Y.Min = 0
	for i, h := range hs {
		var xs, ys []float64
		for _, r := range h.Steps {
			if len(r.UnitsKept) == 0 {
				continue
			}
			total := 0
			for _, k := range r.UnitsKept {
				total += k
			}
			xs, ys = append(xs, float64(r.Step)), append(ys, float64(total))
		}
		addLine(p, h.Name(), i, false, false, xs, ys)
	}
	return p
}
