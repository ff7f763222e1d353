package regnb_test

import (
	"context"
	"encoding/json"
	"os"
	"path/filepath"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/regnb/regnb/regnb"
	"github.com/regnb/regnb/regnb/data"
	"github.com/regnb/regnb/regnb/data/datatest"
)

// TestPruningStudy: what notebook 6's cells call, on a small synthetic data
// set: a sweep of the group lasso that prunes, the choice, the dense
// baseline of the chosen sizes, the comparison on the test set, the timing
// and the figures recorded.
func TestPruningStudy(t *testing.T) {
	figures := filepath.Join(t.TempDir(), "figures.json")
	t.Setenv(regnb.FiguresEnv, figures)
	dataDir := datatest.Write(t, 300, 6)
	base := regnb.MustPreset("none")
	base.Hidden, base.Epochs, base.LogEvery, base.LR, base.Validation = []int{16, 8}, 3, 10, 1e-2, 50
	base.DataDir, base.BatchSize = dataDir, 10
	gl := base
	gl.GroupLassoLayers, gl.PruneFinetune, gl.PruneFloor = []float64{1, 4}, 2, 0.1
	dir := t.TempDir()
	seeds := []uint64{1, 2}
	s, err := regnb.Sweep(context.Background(), regnb.SweepGrid{Base: gl, Kind: "group-lasso", Lambdas: []float64{0, 1e-3},
		Seeds: seeds, Tolerance: 0.9, Dir: dir}, 2)
	require.NoError(t, err)
	full, ok := regnb.At(s, 0)
	require.True(t, ok)
	pruned, ok := regnb.ChosenPoint(s, regnb.ToleranceRule)
	require.True(t, ok, "a tolerance of 0.9 takes the largest λ")
	assert.Equal(t, 1e-3, pruned.Lambda)
	_, ok = regnb.At(s, 5)
	assert.False(t, ok)
	runs := regnb.Runs(dir, pruned)
	require.Len(t, runs, 2)
	sizes, err := regnb.KeptSizes(runs)
	require.NoError(t, err)
	require.Len(t, sizes, 2)
	assert.Less(t, sizes[0]+sizes[1], 24, "the floor removed units")
	regnb.RecordPoint("nb.chosen", pruned)
	regnb.RecordChoices("nb.rule", s, regnb.ToleranceRule)

	dense := base
	dense.Hidden = sizes
	scratch := t.TempDir()
	hs, err := regnb.TrainEach(context.Background(), dense, seeds, scratch, 2)
	require.NoError(t, err)
	require.Len(t, hs, 2)
	for i, h := range hs {
		assert.Equal(t, seeds[i], h.Config.Seed)
		assert.False(t, h.Summary.TestEvaluated, "the test set waits for Evaluate")
	}

	d, err := data.Load(dataDir)
	require.NoError(t, err)
	tested, err := regnb.Evaluate(d.Test,
		regnb.Contender{Name: "full", Label: "full network", Runs: regnb.Runs(dir, full)},
		regnb.Contender{Name: "pruned", Label: "pruned", Runs: runs},
		regnb.Contender{Name: "scratch", Label: "from scratch", Runs: regnb.SeedRuns(scratch, seeds)},
		regnb.Contender{Name: "cut", Label: "all cut", Runs: regnb.Runs(dir, full), ZeroBelow: 1e9})
	require.NoError(t, err)
	require.Len(t, tested, 4)
	assert.Equal(t, 24.0, tested[0].Units.Mean)
	assert.Equal(t, float64(sizes[0]+sizes[1]), tested[2].Units.Mean)
	assert.Equal(t, 0.0, tested[3].NonZero.Mean, "every parameter below the threshold is cut")
	assert.Equal(t, tested[0].Params, tested[3].Params, "cutting weights keeps the shapes")
	assert.Equal(t, 2, tested[1].Test.N)
	regnb.ShowTested(tested)
	_, err = regnb.SVG(regnb.TestedPlot(tested))
	require.NoError(t, err)
	regnb.RecordTested("nb.test", tested)

	nets := []*regnb.Network{regnb.MustLoadNetwork(regnb.Runs(dir, full)[0]), regnb.MustLoadNetwork(runs[0])}
	speed, err := regnb.MeasureSpeed(d.Test, []int{1, 50}, []string{"full", "pruned"}, nets...)
	require.NoError(t, err)
	require.Len(t, speed.Timings, 2)
	assert.Equal(t, 50, speed.Timings[1][1].Batch)
	regnb.ShowSpeed(speed)
	_, err = regnb.SVG(regnb.SpeedPlot(speed))
	require.NoError(t, err)
	regnb.RecordSpeed("nb.speed", speed)
	_, err = regnb.MeasureSpeed(d.Test, []int{1}, []string{"one"}, nets...)
	assert.EqualError(t, err, "measure speed: 1 labels for 2 networks")

	raw, err := os.ReadFile(figures)
	require.NoError(t, err)
	var f regnb.Figures
	require.NoError(t, json.Unmarshal(raw, &f))
	for _, name := range []string{"nb.chosen.lambda", "nb.chosen.units", "nb.chosen.validation", "nb.test.full.accuracy",
		"nb.test.pruned.below", "nb.test.cut.nonzero", "nb.speed.b1.pruned", "nb.speed.b50.pruned_beyond", "nb.rule.units"} {
		assert.Contains(t, f.Figures, name)
	}
	assert.Equal(t, 1e-3, f.Figures["nb.chosen.lambda"])
	assert.Equal(t, 0.0, f.Figures["nb.test.full.below"])
}

func TestPruningRecordsAndPlots(t *testing.T) {
	figures := filepath.Join(t.TempDir(), "figures.json")
	t.Setenv(regnb.FiguresEnv, figures)
	cfg := regnb.MustPreset("none")
	cfg.Hidden, cfg.Epochs, cfg.LogEvery, cfg.LR, cfg.Validation = []int{16, 8}, 3, 10, 1e-2, 50
	cfg.DataDir, cfg.GroupLasso, cfg.PruneFinetune, cfg.PruneFloor = datatest.Write(t, 300, 6), 1e-3, 2, 0.1
	cfg.OutDir = regnb.Fresh(filepath.Join(t.TempDir(), "run"))
	h, err := regnb.Train(context.Background(), cfg, regnb.WithLog(nil))
	require.NoError(t, err)
	regnb.RecordPruning("nb.one", h)
	_, err = regnb.SVG(regnb.UnitNormsPlot(h))
	require.NoError(t, err)
	_, err = regnb.SVG(regnb.PruningPlot(h))
	require.NoError(t, err)
	raw, err := os.ReadFile(figures)
	require.NoError(t, err)
	var f regnb.Figures
	require.NoError(t, json.Unmarshal(raw, &f))
	assert.Equal(t, float64(h.Pruning.Kept[0]+h.Pruning.Kept[1]), f.Figures["nb.one.units"])
	assert.Equal(t, h.Summary.ValidationAccuracy, f.Figures["nb.one.final"])

	// Fresh replaces: the directory is gone, ready for a new run.
	regnb.Fresh(cfg.OutDir)
	_, err = os.Stat(cfg.OutDir)
	assert.True(t, os.IsNotExist(err))
}

// In quick mode a claim about full mode's runs is reported, not checked.
func TestAssertInFullModeSkipsQuickMode(t *testing.T) {
	t.Setenv(regnb.QuickEnv, "1")
	regnb.AssertInFullMode(false, "a claim about full mode") // Would end the program in full mode.
}
