package run_test

import (
	"context"
	"io"
	"math"
	"testing"

	"github.com/gomlx/gomlx/ml/model"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/regnb/regnb/internal/backend"
	"github.com/regnb/regnb/layers"
	"github.com/regnb/regnb/regnb/infer"
	"github.com/regnb/regnb/regnb/run"
	"github.com/regnb/regnb/regnb/settings"
)

// A short proximal group-lasso run on the real MNIST leaves whole hidden
// units exactly 0; the network pruned from its checkpoint is smaller and
// computes the same logits, to float32 rounding, on the whole test set.
func TestGroupLassoRunPrunesToTheSameOutputs(t *testing.T) {
	d := realMNIST(t)
	cfg := settings.MustPreset("none")
	cfg.GroupLasso, cfg.Proximal = 0.2, true
	cfg.LR = 1e-3
	cfg.MaxSteps = 1500
	cfg.LogEvery = 500
	cfg.OutDir = t.TempDir()
	store := model.NewStore()
	h, err := run.Train(context.Background(), cfg, run.WithData(d), run.WithLog(io.Discard),
		run.WithModel(store))
	require.NoError(t, err)
	require.Equal(t, []string{"GroupLasso"}, h.Terms)
	require.Len(t, h.Summary.UnitsKept, 2)
	kept := h.Summary.UnitsKept
	require.Less(t, kept[0]+kept[1], 96, "some units die")
	require.Greater(t, h.Summary.TestAccuracy, 0.5)
	require.Len(t, h.Steps, 3)
	assert.Equal(t, kept, h.Steps[2].UnitsKept, "the last logged step is the last step")
	for i := 1; i < len(h.Steps); i++ {
		for l := range 2 {
			assert.LessOrEqual(t, h.Steps[i].UnitsKept[l], h.Steps[i-1].UnitsKept[l]+5, "units rarely come back")
		}
	}

	full, err := run.LoadNetwork(cfg.OutDir)
	require.NoError(t, err)
	assert.Equal(t, 784, full.Inputs)
	assert.Equal(t, []int{64, 32}, full.Hidden)
	assert.Equal(t, 10, full.Outputs)
	assert.Equal(t, 52650, full.Params())
	live, err := layers.NetworkOf(store)
	require.NoError(t, err)
	assert.Equal(t, full.Hidden, live.Hidden)

	pruned, err := full.Prune()
	require.NoError(t, err)
	assert.Equal(t, kept, pruned.Hidden)
	assert.Equal(t, 785*kept[0]+(kept[0]+1)*kept[1]+(kept[1]+1)*10, pruned.Params())
	assert.Less(t, pruned.Params(), full.Params())

	b, _, err := backend.New("")
	require.NoError(t, err)
	fullInf, err := infer.New(b, full, d.Test)
	require.NoError(t, err)
	prunedInf, err := infer.New(b, pruned, d.Test)
	require.NoError(t, err)
	want, err := fullInf.Logits()
	require.NoError(t, err)
	got, err := prunedInf.Logits()
	require.NoError(t, err)
	require.Len(t, want, 10000*10)
	require.Len(t, got, len(want))
	worst := 0.0
	for i := range want {
		// float32 rounding: the same sums, less their exact zeros, in another order.
		diff := math.Abs(float64(got[i] - want[i]))
		worst = max(worst, diff/max(1, math.Abs(float64(want[i]))))
	}
	t.Logf("largest difference of a logit: %.2g (relative to max(1, |logit|))", worst)
	assert.Less(t, worst, 1e-5)
	accFull, err := fullInf.Accuracy(d.Test.Labels)
	require.NoError(t, err)
	accPruned, err := prunedInf.Accuracy(d.Test.Labels)
	require.NoError(t, err)
	assert.InDelta(t, h.Summary.TestAccuracy, accFull, 1e-9, "the checkpoint is the network at the end of the run")
	assert.InDelta(t, accFull, accPruned, 2e-4, "at most a near-tie flips")

	timings, err := infer.Time(b, d.Test.Subset(1000), 3, full, pruned)
	require.NoError(t, err)
	require.Len(t, timings, 2)
	for _, tm := range timings {
		assert.Equal(t, 3, tm.Reps)
		assert.Equal(t, 1000, tm.Images)
		assert.GreaterOrEqual(t, tm.Median, tm.Min, "the median of the times is not below the fastest")
		assert.Positive(t, int64(tm.Min))
	}
}
