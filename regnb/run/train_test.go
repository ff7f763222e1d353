package run_test

import (
	"bytes"
	"context"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/gomlx/gomlx/ml/model"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/regnb/regnb/layers"
	"github.com/regnb/regnb/regnb/data"
	"github.com/regnb/regnb/regnb/data/datatest"
	"github.com/regnb/regnb/regnb/history"
	"github.com/regnb/regnb/regnb/run"
	"github.com/regnb/regnb/regnb/settings"
)

var (
	// The real data set, loaded once for all tests.
	mnistOnce sync.Once
	mnist     *data.TrainTest
	mnistErr  error
)

func realMNIST(t testing.TB) *data.TrainTest {
	mnistOnce.Do(func() { mnist, mnistErr = data.Load("") })
	require.NoError(t, mnistErr)
	return mnist
}

// small returns a quick configuration of preset on a small synthetic data set.
func small(t testing.TB, preset string) (settings.Config, *data.TrainTest) {
	cfg := settings.MustPreset(preset)
	cfg.Hidden = []int{16, 8}
	cfg.Epochs = 2
	cfg.LogEvery = 5
	cfg.LR = 1e-3
	d, err := data.Load(datatest.Write(t, 200, 6))
	require.NoError(t, err)
	return cfg, d
}

func TestShortRunOnRealMNISTLowersTheLoss(t *testing.T) {
	cfg := settings.MustPreset("elastic-net")
	cfg.L1, cfg.L2 = 1e-5, 1e-5
	cfg.LR = 1e-3
	cfg.MaxSteps = 300
	cfg.LogEvery = 50
	cfg.TestLimit = 1000
	var log bytes.Buffer
	h, err := run.Train(context.Background(), cfg, run.WithData(realMNIST(t)), run.WithLog(&log))
	require.NoError(t, err)
	require.Len(t, h.Steps, 6)
	first, last := h.Steps[0], h.Steps[len(h.Steps)-1]
	assert.Less(t, last.Data, first.Data)
	assert.Greater(t, h.Summary.TestAccuracy, 0.6)
	assert.Equal(t, []string{"L1", "L2"}, h.Terms)
	for _, r := range h.Steps {
		assert.InDelta(t, r.Total, r.Data+r.Terms[0]+r.Terms[1], 1e-4, "total = data + terms")
	}
	lines := strings.Split(log.String(), "\n")
	assert.Equal(t, "Starting epoch 1", lines[0])
	assert.Regexp(t, `^Loss after mini-batch    50: \d+\.\d{5} \(of which \d+\.\d{5} L1 loss; \d+\.\d{5} L2 loss\)$`, lines[1])
	assert.Contains(t, log.String(), "Training process has finished.\nTrain accuracy: ")
	assert.Contains(t, log.String(), "\nTest accuracy: ")
	assert.Equal(t, 52650, h.Summary.Params)
	// Every hidden unit is alive, and the first layer listens to every pixel
	// but the ones black in every training image (where its weights only decay).
	assert.Equal(t, []int{64, 32}, h.Summary.UnitsKept)
	require.Len(t, h.Summary.InputL1, 784)
	for p, l1 := range h.Summary.InputL1 {
		require.Greater(t, l1, 0.0, "pixel %d", p)
	}
}

func TestTutorialL1MatchesThePyTorchOriginal(t *testing.T) {
	// docs/reference/l1_5epochs.txt: the L1 term at mini-batches 500 and 1000
	// is 63.19 and 11.65; different seeds give values within a few percent.
	cfg := settings.MustPreset("l1")
	cfg.MaxSteps = 1000
	cfg.TestLimit = 500
	h, err := run.Train(context.Background(), cfg, run.WithData(realMNIST(t)), run.WithLog(nil))
	require.NoError(t, err)
	require.Len(t, h.Steps, 2)
	assert.InEpsilon(t, 63.19, h.Steps[0].Terms[0], 0.05)
	assert.InEpsilon(t, 11.65, h.Steps[1].Terms[0], 0.05)
	assert.InDelta(t, 2.30, h.Steps[1].Data, 0.05)
}

func TestDeterministic(t *testing.T) {
	cfg, d := small(t, "elastic-net")
	cfg.L1, cfg.L2 = 1e-3, 1e-3
	run := func(seed uint64) *history.History {
		c := cfg
		c.Seed = seed
		h, err := run.Train(context.Background(), c, run.WithData(d), run.WithLog(nil))
		require.NoError(t, err)
		return h
	}
	a, b, other := run(7), run(7), run(8)
	assert.Equal(t, a.Steps, b.Steps)
	assert.Equal(t, a.Summary.TestAccuracy, b.Summary.TestAccuracy)
	assert.NotEqual(t, a.Steps[0].Data, other.Steps[0].Data)
}

// Several steps per executable call (unrolled in one graph on the pure-Go
// backend) compute exactly what one step per call does: same losses, terms,
// accuracies and weights, with a penalty that acts after the optimizer too
// (proximal L1).
func TestStepsPerCallDoesNotChangeResults(t *testing.T) {
	stepsPerCallDoesNotChangeResults(t)
}

// On XLA's CPU client, several steps per call run as a loop compiled once;
// they too compute exactly what one step per call does, and a resumed run
// (whose variables come from the checkpoint) ends where an uninterrupted one does.
func TestStepsPerCallDoesNotChangeResultsOnXLA(t *testing.T) {
	b := xlaCPU(t)
	stepsPerCallDoesNotChangeResults(t, run.WithBackend(b))
	cfg, d := small(t, "elastic-net")
	cfg.L1, cfg.L2, cfg.Proximal = 1e-3, 1e-3, true
	cfg.StepsPerCall, cfg.LogEvery = 7, 12 // Step 27 ends a call.
	want, _ := uninterrupted(t, cfg, d, run.WithBackend(b))
	got := interruptedAndResumed(t, cfg, d, 27, run.WithBackend(b))
	assert.Equal(t, want.Steps, got.Steps)
	assert.Equal(t, want.Summary.TestAccuracy, got.Summary.TestAccuracy)
}

func stepsPerCallDoesNotChangeResults(t *testing.T, opts ...run.Option) {
	cfg, d := small(t, "elastic-net")
	cfg.L1, cfg.L2, cfg.Proximal = 1e-3, 1e-3, true
	t.Run("proximal elastic net", func(t *testing.T) { stepsPerCallCompare(t, cfg, d, opts...) })
	cfg.Dropout, cfg.MaxNorm = 0.3, 1 // Dropout's generator and the constraint carried through the steps of a call.
	t.Run("dropout and max-norm", func(t *testing.T) { stepsPerCallCompare(t, cfg, d, opts...) })
}

func stepsPerCallCompare(t *testing.T, cfg settings.Config, d *data.TrainTest, opts ...run.Option) {
	cfg.LogEvery = 12 // Calls of 7, and shorter ones before logged steps and epoch ends.
	train := func(k int) (*history.History, *model.Store) {
		store := model.NewStore()
		h, err := run.Train(context.Background(), cfg, append([]run.Option{run.WithData(d),
			run.WithLog(nil), run.WithModel(store), run.WithStepsPerCall(k)}, opts...)...)
		require.NoError(t, err)
		return h, store
	}
	one, oneStore := train(1)
	seven, sevenStore := train(7)
	assert.Equal(t, one.Steps, seven.Steps)
	require.NotEmpty(t, one.Steps)
	assert.Equal(t, one.StepsDone, seven.StepsDone)
	assert.Equal(t, one.Summary.TestAccuracy, seven.Summary.TestAccuracy)
	assert.Equal(t, one.Summary.L1Norm, seven.Summary.L1Norm)
	assert.Equal(t, one.Summary.Zeros, seven.Summary.Zeros)
	for v := range oneStore.IterVariables() {
		other := sevenStore.GetVariable(v.Path())
		require.NotNil(t, other, v.Path())
		assert.Equal(t, v.MustValue().Value(), other.MustValue().Value(), v.Path())
	}
}

func TestHistoryRoundTrip(t *testing.T) {
	cfg, d := small(t, "elastic-net")
	h, err := run.Train(context.Background(), cfg, run.WithData(d), run.WithLog(nil))
	require.NoError(t, err)

	var js bytes.Buffer
	require.NoError(t, h.WriteJSON(&js))
	back, err := history.ReadJSON(&js)
	require.NoError(t, err)
	assert.Equal(t, h.Steps, back.Steps)
	assert.Equal(t, h.Summary, back.Summary)
	assert.Equal(t, h.Config, back.Config)

	var csv bytes.Buffer
	require.NoError(t, h.WriteCSV(&csv))
	assert.True(t, strings.HasPrefix(csv.String(), "step,epoch,batch,total,data,L1,L2,l1_norm,"), csv.String()[:60])
	terms, steps, err := history.ReadStepsCSV(&csv)
	require.NoError(t, err)
	assert.Equal(t, h.Terms, terms)
	assert.Equal(t, h.Steps, steps)
}

func TestRerunReplacesOutputs(t *testing.T) {
	cfg, d := small(t, "l2")
	cfg.OutDir = t.TempDir()
	for range 2 {
		_, err := run.Train(context.Background(), cfg, run.WithData(d), run.WithLog(nil))
		require.NoError(t, err)
	}
	h, err := history.Load(cfg.OutDir)
	require.NoError(t, err)
	assert.Equal(t, 2*20/cfg.LogEvery, len(h.Steps), "a second run replaces the history, it does not append to it")
	raw, err := os.ReadFile(filepath.Join(cfg.OutDir, "history.csv"))
	require.NoError(t, err)
	assert.Equal(t, len(h.Steps)+1, strings.Count(string(raw), "\n"))
}

func TestBadInputToTrain(t *testing.T) {
	cfg, d := small(t, "l1")
	cfg.BatchSize = 500
	_, err := run.Train(context.Background(), cfg, run.WithData(d), run.WithLog(nil))
	assert.EqualError(t, err, "batch = 500: larger than the training set (200 examples)")

	cfg, _ = small(t, "l1")
	file := filepath.Join(t.TempDir(), "file")
	require.NoError(t, os.WriteFile(file, nil, 0o644))
	cfg.OutDir = filepath.Join(file, "out")
	_, err = run.Train(context.Background(), cfg, run.WithData(d), run.WithLog(nil))
	assert.ErrorContains(t, err, "output directory "+cfg.OutDir+": cannot create it")

	cfg, _ = small(t, "l1")
	cfg.Backend = "tpu"
	_, err = run.Train(context.Background(), cfg, run.WithData(d), run.WithLog(nil))
	assert.ErrorContains(t, err, `unknown backend "tpu"`)

	_, err = run.Train(context.Background(), settings.Config{}, run.WithResume(t.TempDir()), run.WithLog(nil))
	assert.ErrorContains(t, err, "resume ")
}

func TestDefaultBackendDoesNotDeadlock(t *testing.T) {
	data := realMNIST(t)
	for _, batch := range []int{10, 64} {
		cfg := settings.MustPreset("elastic-net")
		cfg.BatchSize = batch
		cfg.MaxSteps = 200
		cfg.TestLimit = 200
		done := make(chan error, 1)
		go func() {
			_, err := run.Train(context.Background(), cfg, run.WithData(data), run.WithLog(nil))
			done <- err
		}()
		select {
		case err := <-done:
			require.NoError(t, err)
		case <-time.After(5 * time.Minute):
			t.Fatalf("training at batch %d made no progress for 5 minutes: deadlock", batch)
		}
	}
}

func TestCompare(t *testing.T) {
	cfg1, d := small(t, "l1")
	cfg2 := cfg1
	cfg2.Example, cfg2.L1, cfg2.L2 = "l2", 0, 1
	out := t.TempDir()
	var log bytes.Buffer
	hs, err := run.Compare(context.Background(), []settings.Config{cfg1, cfg2}, out, run.WithData(d), run.WithLog(&log))
	require.NoError(t, err)
	require.Len(t, hs, 2)
	for _, f := range []string{"summary.md", "summary.csv", "1-l1/history.json", "2-l2/history.csv"} {
		assert.FileExists(t, filepath.Join(out, f))
	}
	assert.Contains(t, log.String(), "| run | train accuracy | validation accuracy | test accuracy |")
	_, err = run.Compare(context.Background(), nil, out)
	assert.Error(t, err)
	assert.False(t, errors.Is(err, run.ErrInterrupted))
}

func TestInitFromAParametersFile(t *testing.T) {
	cfg, d := small(t, "l1")
	cfg.Seed, cfg.MaxSteps = 5, 1
	store := model.NewStore()
	want, err := run.Train(context.Background(), cfg, run.WithData(d), run.WithLog(nil), run.WithModel(store))
	require.NoError(t, err)

	// The parameters after that one step, as the next run's starting point.
	file := filepath.Join(t.TempDir(), "init.json")
	f, err := os.Create(file)
	require.NoError(t, err)
	require.NoError(t, layers.SaveParams(store.RootScope(), f))
	require.NoError(t, f.Close())
	cfg.Seed, cfg.InitFrom = 42, file
	got, err := run.Train(context.Background(), cfg, run.WithData(d), run.WithLog(nil))
	require.NoError(t, err)
	assert.Equal(t, want.Summary.TrainAccuracy, got.Epochs[0].TrainAccuracy, "the next run starts where that one ended")

	cfg.InitFrom = filepath.Join(t.TempDir(), "missing.json")
	_, err = run.Train(context.Background(), cfg, run.WithData(d), run.WithLog(nil))
	assert.ErrorContains(t, err, "init file "+cfg.InitFrom+": no such file or directory")
}
