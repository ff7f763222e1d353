package plots

import (
	"image/color"
	"math"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"gonum.org/v1/plot"

	"github.com/regnb/regnb/regnb/history"
)

// The path's α axis is labelled at its powers of ten as people write them
// (1e-4, 0.01, not 9.999999999999999e-05), every coefficient has a colour of
// its own, and the truth names the legend and dashes the zeros.
func TestPathReadsWell(t *testing.T) {
	alphas := []float64{2, 0.5, 1e-1, 1e-2, 1e-3, 1.0000000000000001e-4}
	path := make([][]float64, len(alphas))
	for i := range path {
		path[i] = make([]float64, 10)
		for j := range path[i] {
			path[i][j] = float64(i*j) / 10
		}
	}
	truth := []float64{3, -2, 0, 1.5, 0, 0, 0.5, 0, 0, 0}
	p := Path("path", alphas, path, truth)
	var labels []string
	for _, tick := range p.X.Tick.Marker.Ticks(p.X.Min, p.X.Max) {
		if tick.Label != "" {
			labels = append(labels, tick.Label)
		}
	}
	assert.Equal(t, []string{"1e-4", "1e-3", "0.01", "0.1", "1"}, labels)
	lines := pathLines(alphas, path, truth)
	require.Len(t, lines, 10)
	colors := map[color.Color]bool{}
	dashed := 0
	for _, l := range lines {
		colors[l.color] = true
		assert.Len(t, l.xy, len(alphas))
		if l.dashed {
			dashed++
		}
	}
	assert.Len(t, colors, 10, "a colour per coefficient")
	assert.Equal(t, 6, dashed, "the coefficients whose truth is 0")
	assert.Equal(t, "w1 (true -2)", lines[1].label)
	assert.Equal(t, "w3 (true 1.5)", lines[3].label)
	assert.Equal(t, "w0", pathLines(alphas, path, nil)[0].label)
	_, err := SVG(p)
	require.NoError(t, err)
	_, err = PNG(Path("empty", nil, nil, nil))
	require.NoError(t, err)

	// Less than a decade: the values themselves are labelled.
	labels = nil
	for _, tick := range powerTicks([]float64{0.2, 0.5}).Ticks(0.15, 0.6) {
		if tick.Label != "" {
			labels = append(labels, tick.Label)
		}
	}
	assert.Equal(t, []string{"0.2", "0.5"}, labels)
}

// SeedCurves draws each group's mean over its seeds with a band from the
// lowest to the highest, the baseline in black.
func TestSeedCurves(t *testing.T) {
	run := func(l2 float64, seed uint64, losses ...float64) *history.History {
		h := &history.History{}
		h.Config.Seed, h.Config.L2 = seed, l2
		h.Epochs = append(h.Epochs, history.EpochRecord{})
		for k, l := range losses {
			h.Epochs = append(h.Epochs, history.EpochRecord{Epoch: k + 1, ValidationLoss: l, TrainAccuracy: 1, ValidationAccuracy: 1 - l/10})
			h.Steps = append(h.Steps, history.StepRecord{Epoch: k + 1, Data: l / 100})
		}
		return h
	}
	none := []*history.History{run(0, 1, 0.5, 0.6), run(0, 2, 0.7, 0.8)}
	l2 := []*history.History{run(1e-3, 1, 0.4, 0.4), run(1e-3, 2, 0.5, 0.4)}
	xs, mean, lo, hi := seedCurve(ValidationLossCurve, none)
	assert.Equal(t, []float64{1, 2}, xs, "after each epoch, not before training")
	assert.InDeltaSlice(t, []float64{0.6, 0.7}, mean, 1e-12)
	assert.Equal(t, []float64{0.5, 0.6}, lo)
	assert.Equal(t, []float64{0.7, 0.8}, hi)
	_, mean, _, _ = seedCurve(TrainLossCurve, none)
	assert.InDeltaSlice(t, []float64{0.006, 0.007}, mean, 1e-12, "the mean of the epoch's logged steps")
	_, mean, _, _ = seedCurve(GapCurve, l2)
	assert.InDeltaSlice(t, []float64{0.045, 0.04}, mean, 1e-12)
	assert.True(t, math.IsNaN(TrainLossCurve.Of(none[0], history.EpochRecord{Epoch: 9})), "no step logged in that epoch")

	groups := [][]*history.History{none, l2}
	assert.Equal(t, color.Black, groupColor(groups, 0), "the baseline")
	assert.Equal(t, Color(0), groupColor(groups, 1), "the first regularizer after the baseline: a sweep's first path's colour")
	assert.Equal(t, Color(1), groupColor([][]*history.History{l2, l2}, 1), "without a baseline, in order")
	p := SeedCurves(ValidationLossCurve, none, l2)
	assert.Contains(t, p.Title.Text, "2 seeds: mean, band min–max")
	for _, p := range []*plot.Plot{p, SeedLossCurves(none, l2), SeedCurves(GapCurve, none[:1])} {
		_, err := SVG(p)
		require.NoError(t, err)
	}
	assert.NotContains(t, SeedCurves(GapCurve, none[:1]).Title.Text, "seeds", "one run: a line, no band")
}

// A log axis of a loss has at least two labels, whatever its range.
func TestReadableLogTicks(t *testing.T) {
	labels := func(lo, hi float64) []string {
		var out []string
		for _, tick := range (readableLogTicks{}).Ticks(lo, hi) {
			if tick.Label != "" {
				out = append(out, tick.Label)
			}
		}
		return out
	}
	assert.Equal(t, []string{"1e-3", "0.01", "0.1", "1"}, labels(0.0008, 1.2))
	assert.Equal(t, []string{"0.5", "1"}, labels(0.4, 1.1))
	assert.Equal(t, []string{"0.6", "0.7"}, labels(0.55, 0.72))
	assert.Empty(t, labels(0, 1))
}

// SweepFigure draws a figure against λ, a line per penalty, and the λ = 0
// that every penalty's path shares once.
func TestSweepFigure(t *testing.T) {
	point := func(path string, lambda, loss float64, dirs ...string) history.SweepPoint {
		return history.SweepPoint{Path: path, Lambda: lambda, Dirs: dirs, Finished: len(dirs),
			Figures: []history.FigureStat{{Name: "validation loss", Stat: history.Stat{Mean: loss, SD: 0.01, N: 2}}}}
	}
	s := &history.Sweep{Axis: "penalty", Seeds: []uint64{1, 2}, Points: []history.SweepPoint{
		point("l1", 0, 0.6, "no-penalty/seed-1", "no-penalty/seed-2"), point("l1", 1e-4, 0.5, "a", "b"),
		point("l2", 0, 0.6, "no-penalty/seed-1", "no-penalty/seed-2"), point("l2", 1e-4, 0.55, "c", "d"),
	}}
	raw, err := SVG(SweepFigure(s, "validation loss", "validation loss"))
	require.NoError(t, err)
	svg := string(raw)
	assert.Equal(t, 1, strings.Count(svg, "λ = 0 (no penalty)"), "the shared λ = 0 once")
	assert.Equal(t, 1, strings.Count(svg, ">L1<"))
	assert.Equal(t, 1, strings.Count(svg, ">L2<"))
	assert.Contains(t, svg, ">1e-4<", "λ as people write it")
	assert.Contains(t, svg, "Validation loss against λ (mean ± SE over 2 seeds)")
	_, err = SVG(SweepFigure(&history.Sweep{}, "validation loss", "validation loss"))
	require.NoError(t, err)
}
