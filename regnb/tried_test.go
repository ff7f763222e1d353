package regnb_test

import (
	"context"
	"encoding/json"
	"os"
	"path/filepath"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/gomlx/gomlx/core/tensors"

	"github.com/regnb/regnb/regnb"
	"github.com/regnb/regnb/regnb/data/datatest"
	"github.com/regnb/regnb/regnb/history"
)

// smallBase is a tiny configuration on a synthetic data set, with a
// validation split and without the test set.
func smallBase(t *testing.T) regnb.Config {
	base := regnb.MustPreset("none")
	base.Hidden, base.Epochs, base.LogEvery, base.LR, base.Validation, base.NoTest = []int{8}, 2, 5, 1e-3, 50, true
	base.DataDir = datatest.Write(t, 300, 6)
	return base
}

// TestTryValuesSharesTheBaselineAndTestsTheChosenAlone: the network without
// regularization trained beforehand in Dir/no-penalty is read, not run
// again; only the values chosen are evaluated on the test set; LoadTried
// reads back the same; the choices come with their runs.
func TestTryValuesSharesTheBaselineAndTestsTheChosenAlone(t *testing.T) {
	base, dir := smallBase(t), t.TempDir()
	ctx := context.Background()
	cfg := base
	cfg.OutDir = filepath.Join(dir, regnb.NoPenalty)
	seeds := []uint64{1, 2}
	none, err := regnb.TrainSeeds(ctx, cfg, seeds, regnb.WithLog(nil))
	require.NoError(t, err)

	tried, err := regnb.TryValues(ctx, regnb.Values{Base: base, Setting: "dropout", Values: []float64{0, 0.3, 0.6},
		Seeds: seeds, Dir: dir}, 2)
	require.NoError(t, err)
	require.Len(t, tried.Points, 3)
	assert.Equal(t, []string{"no penalty", "dropout 0.3", "dropout 0.6"},
		[]string{tried.Points[0].Label, tried.Points[1].Label, tried.Points[2].Label})
	assert.Equal(t, []string{filepath.Join(regnb.NoPenalty, "seed-1"), filepath.Join(regnb.NoPenalty, "seed-2")}, tried.Points[0].Dirs)
	again, err := regnb.LoadHistory(filepath.Join(dir, regnb.NoPenalty, "seed-1"))
	require.NoError(t, err)
	assert.Equal(t, none[0].Summary, again.Summary, "the baseline was read, not trained again")
	chosen := 0
	for _, p := range tried.Points {
		assert.Equal(t, 2, p.Finished)
		if len(p.Chosen) == 0 {
			assert.Nil(t, p.Test, "%s: not chosen, never tested", p.Label)
			continue
		}
		chosen++
		require.NotNil(t, p.Test)
		assert.Len(t, p.TestBySeed, 2)
	}
	assert.NotZero(t, chosen)
	for _, seed := range []string{"seed-1", "seed-2"} {
		h, err := regnb.LoadHistory(filepath.Join(dir, "dropout-0.3", seed))
		require.NoError(t, err)
		assert.False(t, h.Summary.TestEvaluated, "the runs never evaluate the test set themselves")
		assert.Equal(t, 0.3, h.Config.Dropout)
	}

	back, err := regnb.LoadTried(dir, "dropout")
	require.NoError(t, err)
	assert.Equal(t, tried.Points, back.Points)
	for _, rule := range []string{regnb.BestMean, regnb.OneSE} {
		c, err := back.Choice(rule)
		require.NoError(t, err)
		assert.Len(t, c.Runs, 2)
		assert.Len(t, c.Test, 2)
		assert.Equal(t, rule, c.Rule)
	}
	_, err = regnb.LoadTried(dir, "max-norm")
	assert.ErrorContains(t, err, "run TryValues first")

	ref, err := regnb.Baseline(none)
	require.NoError(t, err)
	assert.Equal(t, "no penalty", ref.Label)
	require.Len(t, ref.Test, 2)
	if p := tried.Points[0]; p.Test != nil {
		assert.Equal(t, p.TestBySeed, ref.Test, "the baseline's test accuracy is the sweep's evaluation of the same networks")
	}
	gain, err := ref.GainOver(ref)
	require.NoError(t, err)
	assert.Equal(t, 0.0, gain.Mean)
	figures := filepath.Join(t.TempDir(), "figures.json")
	t.Setenv(regnb.FiguresEnv, figures)
	c, err := back.Choice(regnb.BestMean)
	require.NoError(t, err)
	gain, err = regnb.RecordChosen("x.chosen", c, ref)
	require.NoError(t, err)
	_, err = regnb.RecordChosen("x.none", ref, ref)
	require.NoError(t, err)
	raw, err := os.ReadFile(figures)
	require.NoError(t, err)
	var recorded regnb.Figures
	require.NoError(t, json.Unmarshal(raw, &recorded))
	for _, name := range []string{"x.chosen.test", "x.chosen.gain", "x.chosen.gain_min", "x.chosen.val_loss", "x.chosen.silent", "x.none.test"} {
		assert.Contains(t, recorded.Figures, name)
	}
	assert.Equal(t, 0.0, recorded.Figures["x.none.gain"], "the baseline over itself")
	regnb.RecordTried("x", back)
	raw, err = os.ReadFile(figures)
	require.NoError(t, err)
	require.NoError(t, json.Unmarshal(raw, &recorded))
	for _, name := range []string{"x.dropout.0.val_acc", "x.dropout.0.3.val_acc_se", "x.dropout.0.6.val_loss", "x.dropout.0.6.train_acc", "x.dropout.0.3.gap"} {
		assert.Contains(t, recorded.Figures, name)
	}
	f, _ := back.Points[1].Figure("validation accuracy")
	assert.Equal(t, f.Mean, recorded.Figures["x.dropout.0.3.val_acc"])
	assert.Equal(t, gain.Mean, recorded.Figures["x.chosen.gain"])
	assert.Len(t, regnb.RunsOf(ref, ref), 1, "the same runs once")
	_, err = regnb.SVG(regnb.CurvesPlot(regnb.ValidationLoss, regnb.RunsOf(ref)...))
	require.NoError(t, err)
	_, err = regnb.SVG(regnb.LossCurvesPlot(none))
	require.NoError(t, err)

	for _, bad := range []regnb.Values{
		{Base: base, Setting: "dropout", Values: []float64{0.5, 1.5}, Dir: dir},
		{Base: base, Setting: "nothing", Values: []float64{1}, Dir: dir},
		{Base: base, Setting: "dropout", Dir: dir},
		{Base: base, Setting: "dropout", Values: []float64{0.2, 0.2}, Dir: dir},
	} {
		_, err := regnb.TryValues(ctx, bad, 1)
		assert.Error(t, err, "%+v", bad.Values)
	}
}

// The one-standard-error rule of TryValues goes towards the strongest value,
// the last in Values' order — for max-norm the smallest bound.
func TestTryValuesOneSERuleTakesTheStrongest(t *testing.T) {
	p := func(label string, mean, sd float64) history.SweepPoint {
		return history.SweepPoint{Label: label, Dirs: []string{"a", "b", "c", "d"}, Finished: 4,
			Figures: []history.FigureStat{{Name: history.FigValidationAccuracy, Stat: history.Stat{Mean: mean, SD: sd, N: 4}}}}
	}
	points := []history.SweepPoint{p("off", 0.90, 0.01), p("max-norm 4", 0.92, 0.01), p("max-norm 2", 0.917, 0.01), p("max-norm 1", 0.90, 0.01)}
	regnb.ChooseInOrder(points)
	assert.Equal(t, []string{history.ChosenBest}, points[1].Chosen)
	assert.Equal(t, []string{history.ChosenOneSE}, points[2].Chosen, "0.917 ≥ 0.92 − 0.01/√4")
	assert.Empty(t, points[3].Chosen)
	assert.Empty(t, points[0].Chosen)
}

func TestSweepFigureOf(t *testing.T) {
	s := &regnb.SweepResult{Points: []history.SweepPoint{{Path: "l2", Lambda: 1e-3, Label: "L2, λ = 1e-3",
		Figures: []history.FigureStat{{Name: "validation loss", Stat: history.Stat{Mean: 0.5, SD: 0.02, N: 4}}}}}}
	f, err := regnb.SweepFigureOf(s, "l2", 1e-3, "validation loss")
	require.NoError(t, err)
	assert.Equal(t, 0.5, f.Mean)
	assert.Equal(t, 0.01, f.SE())
	_, err = regnb.SweepFigureOf(s, "l2", 1e-3, "nothing")
	assert.EqualError(t, err, `sweep: L2, λ = 1e-3 has no figure "nothing"`)
	_, err = regnb.SweepFigureOf(s, "l1", 1e-3, "validation loss")
	assert.EqualError(t, err, "sweep: no configuration l1, λ = 0.001")
}

func TestSilentPixels(t *testing.T) {
	h := &regnb.History{}
	h.Config.Hidden = []int{10}
	h.Summary.InputL1 = []float64{0, 0.009, 0.01, 5}
	assert.Equal(t, 2, regnb.SilentPixels(h), "below 10 hidden units × 1e-3")
}

func TestBatches(t *testing.T) {
	t.Setenv("REGNB_DATA", datatest.Write(t, 40, 6))
	train, err := regnb.MNISTTrain(25)
	require.NoError(t, err)
	assert.Equal(t, 25, train.Len())
	count := func(labels []int32, into map[int32]int, times int) {
		for _, l := range labels {
			into[l] += times
		}
	}
	want, got := map[int32]int{}, map[int32]int{}
	count(tensors.MustCopyFlatData[int32](train.All().Labels[0]), want, 2)
	steps := 0
	for step, b := range train.Shuffled(10, 5, 1) {
		assert.Equal(t, steps, step)
		steps++
		assert.Equal(t, []int{10, 36}, b.Inputs[0].Shape().Dimensions)
		assert.Equal(t, []int{10, 1}, b.Labels[0].Shape().Dimensions)
		count(tensors.MustCopyFlatData[int32](b.Labels[0]), got, 1)
	}
	assert.Equal(t, 5, steps)
	assert.Equal(t, want, got, "50 images of 25: each pass over the images holds each once")
	test, err := regnb.MNISTTest(0)
	require.NoError(t, err)
	assert.Equal(t, 20, test.Len())
	all := test.All()
	assert.Equal(t, []int{20, 36}, all.Inputs[0].Shape().Dimensions)
}

func TestLoadPathReference(t *testing.T) {
	t.Setenv("GONB_DIR", filepath.Join("..", "notebooks")) // As from a notebook: RepoFile is GONB_DIR/../<file>.
	ref, err := regnb.LoadPathReference()
	require.NoError(t, err)
	assert.Len(t, ref.X, 60)
	assert.Len(t, ref.X[0], 8)
	require.Len(t, ref.Paths, 2)
	assert.Equal(t, 1.0, ref.Paths[0].L1Ratio)
	assert.Len(t, ref.Paths[0].Coefs, len(ref.Paths[0].Alphas))
}

// TrainTogether trains the configurations at the same time, each in its
// directory, and returns their histories in the order given.
func TestTrainTogether(t *testing.T) {
	a, b := smallBase(t), smallBase(t)
	a.NoTest, b.NoTest = false, false
	b.L1 = 1e-3
	a.OutDir, b.OutDir = t.TempDir(), t.TempDir()
	hs, err := regnb.TrainTogether(context.Background(), 2, a, b)
	require.NoError(t, err)
	require.Len(t, hs, 2)
	assert.Equal(t, "no penalty", hs[0].Name())
	assert.Equal(t, "L1, λ = 1e-3", hs[1].Name())
	for _, h := range hs {
		assert.Equal(t, history.Finished, h.Status)
		assert.True(t, h.Summary.TestEvaluated)
		assert.FileExists(t, filepath.Join(h.Config.OutDir, "history.json"))
	}
	_, err = regnb.TrainTogether(context.Background(), 2)
	assert.Error(t, err)
	bad := a
	bad.LR = -1
	_, err = regnb.TrainTogether(context.Background(), 1, bad)
	assert.ErrorContains(t, err, "lr")
}
