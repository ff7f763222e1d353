package sweep_test

import (
	"bytes"
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/regnb/regnb/regnb/data"
	"github.com/regnb/regnb/regnb/data/datatest"
	"github.com/regnb/regnb/regnb/history"
	"github.com/regnb/regnb/regnb/settings"
	"github.com/regnb/regnb/regnb/sweep"
)

// smallGrid is 2 λ × 2 seeds of a small MLP on a synthetic data set.
func smallGrid(t *testing.T, dir string) (sweep.Grid, *data.TrainTest) {
	base := settings.Default()
	base.Hidden, base.Epochs, base.LogEvery, base.LR, base.Validation = []int{16, 8}, 2, 10, 1e-3, 100
	d, err := data.Load(datatest.Write(t, 400, 6))
	require.NoError(t, err)
	base.DataDir = d.Dir
	return sweep.Grid{Base: base, Lambdas: []float64{1e-3, 0.3}, Seeds: []uint64{1, 2}, Dir: dir}, d
}

// TestSweepInProcess runs a small grid in goroutines: the table, the choice,
// the test set evaluated for the chosen configuration only, and a second
// Run that runs nothing again and gives the same table.
func TestSweepInProcess(t *testing.T) {
	dir := t.TempDir()
	g, d := smallGrid(t, dir)
	p, err := sweep.NewPlan(g)
	require.NoError(t, err)
	var log bytes.Buffer
	s, err := sweep.Run(context.Background(), p, sweep.Options{Jobs: 2, Data: d, Log: &log})
	require.NoError(t, err, log.String())

	require.Len(t, s.Points, 2)
	chosen := 0
	for _, pt := range s.Points {
		assert.Equal(t, 2, pt.Finished)
		val, ok := pt.Figure(history.FigValidationAccuracy)
		require.True(t, ok)
		assert.Equal(t, 2, val.N)
		if len(pt.Chosen) == 0 {
			assert.Nil(t, pt.Test, "%s: not chosen, never tested", pt.Label)
			continue
		}
		chosen++
		require.NotNil(t, pt.Test, pt.Label)
		assert.Len(t, pt.TestBySeed, 2)
	}
	assert.NotZero(t, chosen)
	for _, j := range p.Jobs {
		h, err := history.Load(j.Config.OutDir)
		require.NoError(t, err)
		assert.False(t, h.Summary.TestEvaluated, "%s: a sweep's run never evaluates the test set itself", j.Config.OutDir)
		assert.Equal(t, history.Finished, h.Status)
		assert.FileExists(t, filepath.Join(dir, "logs", filepath.Base(filepath.Dir(j.Config.OutDir))+"-seed-"+
			strings.TrimPrefix(filepath.Base(j.Config.OutDir), "seed-")+".log"))
	}
	for _, f := range []string{"sweep.json", "sweep.csv", "sweep.md"} {
		assert.FileExists(t, filepath.Join(dir, f))
	}
	assert.Equal(t, 4, strings.Count(log.String(), "validation accuracy 0."), log.String())
	var table bytes.Buffer
	require.NoError(t, sweep.Report(&table, s))
	assert.Contains(t, table.String(), "| λ | validation accuracy | SE |")
	assert.Contains(t, table.String(), "the largest λ whose mean is within one SE of the best")
	raw, err := os.ReadFile(filepath.Join(dir, "sweep.md"))
	require.NoError(t, err)
	assert.True(t, strings.HasPrefix(table.String(), string(raw)), "sweep.md is the table")

	// Again: every run finished before; the same table.
	var again bytes.Buffer
	s2, err := sweep.Run(context.Background(), p, sweep.Options{Jobs: 2, Data: d, Log: &again})
	require.NoError(t, err)
	assert.Equal(t, 4, strings.Count(again.String(), "(finished before)"), again.String())
	assert.Equal(t, s.Rows(), s2.Rows())

	// One run at a time gives the same figures, to the bit: the runs in
	// goroutines share nothing.
	g.Dir = t.TempDir()
	p1, err := sweep.NewPlan(g)
	require.NoError(t, err)
	s1, err := sweep.Run(context.Background(), p1, sweep.Options{Jobs: 1, Data: d, Log: &bytes.Buffer{}})
	require.NoError(t, err)
	assert.Equal(t, s.Rows(), s1.Rows())
}

// TestSweepRefusesBeforeAnyRun: what would stop a run stops the sweep
// before any starts, with one line.
func TestSweepRefusesBeforeAnyRun(t *testing.T) {
	dir := t.TempDir()
	g, d := smallGrid(t, dir)
	p, err := sweep.NewPlan(g)
	require.NoError(t, err)
	_, err = sweep.Run(context.Background(), p, sweep.Options{Jobs: -1, Data: d})
	assert.EqualError(t, err, "jobs = -1: want at least 1")

	big := g
	big.Base.Validation = 400
	pb, err := sweep.NewPlan(big)
	require.NoError(t, err)
	_, err = sweep.Run(context.Background(), pb, sweep.Options{Data: d})
	assert.EqualError(t, err, "validation = 400: not smaller than the training set (400 examples): leave images to train on")

	file := filepath.Join(t.TempDir(), "file")
	require.NoError(t, os.WriteFile(file, nil, 0o644))
	bad := g
	bad.Dir = filepath.Join(file, "sweep")
	pf, err := sweep.NewPlan(bad)
	require.NoError(t, err)
	_, err = sweep.Run(context.Background(), pf, sweep.Options{Data: d})
	assert.ErrorContains(t, err, "output directory "+bad.Dir+": cannot create it: not a directory")

	// A run directory that holds a run of other settings.
	other := g
	other.Base.LR = 0.5
	po, err := sweep.NewPlan(other)
	require.NoError(t, err)
	require.NoError(t, os.MkdirAll(po.Jobs[1].Config.OutDir, 0o755))
	h := &history.History{Config: p.Jobs[1].Config, Status: history.Finished}
	var js bytes.Buffer
	require.NoError(t, h.WriteJSON(&js))
	require.NoError(t, os.WriteFile(filepath.Join(po.Jobs[1].Config.OutDir, history.File), js.Bytes(), 0o644))
	_, err = sweep.Run(context.Background(), po, sweep.Options{Data: d})
	assert.ErrorContains(t, err, "holds a run of other settings: lr (there 0.001, the sweep's 0.5); use another directory or remove it")
	entries, _ := os.ReadDir(po.Jobs[0].Config.OutDir)
	assert.Empty(t, entries, "no run started")

	// Collecting names the runs that have not finished (that history is p's finished run).
	_, err = sweep.Collect(p)
	assert.ErrorContains(t, err, "sweep: 3 of 4 runs have not finished: "+p.Jobs[0].Config.OutDir+" (no run), "+p.Jobs[2].Config.OutDir+" (no run)")
}
