package run_test

import (
	"context"
	"math"
	"slices"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/regnb/regnb/layers"
	"github.com/regnb/regnb/regnb/data"
	"github.com/regnb/regnb/regnb/history"
	"github.com/regnb/regnb/regnb/run"
	"github.com/regnb/regnb/regnb/settings"
)

// pruneConfig is a small run that prunes after its first epoch (15 steps:
// 150 images less a validation split of 50, batch 10) and fine-tunes two,
// with the group lasso on both hidden layers (16 and 8 units).
func pruneConfig(t *testing.T) (settings.Config, *data.TrainTest) {
	cfg, d := small(t, "none")
	cfg.GroupLasso, cfg.GroupLassoLayers, cfg.LR = 1e-3, []float64{1, 4}, 1e-2
	cfg.Validation, cfg.TrainLimit = 50, 0
	cfg.Epochs, cfg.PruneFinetune = 3, 2
	return cfg, d
}

// firstPhase trains cfg's first phase alone (its epochs before pruning: the
// same seed, data order and penalty) and returns the network pruning starts
// from, its hidden units' norms layer by layer, and all of them sorted.
func firstPhase(t *testing.T, cfg settings.Config, d *data.TrainTest) (trained *layers.Network, byLayer [][]float64, sorted []float64) {
	t.Helper()
	first := cfg
	first.Epochs, first.PruneFinetune, first.OutDir = 1, 0, t.TempDir()
	_, err := run.Train(context.Background(), first, run.WithData(d), run.WithLog(nil))
	require.NoError(t, err)
	trained, err = run.LoadNetwork(first.OutDir)
	require.NoError(t, err)
	byLayer, err = trained.UnitNorms()
	require.NoError(t, err)
	sorted = slices.Concat(byLayer...)
	slices.Sort(sorted)
	return trained, byLayer, sorted
}

func TestPruneThenFineTune(t *testing.T) {
	cfg, d := pruneConfig(t)
	// The first phase alone (the same steps: seed, data order, penalty): the
	// network that pruning starts from, pruned by hand below a floor that
	// removes about half the units.
	trained, byLayer, norms := firstPhase(t, cfg, d)
	cfg.PruneFloor = norms[len(norms)/2]
	zeroed, err := trained.ZeroSmallUnits(cfg.PruneFloor)
	require.NoError(t, err)
	want, err := zeroed.Prune()
	require.NoError(t, err)
	for i, k := range want.Hidden {
		require.True(t, k > 0 && k < cfg.Hidden[i], "layer %d keeps %d of %d units: choose another floor", i, k, cfg.Hidden[i])
	}

	// Interrupted right after pruning: its checkpoint holds the pruned network.
	cfg.OutDir = t.TempDir()
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	h, err := run.Train(ctx, cfg, run.WithData(d), run.WithLog(nil), run.WithProgress(cancelAt{step: 15, cancel: cancel}))
	require.ErrorIs(t, err, run.ErrInterrupted)
	require.NotNil(t, h.Pruning)
	p := h.Pruning
	assert.Equal(t, 15, p.Step)
	assert.Equal(t, 1, p.Epoch)
	assert.Equal(t, want.Hidden, p.Kept)
	assert.Equal(t, []int{16, 8}, p.Hidden)
	assert.Equal(t, len(norms)-len(norms)/2, p.BelowFloor)
	assert.Equal(t, want.Params(), p.Params)
	assert.Equal(t, byLayer, p.Norms, "the units' norms when it pruned")
	assert.Equal(t, h.Epochs[1], p.Before, "before pruning: the evaluation at the end of epoch 1")
	assert.Positive(t, p.After.ValidationAccuracy)
	got, err := run.LoadNetwork(cfg.OutDir)
	require.NoError(t, err)
	assertSameNetwork(t, want, got)

	// The first fine-tuning step starts from the pruned weights with a fresh
	// Adam: its first step moves each weight by lr·|g|/(|g| + ε), lr at most.
	cfg.MaxSteps = 16
	_, err = run.Train(context.Background(), cfg, run.WithResume(cfg.OutDir), run.WithData(d), run.WithLog(nil))
	require.NoError(t, err)
	stepped, err := run.LoadNetwork(cfg.OutDir)
	require.NoError(t, err)
	assertOneAdamStep(t, want, stepped, cfg.LR)

	// To the end: as an uninterrupted run, with the kept sizes.
	cfg.MaxSteps = 0
	end, err := run.Train(context.Background(), cfg, run.WithResume(cfg.OutDir), run.WithData(d), run.WithLog(nil))
	require.NoError(t, err)
	straight, _ := uninterrupted(t, cfg, d)
	assert.Equal(t, straight.Steps, end.Steps)
	for _, p := range []*history.Pruning{straight.Pruning, end.Pruning} {
		p.Before.Seconds, p.After.Seconds = 0, 0 // Times differ.
	}
	assert.Equal(t, straight.Pruning, end.Pruning)
	assert.Equal(t, straight.Summary.ValidationAccuracy, end.Summary.ValidationAccuracy)
	assert.Equal(t, 45, end.StepsDone)
	assert.Equal(t, want.Hidden, end.Summary.UnitsKept)
	assert.Equal(t, want.Params(), end.Summary.Params)
	final, err := run.LoadNetwork(cfg.OutDir)
	require.NoError(t, err)
	assert.Equal(t, want.Hidden, final.Hidden)
	assert.Equal(t, []string{"GroupLasso"}, end.Terms)
	last := end.Steps[len(end.Steps)-1]
	assert.Equal(t, []float64{0}, last.Terms, "fine-tuning reports the penalty it no longer has as 0")
}

// assertSameNetwork checks that two networks have the same weights, bit for bit.
func assertSameNetwork(t *testing.T, want, got *layers.Network) {
	t.Helper()
	require.Equal(t, want.Hidden, got.Hidden)
	a, err := want.Layers()
	require.NoError(t, err)
	b, err := got.Layers()
	require.NoError(t, err)
	assert.Equal(t, a, b)
}

// assertOneAdamStep checks that after is before moved by one step of a fresh
// Adam, whose first step is lr·g/(|g| + ε): every parameter by lr to within
// 1 %, or not at all (no gradient: a unit that no image of the mini-batch
// turned on); most by lr. An Adam with moments from the first phase would
// move them by other amounts.
func assertOneAdamStep(t *testing.T, before, after *layers.Network, lr float64) {
	t.Helper()
	require.Equal(t, before.Hidden, after.Hidden)
	a, err := before.Layers()
	require.NoError(t, err)
	b, err := after.Layers()
	require.NoError(t, err)
	total, full := 0, 0
	for i := range a {
		for j := range a[i].W {
			moves := []float64{float64(b[i].B[j] - a[i].B[j])}
			for k := range a[i].W[j] {
				moves = append(moves, float64(b[i].W[j][k]-a[i].W[j][k]))
			}
			for _, m := range moves {
				total++
				if m != 0 {
					require.InDelta(t, lr, math.Abs(m), 0.01*lr, "layer %d unit %d", i, j)
					full++
				}
			}
		}
	}
	assert.Greater(t, full, total/2, "%d of %d parameters moved by lr", full, total)
}

// Without a unit to remove (no penalty, no floor), the run goes on with the
// same network and Adam: it ends as a run without pruning, bit for bit.
func TestPruningNothingChangesNothing(t *testing.T) {
	cfg, d := pruneConfig(t)
	cfg.GroupLasso, cfg.GroupLassoLayers = 0, nil
	pruning, a := uninterrupted(t, cfg, d)
	require.NotNil(t, pruning.Pruning)
	assert.False(t, pruning.Pruning.Removed())
	cfg.PruneFinetune = 0
	plain, b := uninterrupted(t, cfg, d)
	assert.Equal(t, plain.Steps, pruning.Steps)
	assert.Equal(t, plain.Summary.TestAccuracy, pruning.Summary.TestAccuracy)
	x, err := layers.NetworkOf(a)
	require.NoError(t, err)
	y, err := layers.NetworkOf(b)
	require.NoError(t, err)
	assertSameNetwork(t, y, x)
}

func TestPruneErrors(t *testing.T) {
	cfg, d := pruneConfig(t)
	cfg.MaxSteps, cfg.OutDir = 15, t.TempDir()
	_, err := run.Train(context.Background(), cfg, run.WithData(d), run.WithLog(nil))
	assert.ErrorContains(t, err, "max-steps = 15 ends the run before it prunes, at step 15 (the end of epoch 1)")
	assert.ErrorContains(t, run.CheckData(cfg, d), "max-steps = 15 ends the run before it prunes")

	cfg.MaxSteps, cfg.PruneFloor = 0, 1e3 // Every unit below the floor.
	_, err = run.Train(context.Background(), cfg, run.WithData(d), run.WithLog(nil))
	assert.ErrorContains(t, err, "pruning after epoch 1: layers.Prune: every unit of layer 0 is dead")

	cfg.PruneFloor, cfg.PruneFinetune = 0.1, 3
	_, err = run.Train(context.Background(), cfg, run.WithData(d), run.WithLog(nil))
	assert.ErrorContains(t, err, "prune-finetune = 3 with epochs = 3: leave at least one epoch before pruning")
}

// On XLA (steps per call as a compiled loop) a run prunes and fine-tunes
// as on the pure-Go backend: the same units kept, the same accuracy to
// float32's rounding. The floor lies in the widest gap between the units'
// norms, so that rounding cannot move a unit across it.
func TestPruneThenFineTuneOnXLA(t *testing.T) {
	xlaCPU(t)
	cfg, d := pruneConfig(t)
	_, _, norms := firstPhase(t, cfg, d)
	gap := len(norms) / 4
	for i := len(norms) / 4; i < 3*len(norms)/4; i++ {
		if norms[i+1]-norms[i] > norms[gap+1]-norms[gap] {
			gap = i
		}
	}
	cfg.PruneFloor = (norms[gap] + norms[gap+1]) / 2
	train := func(b string) *history.History {
		c := cfg
		c.Backend, c.OutDir = b, t.TempDir()
		h, err := run.Train(context.Background(), c, run.WithData(d), run.WithLog(nil))
		require.NoError(t, err)
		return h
	}
	goRun, xlaRun := train("go"), train("xla:cpu")
	require.NotNil(t, xlaRun.Pruning)
	assert.True(t, xlaRun.Pruning.Removed())
	assert.Equal(t, goRun.Pruning.Kept, xlaRun.Pruning.Kept)
	assert.Equal(t, goRun.Summary.UnitsKept, xlaRun.Summary.UnitsKept)
	assert.InDelta(t, goRun.Summary.ValidationAccuracy, xlaRun.Summary.ValidationAccuracy, 0.03)
	net, err := run.LoadNetwork(xlaRun.Config.OutDir)
	require.NoError(t, err)
	assert.Equal(t, xlaRun.Pruning.Kept, net.Hidden)
}
