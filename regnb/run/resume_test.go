package run_test

import (
	"context"
	"math"
	"path/filepath"
	"testing"

	"github.com/gomlx/gomlx/ml/model"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/regnb/regnb/regnb/data"
	"github.com/regnb/regnb/regnb/history"
	"github.com/regnb/regnb/regnb/run"
	"github.com/regnb/regnb/regnb/settings"
	"github.com/regnb/regnb/regularizers"
)

func TestDivergenceStopsWithAClearError(t *testing.T) {
	cfg, d := small(t, "l2")
	cfg.L2 = 1e38
	cfg.OutDir = t.TempDir()
	h, err := run.Train(context.Background(), cfg, run.WithData(d), run.WithLog(nil))
	var div *run.DivergedError
	require.ErrorAs(t, err, &div)
	assert.Equal(t, 1, div.Step)
	assert.Equal(t, "L2", div.Term)
	assert.Contains(t, err.Error(), "training diverged at step 1 (epoch 1, mini-batch 1): the L2 became +Inf")
	assert.Contains(t, err.Error(), "smaller penalty strength")
	require.NotNil(t, h)
	assert.Equal(t, "diverged", h.Status)
	assert.Contains(t, err.Error(), "the history so far is in "+cfg.OutDir+" (no checkpoint was saved before this step)")
	last := h.Steps[len(h.Steps)-1]
	assert.True(t, math.IsNaN(last.L1Norm) && math.IsNaN(last.SquaredL2) && math.IsNaN(last.Small),
		"the diverged step's norms are unknown (NaN), not 0: %v %v %v", last.L1Norm, last.SquaredL2, last.Small)
	back, err := history.Load(cfg.OutDir)
	require.NoError(t, err)
	assert.Equal(t, "diverged", back.Status)

	// A learning rate that blows up the weights: caught on an unlogged step,
	// the history is kept.
	cfg, d = small(t, "none")
	cfg.LR = 1e30
	cfg.LogEvery = 2
	cfg.OutDir = t.TempDir()
	h, err = run.Train(context.Background(), cfg, run.WithData(d), run.WithLog(nil))
	require.ErrorAs(t, err, &div)
	assert.Greater(t, div.Step, 1)
	assert.Contains(t, err.Error(), "try a smaller learning rate (-lr, now 1e+30)")
	assert.NotEmpty(t, h.Steps)

	// With a step logged (and saved) before it, the last good checkpoint is kept.
	cfg.LogEvery = 1
	cfg.OutDir = t.TempDir()
	_, err = run.Train(context.Background(), cfg, run.WithData(d), run.WithLog(nil))
	require.ErrorAs(t, err, &div)
	assert.Contains(t, err.Error(), "the last good checkpoint (step 1) and the history so far are in "+cfg.OutDir)
	assert.DirExists(t, filepath.Join(cfg.OutDir, "checkpoint"))
}

type cancelAt struct {
	step   int
	cancel func()
}

func (c cancelAt) Start(int) {}
func (c cancelAt) Update(step int, _ float64) {
	if step == c.step {
		c.cancel()
	}
}
func (c cancelAt) Finish() {}

// uninterrupted runs cfg from start to end into a new directory, and returns
// its history and model: what an interrupted and resumed run must end equal to.
func uninterrupted(t *testing.T, cfg settings.Config, d *data.TrainTest, opts ...run.Option) (*history.History, *model.Store) {
	t.Helper()
	store := model.NewStore()
	cfg.OutDir = t.TempDir()
	h, err := run.Train(context.Background(), cfg, append([]run.Option{run.WithData(d),
		run.WithLog(nil), run.WithModel(store)}, opts...)...)
	require.NoError(t, err)
	return h, store
}

// interruptedAndResumed runs cfg into a new directory, interrupts it after
// step stop, resumes it and returns the resumed run's history.
func interruptedAndResumed(t *testing.T, cfg settings.Config, d *data.TrainTest, stop int, opts ...run.Option) *history.History {
	t.Helper()
	cfg.OutDir = t.TempDir()
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	h, err := run.Train(ctx, cfg, append([]run.Option{run.WithData(d), run.WithLog(nil),
		run.WithProgress(cancelAt{step: stop, cancel: cancel})}, opts...)...)
	require.ErrorIs(t, err, run.ErrInterrupted)
	require.Equal(t, stop, h.StepsDone)
	got, err := run.Train(context.Background(), settings.Config{}, append([]run.Option{
		run.WithResume(cfg.OutDir), run.WithData(d), run.WithLog(nil)}, opts...)...)
	require.NoError(t, err)
	return got
}

func TestInterruptAndResumeEndsLikeAnUninterruptedRun(t *testing.T) {
	cfg, d := small(t, "elastic-net")
	cfg.L1, cfg.L2 = 1e-3, 1e-3
	t.Run("elastic net", func(t *testing.T) { interruptAndResume(t, cfg, d) })
	// Dropout's masks continue from the checkpointed state of the generator;
	// max-norm acts after each step.
	cfg.Dropout, cfg.MaxNorm = 0.3, 1
	t.Run("dropout and max-norm", func(t *testing.T) { interruptAndResume(t, cfg, d) })
}

func interruptAndResume(t *testing.T, cfg settings.Config, d *data.TrainTest) {
	want, straight := uninterrupted(t, cfg, d)

	cfg.OutDir = t.TempDir()
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	h, err := run.Train(ctx, cfg, run.WithData(d), run.WithLog(nil), run.WithProgress(cancelAt{step: 27, cancel: cancel}))
	require.ErrorIs(t, err, run.ErrInterrupted)
	assert.Contains(t, err.Error(), "continue with -resume "+cfg.OutDir)
	assert.Equal(t, 27, h.StepsDone)
	assert.Equal(t, "interrupted", h.Status)

	resumed := model.NewStore()
	got, err := run.Train(context.Background(), settings.Config{}, run.WithResume(cfg.OutDir), run.WithData(d),
		run.WithLog(nil), run.WithModel(resumed))
	require.NoError(t, err)
	assert.Equal(t, want.StepsDone, got.StepsDone)
	assert.Equal(t, want.Steps, got.Steps)
	assert.Equal(t, want.Summary.TestAccuracy, got.Summary.TestAccuracy)
	a, err := regularizers.Sparsity(straight.RootScope(), regularizers.AllTrainable, 0)
	require.NoError(t, err)
	b, err := regularizers.Sparsity(resumed.RootScope(), regularizers.AllTrainable, 0)
	require.NoError(t, err)
	assert.Equal(t, a, b, "the same final weights")
}
