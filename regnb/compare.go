package regnb

import (
	"fmt"

	"gonum.org/v1/plot"

	"github.com/regnb/regnb/internal/backend"
	"github.com/regnb/regnb/regnb/data"
	"github.com/regnb/regnb/regnb/history"
	"github.com/regnb/regnb/regnb/infer"
	"github.com/regnb/regnb/regnb/plots"
)

// Contender is one network of the final comparison, by its runs (one per
// seed); ZeroBelow, if > 0, sets every parameter with |w| below it to 0
// before testing (L1's small weights, cut afterwards). Name is a short
// identifier (RecordTested), Label the text of tables and legends.
type Contender struct {
	Name, Label string
	Runs        []string
	ZeroBelow   float64
}

// Tested is a contender's figures over its seeds, on the test set.
type Tested struct {
	Name    string
	Label   string
	Test    history.Stat // Test accuracy.
	Units   history.Stat // Hidden units not all 0.
	Params  history.Stat // Parameters of its dense matrices: what inference computes with.
	NonZero history.Stat // Parameters not 0.
}

// Evaluate evaluates each contender's networks (read from their runs'
// checkpoints) on the test set, once, on the pure-Go backend.
func Evaluate(test *data.Set, cs ...Contender) ([]Tested, error) {
	b, _, err := backend.New("")
	if err != nil {
		return nil, err
	}
	var out []Tested
	for _, c := range cs {
		var acc, units, params, nonzero []float64
		for _, dir := range c.Runs {
			net, err := LoadNetwork(dir)
			if err == nil && c.ZeroBelow > 0 {
				net, err = net.ZeroSmallWeights(c.ZeroBelow)
			}
			if err != nil {
				return nil, fmt.Errorf("%s: %w", c.Label, err)
			}
			a, err := infer.AccuracyOn(b, net, test)
			if err != nil {
				return nil, err
			}
			kept, err := net.UnitsKept()
			if err != nil {
				return nil, err
			}
			nz, err := net.NonZero()
			if err != nil {
				return nil, err
			}
			acc, units = append(acc, a), append(units, float64(sumInts(kept)))
			params, nonzero = append(params, float64(net.Params())), append(nonzero, float64(nz))
		}
		out = append(out, Tested{Name: c.Name, Label: c.Label, Test: history.NewStat(acc), Units: history.NewStat(units),
			Params: history.NewStat(params), NonZero: history.NewStat(nonzero)})
	}
	return out, nil
}

func sumInts(xs []int) int {
	total := 0
	for _, x := range xs {
		total += x
	}
	return total
}

// ShowTested shows the contenders' figures as a table: test accuracy
// (mean ± sd over the seeds), its difference from the first contender's,
// hidden units, parameters and those not 0.
func ShowTested(ts []Tested) {
	header := []string{"network", "test accuracy", "vs. " + ts[0].Label, "hidden units", "parameters", "parameters ≠ 0", "seeds"}
	var rows [][]string
	for _, t := range ts {
		rows = append(rows, []string{t.Label, t.Test.Format("%.4f"), fmt.Sprintf("%+.2f points", 100*(t.Test.Mean-ts[0].Test.Mean)),
			t.Units.Format("%.1f"), t.Params.Format("%.0f"), t.NonZero.Format("%.0f"), fmt.Sprint(t.Test.N)})
	}
	ShowTable(header, rows)
}

// TestedPlot draws the contenders' test accuracy (mean ± sd) against their
// parameters not 0.
func TestedPlot(ts []Tested) *plot.Plot {
	cs := make([]plots.Contender, len(ts))
	for i, t := range ts {
		cs[i] = plots.Contender{Label: t.Label, Params: t.NonZero.Mean, Test: t.Test}
	}
	return plots.Contenders(fmt.Sprintf("Test accuracy against size (mean ± sd over %d seeds)", ts[0].Test.N), "parameters ≠ 0", cs...)
}
