package run_test

import (
	"bytes"
	"context"
	"fmt"
	"os"
	"path/filepath"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/regnb/regnb/regnb/run"
)

// TestValidationSplit: a run with a validation split trains on the other
// training images, evaluates the split and the training images before
// training and after each epoch, and the test set once at the end.
func TestValidationSplit(t *testing.T) {
	cfg, d := small(t, "l1")
	cfg.L1, cfg.Validation = 1e-4, 50
	var log bytes.Buffer
	h, err := run.Train(context.Background(), cfg, run.WithData(d), run.WithLog(&log))
	require.NoError(t, err)
	assert.Equal(t, 15, h.StepsPerEpoch, "150 of the 200 training images left to train on, batch 10")
	require.Len(t, h.Epochs, 3)
	for i, e := range h.Epochs {
		assert.Equal(t, i, e.Epoch)
		assert.Equal(t, 15*i, e.Step)
		assert.Greater(t, e.ValidationAccuracy, 0.0)
		assert.Greater(t, e.ValidationLoss, 0.0)
		assert.Greater(t, e.TrainAccuracy, 0.0)
	}
	last := h.Epochs[2]
	s := h.Summary
	assert.Equal(t, [3]float64{last.TrainAccuracy, last.ValidationAccuracy, last.ValidationLoss},
		[3]float64{s.TrainAccuracy, s.ValidationAccuracy, s.ValidationLoss}, "the run ended with epoch 2's evaluation")
	assert.Less(t, h.Epochs[2].ValidationLoss, h.Epochs[0].ValidationLoss, "it learns")
	assert.True(t, s.TestEvaluated)
	assert.Contains(t, log.String(), "Validation accuracy: ")
	assert.Contains(t, log.String(), " on 50 held-out training images (loss ")
	assert.Contains(t, log.String(), "\nTest accuracy: ")

	// The same seed holds out the same images: the same run again gives the
	// same figures; another seed, others.
	again, err := run.Train(context.Background(), cfg, run.WithData(d), run.WithLog(nil))
	require.NoError(t, err)
	assert.Equal(t, h.Epochs[1].ValidationLoss, again.Epochs[1].ValidationLoss)
	cfg.Seed++
	other, err := run.Train(context.Background(), cfg, run.WithData(d), run.WithLog(nil))
	require.NoError(t, err)
	assert.NotEqual(t, h.Epochs[0].ValidationLoss, other.Epochs[0].ValidationLoss)
}

// TestNoTestLeavesTheTestSetAlone: with NoTest the run never reads the test
// set (here there is none: any use would fail) and records that it did not.
func TestNoTestLeavesTheTestSetAlone(t *testing.T) {
	cfg, d := small(t, "l1")
	cfg.L1, cfg.Validation, cfg.NoTest, cfg.MaxSteps = 1e-4, 50, true, 22
	noTest := *d
	noTest.Test = nil
	var log bytes.Buffer
	h, err := run.Train(context.Background(), cfg, run.WithData(&noTest), run.WithLog(&log))
	require.NoError(t, err)
	assert.False(t, h.Summary.TestEvaluated)
	assert.Zero(t, h.Summary.TestAccuracy)
	assert.Contains(t, log.String(), "Test set not evaluated (no-test)")
	assert.NotContains(t, log.String(), "Test accuracy")
	require.Len(t, h.Epochs, 2, "before training and after epoch 1; the run stopped within epoch 2")
	assert.Greater(t, h.Summary.ValidationAccuracy, 0.0, "evaluated at the end of the run, at step 22")
}

func TestValidationSplitTooLarge(t *testing.T) {
	cfg, d := small(t, "l1")
	for _, tc := range []struct {
		validation, batch int
		want              string
	}{
		{200, 10, "validation = 200: not smaller than the training set (200 examples): leave images to train on"},
		{500, 10, "validation = 500: not smaller than the training set (200 examples): leave images to train on"},
		{195, 10, "batch = 10: larger than the training set (5 examples less the validation split of 195)"},
	} {
		c := cfg
		c.Validation, c.BatchSize = tc.validation, tc.batch
		_, err := run.Train(context.Background(), c, run.WithData(d), run.WithLog(nil))
		assert.EqualError(t, err, tc.want)
		assert.EqualError(t, run.CheckData(c, d), tc.want)
	}
}

// TestSeeds: one configuration, each seed in its directory, the table of
// means and spreads over them.
func TestSeeds(t *testing.T) {
	cfg, d := small(t, "l2")
	cfg.L2, cfg.Validation, cfg.OutDir = 1e-3, 50, t.TempDir()
	var log bytes.Buffer
	hs, err := run.Seeds(context.Background(), cfg, []uint64{3, 4, 5}, run.WithData(d), run.WithLog(&log))
	require.NoError(t, err)
	require.Len(t, hs, 3)
	for i, h := range hs {
		assert.Equal(t, uint64(3+i), h.Config.Seed)
		assert.Equal(t, filepath.Join(cfg.OutDir, fmt.Sprintf("seed-%d", 3+i)), h.Config.OutDir)
		assert.FileExists(t, filepath.Join(h.Config.OutDir, "history.json"))
	}
	assert.NotEqual(t, hs[0].Summary.ValidationLoss, hs[1].Summary.ValidationLoss, "each seed its own run")
	raw, err := os.ReadFile(filepath.Join(cfg.OutDir, "summary.md"))
	require.NoError(t, err)
	assert.Contains(t, string(raw), "| figure | mean ± sd | min | max | seed 3 | seed 4 | seed 5 |")
	assert.Contains(t, string(raw), "| validation accuracy | ")
	assert.Contains(t, string(raw), "| test accuracy | ")
	assert.Contains(t, log.String(), "L2, λ = 1e-3 over 3 seeds (mean ± sample standard deviation):")
	assert.FileExists(t, filepath.Join(cfg.OutDir, "summary.csv"))

	cfg.OutDir = ""
	_, err = run.Seeds(context.Background(), cfg, []uint64{1}, run.WithData(d))
	assert.ErrorContains(t, err, "no output directory")
}
