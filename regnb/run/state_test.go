package run_test

import (
	"bytes"
	"context"
	"math"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/gomlx/gomlx/ml/model"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/regnb/regnb/regnb/history"
	"github.com/regnb/regnb/regnb/run"
	"github.com/regnb/regnb/regnb/settings"
	"github.com/regnb/regnb/regularizers"
)

// crash is what the test hook panics with, as a process killed there would stop.
type crash struct{ step int }

// TestCrashBetweenCheckpointAndHistory stops a run after a checkpoint is
// written and before the history is: the resume continues from the state
// the history describes and ends like an uninterrupted run.
func TestCrashBetweenCheckpointAndHistory(t *testing.T) {
	cfg, d := small(t, "elastic-net")
	cfg.L1, cfg.L2 = 1e-3, 1e-3
	want, straight := uninterrupted(t, cfg, d)

	cfg.OutDir = t.TempDir()
	restore := run.SetAfterCheckpointHook(func(step int) {
		if step == 25 {
			panic(crash{step})
		}
	})
	_, err := run.Train(context.Background(), cfg, run.WithData(d), run.WithLog(nil))
	restore()
	require.ErrorContains(t, err, "internal error")
	saved, err := history.Load(cfg.OutDir)
	require.NoError(t, err)
	assert.Equal(t, 20, saved.StepsDone, "the history of the last complete save")
	assert.Equal(t, 20, saved.CheckpointStep)

	resumed := model.NewStore()
	got, err := run.Train(context.Background(), settings.Config{}, run.WithResume(cfg.OutDir),
		run.WithData(d), run.WithLog(nil), run.WithModel(resumed))
	require.NoError(t, err)
	assert.Equal(t, want.Steps, got.Steps)
	assert.Equal(t, want.Summary.TestAccuracy, got.Summary.TestAccuracy)
	assertSameWeights(t, straight, resumed)
}

func assertSameWeights(t *testing.T, a, b *model.Store) {
	t.Helper()
	ra, err := regularizers.Sparsity(a.RootScope(), regularizers.AllTrainable, 0)
	require.NoError(t, err)
	rb, err := regularizers.Sparsity(b.RootScope(), regularizers.AllTrainable, 0)
	require.NoError(t, err)
	assert.Equal(t, ra, rb, "the same final weights")
}

// TestResumeOfADivergedRunIsRefused: the history records the step that
// diverged, the checkpoint is from the last good step, and a resume says so
// instead of continuing from older weights under a newer step count.
func TestResumeOfADivergedRunIsRefused(t *testing.T) {
	cfg, d := small(t, "none")
	cfg.LR = 1e30
	cfg.LogEvery = 1 // A checkpoint after step 1.
	cfg.OutDir = t.TempDir()
	_, err := run.Train(context.Background(), cfg, run.WithData(d), run.WithLog(nil))
	var div *run.DivergedError
	require.ErrorAs(t, err, &div)
	saved, err := history.Load(cfg.OutDir)
	require.NoError(t, err)
	assert.Equal(t, div.Step, saved.StepsDone)
	assert.Less(t, saved.CheckpointStep, saved.StepsDone, "the checkpoint is from the last good step")
	assert.NotEmpty(t, saved.Checkpoint)
	last := saved.Steps[len(saved.Steps)-1]
	assert.True(t, math.IsNaN(last.Data) || math.IsInf(last.Data, 0), "the diverged step reads back as not finite, not 0: %v", last.Data)

	_, err = run.Train(context.Background(), settings.Config{}, run.WithResume(cfg.OutDir),
		run.WithData(d), run.WithLog(nil))
	require.Error(t, err)
	assert.Contains(t, err.Error(), "the run diverged at step ")
	assert.Contains(t, err.Error(), "its last checkpoint (step ")
}

// TestResumeHonoursOnlyWhatItCan: a resume may run longer, but not with
// other settings, and never writes elsewhere.
func TestResumeHonoursOnlyWhatItCan(t *testing.T) {
	cfg, d := small(t, "l1")
	cfg.L1 = 1e-3
	cfg.OutDir = t.TempDir()
	_, err := run.Train(context.Background(), cfg, run.WithData(d), run.WithLog(nil))
	require.NoError(t, err)

	saved, err := run.ResumeConfig(cfg.OutDir)
	require.NoError(t, err)
	bad := saved
	bad.LR, bad.Seed, bad.OutDir = 1, 3, t.TempDir()
	_, err = run.Train(context.Background(), bad, run.WithResume(cfg.OutDir), run.WithData(d), run.WithLog(nil))
	assert.ErrorContains(t, err, "cannot change out (the run is in "+cfg.OutDir+", given "+bad.OutDir+"), lr (saved 0.001, given 1), seed (saved 42, given 3) of a saved run "+
		"(a resume may change epochs, max-steps, log-every, backend, steps-per-call, data)")

	longer := saved
	longer.Epochs = 3
	var log bytes.Buffer
	h, err := run.Train(context.Background(), longer, run.WithResume(cfg.OutDir), run.WithData(d), run.WithLog(&log))
	require.NoError(t, err)
	assert.Equal(t, 60, h.StepsDone)
	assert.Equal(t, 3, h.Config.Epochs)
	assert.True(t, strings.HasPrefix(log.String(), "Starting epoch 3\n"), log.String())
	assert.Len(t, h.Epochs, 4, "before training, then after each of 3 epochs, once each")
	finals := 0
	for _, w := range h.Histograms {
		if w.Stage == "final" {
			finals++
		}
	}
	assert.Equal(t, len(cfg.Hidden)+1, finals, "one final histogram per layer, not one per session")
	names, err := os.ReadDir(filepath.Join(cfg.OutDir, "checkpoint"))
	require.NoError(t, err)
	assert.NotEmpty(t, names)
}
