package experiment_test

import (
	"context"
	"path/filepath"
	"testing"

	"github.com/gomlx/gomlx/ml/model"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/regnb/regnb/regnb/data"
	"github.com/regnb/regnb/regnb/experiment"
	"github.com/regnb/regnb/regularizers"
)

func TestDivergenceStopsWithAClearError(t *testing.T) {
	cfg, d := small(t, "l2")
	cfg.L2 = 1e38
	cfg.OutDir = t.TempDir()
	h, err := experiment.Train(context.Background(), cfg, experiment.WithData(d), experiment.WithLog(nil))
	var div *experiment.DivergedError
	require.ErrorAs(t, err, &div)
	assert.Equal(t, 1, div.Step)
	assert.Equal(t, "L2", div.Term)
	assert.Contains(t, err.Error(), "training diverged at step 1 (epoch 1, mini-batch 1): the L2 became +Inf")
	assert.Contains(t, err.Error(), "smaller penalty strength")
	require.NotNil(t, h)
	assert.Equal(t, "diverged", h.Status)
	back, err := experiment.LoadHistory(cfg.OutDir)
	require.NoError(t, err)
	assert.Equal(t, "diverged", back.Status)

	// A learning rate that blows up the weights: caught on an unlogged step,
	// the history and the last good checkpoint are kept.
	cfg, d = small(t, "none")
	cfg.LR = 1e30
	cfg.LogEvery = 2
	cfg.OutDir = t.TempDir()
	h, err = experiment.Train(context.Background(), cfg, experiment.WithData(d), experiment.WithLog(nil))
	require.ErrorAs(t, err, &div)
	assert.Greater(t, div.Step, 1)
	assert.Contains(t, err.Error(), "try a smaller learning rate (-lr, now 1e+30)")
	assert.Contains(t, err.Error(), "the last good checkpoint and the history so far are in "+cfg.OutDir)
	assert.DirExists(t, filepath.Join(cfg.OutDir, "checkpoint"))
	assert.NotEmpty(t, h.Steps)
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
func uninterrupted(t *testing.T, cfg experiment.Config, d *data.TrainTest, opts ...experiment.Option) (*experiment.History, *model.Store) {
	t.Helper()
	store := model.NewStore()
	cfg.OutDir = t.TempDir()
	h, err := experiment.Train(context.Background(), cfg, append([]experiment.Option{experiment.WithData(d),
		experiment.WithLog(nil), experiment.WithModel(store)}, opts...)...)
	require.NoError(t, err)
	return h, store
}

// interruptedAndResumed runs cfg into a new directory, interrupts it after
// step stop, resumes it and returns the resumed run's history.
func interruptedAndResumed(t *testing.T, cfg experiment.Config, d *data.TrainTest, stop int, opts ...experiment.Option) *experiment.History {
	t.Helper()
	cfg.OutDir = t.TempDir()
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	h, err := experiment.Train(ctx, cfg, append([]experiment.Option{experiment.WithData(d), experiment.WithLog(nil),
		experiment.WithProgress(cancelAt{step: stop, cancel: cancel})}, opts...)...)
	require.ErrorIs(t, err, experiment.ErrInterrupted)
	require.Equal(t, stop, h.StepsDone)
	got, err := experiment.Train(context.Background(), experiment.Config{}, append([]experiment.Option{
		experiment.WithResume(cfg.OutDir), experiment.WithData(d), experiment.WithLog(nil)}, opts...)...)
	require.NoError(t, err)
	return got
}

func TestInterruptAndResumeEndsLikeAnUninterruptedRun(t *testing.T) {
	cfg, d := small(t, "elastic-net")
	cfg.L1, cfg.L2 = 1e-3, 1e-3

	want, straight := uninterrupted(t, cfg, d)

	cfg.OutDir = t.TempDir()
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	h, err := experiment.Train(ctx, cfg, experiment.WithData(d), experiment.WithLog(nil), experiment.WithProgress(cancelAt{step: 27, cancel: cancel}))
	require.ErrorIs(t, err, experiment.ErrInterrupted)
	assert.Contains(t, err.Error(), "continue with -resume "+cfg.OutDir)
	assert.Equal(t, 27, h.StepsDone)
	assert.Equal(t, "interrupted", h.Status)

	resumed := model.NewStore()
	got, err := experiment.Train(context.Background(), experiment.Config{}, experiment.WithResume(cfg.OutDir), experiment.WithData(d),
		experiment.WithLog(nil), experiment.WithModel(resumed))
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
