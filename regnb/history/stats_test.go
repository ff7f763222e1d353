package history_test

import (
	"bytes"
	"math"
	"path/filepath"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/regnb/regnb/regnb/history"
	"github.com/regnb/regnb/regnb/settings"
)

func TestStat(t *testing.T) {
	s := history.NewStat([]float64{0.90, 0.92, 0.97})
	assert.InDelta(t, 0.93, s.Mean, 1e-12)
	// Σ(x−mean)² = 0.0009 + 0.0001 + 0.0016 = 0.0026, over n−1 = 2.
	assert.InDelta(t, math.Sqrt(0.0013), s.SD, 1e-12)
	assert.InDelta(t, math.Sqrt(0.0013)/math.Sqrt(3), s.SE(), 1e-12)
	assert.Equal(t, [2]float64{0.90, 0.97}, [2]float64{s.Min, s.Max})
	assert.Equal(t, "0.9300 ± 0.0361", s.Format("%.4f"))

	one := history.NewStat([]float64{0.5})
	assert.Equal(t, 0.0, one.SD)
	assert.Equal(t, 0.0, one.SE())
	assert.Equal(t, "0.50", one.Format("%.2f"), "one run has no spread to show")
	assert.True(t, math.IsNaN(history.NewStat(nil).SE()))
}

// run returns a finished run's history with the figures given.
func run(seed uint64, validation, train float64, test bool) *history.History {
	h := &history.History{Config: settings.MustPreset("l1"), Status: "finished"}
	h.Config.Seed, h.Config.Validation = seed, 100
	h.Summary = history.Summary{TrainAccuracy: train, ValidationAccuracy: validation, Small: 0.25, Zeros: 3,
		UnitsKept: []int{60, 30}, TestEvaluated: test, TestAccuracy: validation - 0.01}
	return h
}

func TestAggregateOverSeeds(t *testing.T) {
	hs := []*history.History{run(42, 0.90, 0.95, true), run(43, 0.92, 0.96, true)}
	fs := history.Aggregate(hs)
	val, ok := history.Find(fs, history.FigValidationAccuracy)
	require.True(t, ok)
	assert.InDelta(t, 0.91, val.Mean, 1e-12)
	gap, ok := history.Find(fs, history.FigGap)
	require.True(t, ok)
	assert.InDelta(t, 0.045, gap.Mean, 1e-12)
	units, _ := history.Find(fs, history.FigUnitsKept)
	assert.Equal(t, 90.0, units.Mean)
	small, _ := history.Find(fs, history.FigSmall)
	assert.Equal(t, 25.0, small.Mean)
	_, ok = history.Find(fs, history.FigTestAccuracy)
	assert.True(t, ok)

	// A figure that one run lacks is left out: here the test accuracy.
	hs[1].Summary.TestEvaluated = false
	_, ok = history.Find(history.Aggregate(hs), history.FigTestAccuracy)
	assert.False(t, ok)

	rows := history.SeedRows(hs)
	assert.Equal(t, []string{"figure", "mean ± sd", "min", "max", "seed 42", "seed 43"}, rows[0])
	assert.Equal(t, []string{history.FigValidationAccuracy, "0.9100 ± 0.0141", "0.9000", "0.9200", "0.9000", "0.9200"}, rows[1])
}

func TestSweepRoundTripAndTables(t *testing.T) {
	test := history.NewStat([]float64{0.89, 0.91})
	s := &history.Sweep{Axis: "penalty", Seeds: []uint64{42, 43}, Validation: 100, Points: []history.SweepPoint{
		{Label: "L1, λ = 1e-4", Path: "l1", Lambda: 1e-4, Dirs: []string{"a/seed-42", "a/seed-43"}, Finished: 2,
			Figures: history.Aggregate([]*history.History{run(42, 0.90, 0.95, false), run(43, 0.92, 0.96, false)}),
			Chosen:  []string{history.ChosenBest, history.ChosenOneSE}, Test: &test, TestBySeed: []float64{0.89, 0.91}},
		{Label: "L1, λ = 1", Path: "l1", Lambda: 1, Dirs: []string{"b/seed-42", "b/seed-43"}, Finished: 1, Diverged: 1,
			Figures: history.Aggregate([]*history.History{run(42, math.NaN(), 0.1, false)})},
	}}
	dir := t.TempDir()
	require.NoError(t, s.WriteFiles(dir))
	back, err := history.LoadSweep(dir)
	require.NoError(t, err)
	assert.Equal(t, s.Rows(), back.Rows(), "the table of the sweep read back")
	assert.Equal(t, s.Points[0], back.Points[0])
	v, _ := back.Points[1].Figure(history.FigValidationAccuracy)
	assert.True(t, math.IsNaN(v.Mean), "NaN reads back as NaN")
	assert.FileExists(t, filepath.Join(dir, "sweep.csv"))

	rows := s.Rows()
	assert.Equal(t, []string{"penalty", "λ", "validation accuracy", "SE", history.FigGap, "∣w∣ < 1e-3", "units kept", "runs", "chosen", "test accuracy"}, rows[0])
	assert.Equal(t, []string{"l1", "1e-4", "0.9100 ± 0.0141", "0.0100", "0.0450 ± 0.0071", "25.00 ± 0.00 %", "90.0 ± 0.0", "2",
		"best mean, 1-SE rule", "0.9000 ± 0.0141"}, rows[1])
	assert.Equal(t, "1 of 2 (1 diverged)", rows[2][7])
	assert.Equal(t, "", rows[2][9], "never evaluated on the test set")
	var md bytes.Buffer
	require.NoError(t, history.WriteMarkdown(&md, rows))
	assert.Contains(t, md.String(), "| l1 | 1e-4 | 0.9100 ± 0.0141 |")
	csv := s.CSVRows()
	assert.Equal(t, "best mean+1-SE rule", csv[1][12])
	assert.Equal(t, "0.9", csv[1][13])
}
