package plots_test

import (
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"gonum.org/v1/plot"

	"github.com/regnb/regnb/regnb/history"
	"github.com/regnb/regnb/regnb/plots"
	"github.com/regnb/regnb/regnb/settings"
)

// svgOf renders p and returns its SVG.
func svgOf(t *testing.T, p *plot.Plot) string {
	t.Helper()
	b, err := plots.SVG(p)
	require.NoError(t, err)
	return string(b)
}

// pruned is a history of a run that pruned after epoch 2 of 5.
func pruned() *history.History {
	cfg := settings.MustPreset("none")
	cfg.GroupLasso, cfg.Validation, cfg.PruneFinetune, cfg.PruneFloor = 1e-4, 100, 3, 0.6
	h := &history.History{Config: cfg}
	for e, acc := range []float64{0.1, 0.93, 0.94, 0.95, 0.96, 0.965} {
		h.Epochs = append(h.Epochs, history.EpochRecord{Epoch: e, ValidationAccuracy: acc})
	}
	h.Pruning = &history.Pruning{Epoch: 2, Floor: 0.6, Hidden: []int{4, 3}, Kept: []int{2, 1},
		Norms: [][]float64{{0.002, 1.5, 0.3, 2}, {0.9, 0.01, 0.5}}, Before: h.Epochs[2], After: history.EpochRecord{Epoch: 2, ValidationAccuracy: 0.8}}
	return h
}

func TestPruningPlots(t *testing.T) {
	h := pruned()
	svg := svgOf(t, plots.UnitNorms(h))
	for _, want := range []string{"hidden layer 1: 2 of 4 kept", "hidden layer 2: 1 of 3 kept", "floor 0.6: units below it are removed", "log scale"} {
		assert.Contains(t, svg, want)
	}
	svg = svgOf(t, plots.PruningPhases(h))
	for _, want := range []string{"with the penalty", "pruned to 2 of 4, 1 of 3 units", "fine-tuned without penalty", "validation accuracy"} {
		assert.Contains(t, svg, want)
	}
	h.Pruning = nil // A run that did not prune: one line, no floor.
	assert.NotContains(t, svgOf(t, plots.PruningPhases(h)), "with the penalty")
	assert.NotContains(t, svgOf(t, plots.UnitNorms(h)), "floor")
}

func TestPruneSweepPlot(t *testing.T) {
	point := func(path string, lambda, acc, units float64, chosen ...string) history.SweepPoint {
		return history.SweepPoint{Path: path, Lambda: lambda, Chosen: chosen, Figures: []history.FigureStat{
			{Name: history.FigValidationAccuracy, Stat: history.Stat{Mean: acc, SD: 0.003, N: 3}},
			{Name: history.FigUnitsKept, Stat: history.Stat{Mean: units, SD: 2, N: 3}}}}
	}
	s := &history.Sweep{Axis: "prune-floor", Seeds: []uint64{1, 2, 3}, Tolerance: 0.01, Points: []history.SweepPoint{
		point("0.05", 0, 0.967, 96, history.ChosenBest),
		point("0.05", 1e-4, 0.969, 79, history.ChosenTolerance),
		point("0.6", 0, 0.967, 96),
		point("0.6", 1.5e-4, 0.961, 39, history.ChosenTolerance),
	}}
	svg := svgOf(t, plots.PruneSweep(s))
	for _, want := range []string{"units below 0.05 pruned", "units below 0.6 pruned", "λ = 1.5e-4", "λ = 0",
		"best mean − 0.01: the tolerance rule&#39;s limit", "chosen: tolerance rule", "mean ± sd over 3 seeds"} {
		assert.Contains(t, svg, want)
	}
	assert.Equal(t, 1, strings.Count(svg, ">λ = 0<"), "λ = 0 of both paths is one place, labelled once")
}

func TestContendersAndTimings(t *testing.T) {
	svg := svgOf(t, plots.Contenders("Test accuracy", "parameters ≠ 0",
		plots.Contender{Label: "full network", Params: 52650, Test: history.Stat{Mean: 0.968, SD: 0.002, N: 3}},
		plots.Contender{Label: "pruned", Params: 23000, Test: history.Stat{Mean: 0.962, SD: 0.002, N: 3}}))
	for _, want := range []string{"full network", "pruned", ">parameters ≠ 0<", "test accuracy", ">25000<"} {
		assert.Contains(t, svg, want)
	}
	svg = svgOf(t, plots.Timings("Inference",
		plots.TimingBar{Group: "batch 1", Label: "full", Median: 90, Q1: 85, Q3: 95},
		plots.TimingBar{Group: "batch 1", Label: "pruned", Median: 80, Q1: 78, Q3: 84},
		plots.TimingBar{Group: "batch 1000", Label: "full", Median: 11, Q1: 10.5, Q3: 11.5},
		plots.TimingBar{Group: "batch 1000", Label: "pruned", Median: 6, Q1: 5.8, Q3: 6.3}))
	for _, want := range []string{">batch 1<", ">batch 1000<", ">full<", ">pruned<", "µs per image"} {
		assert.Contains(t, svg, want)
	}
	svgOf(t, plots.Timings("empty"))
	svgOf(t, plots.Contenders("empty", "parameters"))
}
