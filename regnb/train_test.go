package regnb_test

import (
	"bytes"
	"context"
	"encoding/xml"
	"errors"
	"image/png"
	"io"
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
	"github.com/regnb/regnb/regnb"
	"github.com/regnb/regnb/regularizers"
)

var (
	mnistOnce sync.Once
	mnist     *regnb.Data
	mnistErr  error
)

// realMNIST loads the real data set once for all tests.
func realMNIST(t testing.TB) *regnb.Data {
	mnistOnce.Do(func() { mnist, mnistErr = regnb.LoadData("") })
	require.NoError(t, mnistErr)
	return mnist
}

// small returns a quick configuration of preset on the small synthetic data set.
func small(t testing.TB, preset string) (regnb.Config, *regnb.Data) {
	cfg := regnb.MustPreset(preset)
	cfg.Hidden = []int{16, 8}
	cfg.Epochs = 2
	cfg.LogEvery = 5
	cfg.LR = 1e-3
	d, err := regnb.LoadData(writeDataset(t, 200, 6))
	require.NoError(t, err)
	return cfg, d
}

func TestShortRunOnRealMNISTLowersTheLoss(t *testing.T) {
	cfg := regnb.MustPreset("elastic-net")
	cfg.L1, cfg.L2 = 1e-5, 1e-5
	cfg.LR = 1e-3
	cfg.MaxSteps = 300
	cfg.LogEvery = 50
	cfg.TestLimit = 1000
	var log bytes.Buffer
	h, err := regnb.Train(context.Background(), cfg, regnb.WithData(realMNIST(t)), regnb.WithLog(&log))
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
	assert.Contains(t, log.String(), "Training process has finished.\nTest accuracy: ")
	assert.Equal(t, 52650, h.Summary.Params)
}

func TestTutorialL1MatchesThePyTorchOriginal(t *testing.T) {
	// shared/reference/l1_5epochs.txt: the L1 term at mini-batches 500 and 1000
	// is 63.19 and 11.65; different seeds give values within a few percent.
	cfg := regnb.MustPreset("l1")
	cfg.MaxSteps = 1000
	cfg.TestLimit = 500
	h, err := regnb.Train(context.Background(), cfg, regnb.WithData(realMNIST(t)), regnb.WithLog(nil))
	require.NoError(t, err)
	require.Len(t, h.Steps, 2)
	assert.InEpsilon(t, 63.19, h.Steps[0].Terms[0], 0.05)
	assert.InEpsilon(t, 11.65, h.Steps[1].Terms[0], 0.05)
	assert.InDelta(t, 2.30, h.Steps[1].Data, 0.05)
}

func TestDeterministic(t *testing.T) {
	cfg, d := small(t, "elastic-net")
	cfg.L1, cfg.L2 = 1e-3, 1e-3
	run := func(seed uint64) *regnb.History {
		c := cfg
		c.Seed = seed
		h, err := regnb.Train(context.Background(), c, regnb.WithData(d), regnb.WithLog(nil))
		require.NoError(t, err)
		return h
	}
	a, b, other := run(7), run(7), run(8)
	assert.Equal(t, a.Steps, b.Steps)
	assert.Equal(t, a.Summary.TestAccuracy, b.Summary.TestAccuracy)
	assert.NotEqual(t, a.Steps[0].Data, other.Steps[0].Data)
}

func TestHistoryRoundTrip(t *testing.T) {
	cfg, d := small(t, "elastic-net")
	h, err := regnb.Train(context.Background(), cfg, regnb.WithData(d), regnb.WithLog(nil))
	require.NoError(t, err)

	var js bytes.Buffer
	require.NoError(t, h.WriteJSON(&js))
	back, err := regnb.ReadHistoryJSON(&js)
	require.NoError(t, err)
	assert.Equal(t, h.Steps, back.Steps)
	assert.Equal(t, h.Summary, back.Summary)
	assert.Equal(t, h.Config, back.Config)

	var csv bytes.Buffer
	require.NoError(t, h.WriteCSV(&csv))
	assert.True(t, strings.HasPrefix(csv.String(), "step,epoch,batch,total,data,L1,L2,l1_norm,"), csv.String()[:60])
	terms, steps, err := regnb.ReadStepsCSV(&csv)
	require.NoError(t, err)
	assert.Equal(t, h.Terms, terms)
	assert.Equal(t, h.Steps, steps)
}

func TestPlotsAreValidSVGAndPNG(t *testing.T) {
	cfg, d := small(t, "l1")
	cfg.OutDir = t.TempDir()
	h, err := regnb.Train(context.Background(), cfg, regnb.WithData(d), regnb.WithLog(nil))
	require.NoError(t, err)
	for _, name := range []string{"loss", "accuracy", "weights", "sparsity", "norms"} {
		svg, err := os.ReadFile(filepath.Join(cfg.OutDir, name+".svg"))
		require.NoError(t, err)
		dec := xml.NewDecoder(bytes.NewReader(svg))
		root := ""
		for {
			tok, err := dec.Token()
			if err == io.EOF {
				break
			}
			require.NoError(t, err, name+".svg is not well-formed XML")
			if se, ok := tok.(xml.StartElement); ok && root == "" {
				root = se.Name.Local
			}
		}
		assert.Equal(t, "svg", root, name)
		f, err := os.Open(filepath.Join(cfg.OutDir, name+".png"))
		require.NoError(t, err)
		img, err := png.Decode(f)
		f.Close()
		require.NoError(t, err, name+".png")
		assert.Greater(t, img.Bounds().Dx(), 300)
	}
	for _, name := range []string{"history.json", "history.csv"} {
		assert.FileExists(t, filepath.Join(cfg.OutDir, name))
	}
	// Plots of a history read back from disk render too.
	back, err := regnb.LoadHistory(cfg.OutDir)
	require.NoError(t, err)
	_, err = regnb.SVG(regnb.LossPlot(back))
	require.NoError(t, err)
	// A history with no logged step still renders (no empty log scale).
	_, err = regnb.PNG(regnb.LossPlot(&regnb.History{Config: h.Config}))
	require.NoError(t, err)
}

func TestRerunReplacesOutputs(t *testing.T) {
	cfg, d := small(t, "l2")
	cfg.OutDir = t.TempDir()
	for range 2 {
		_, err := regnb.Train(context.Background(), cfg, regnb.WithData(d), regnb.WithLog(nil))
		require.NoError(t, err)
	}
	h, err := regnb.LoadHistory(cfg.OutDir)
	require.NoError(t, err)
	assert.Equal(t, 2*20/cfg.LogEvery, len(h.Steps), "a second run replaces the history, it does not append to it")
	raw, err := os.ReadFile(filepath.Join(cfg.OutDir, "history.csv"))
	require.NoError(t, err)
	assert.Equal(t, len(h.Steps)+1, strings.Count(string(raw), "\n"))
}

func TestDivergenceStopsWithAClearError(t *testing.T) {
	cfg, d := small(t, "l2")
	cfg.L2 = 1e38
	cfg.OutDir = t.TempDir()
	h, err := regnb.Train(context.Background(), cfg, regnb.WithData(d), regnb.WithLog(nil))
	var div *regnb.DivergedError
	require.ErrorAs(t, err, &div)
	assert.Equal(t, 1, div.Step)
	assert.Equal(t, "L2", div.Term)
	assert.Contains(t, err.Error(), "training diverged at step 1 (epoch 1, mini-batch 1): the L2 became +Inf")
	assert.Contains(t, err.Error(), "smaller penalty strength")
	require.NotNil(t, h)
	assert.Equal(t, "diverged", h.Status)
	back, err := regnb.LoadHistory(cfg.OutDir)
	require.NoError(t, err)
	assert.Equal(t, "diverged", back.Status)

	// A learning rate that blows up the weights: caught on an unlogged step,
	// the history and the last good checkpoint are kept.
	cfg, d = small(t, "none")
	cfg.LR = 1e30
	cfg.LogEvery = 2
	cfg.OutDir = t.TempDir()
	h, err = regnb.Train(context.Background(), cfg, regnb.WithData(d), regnb.WithLog(nil))
	require.ErrorAs(t, err, &div)
	assert.Greater(t, div.Step, 1)
	assert.Contains(t, err.Error(), "try a smaller learning rate (-lr, now 1e+30)")
	assert.Contains(t, err.Error(), "the last good checkpoint and the history so far are in "+cfg.OutDir)
	assert.DirExists(t, filepath.Join(cfg.OutDir, "checkpoint"))
	assert.NotEmpty(t, h.Steps)
}

// cancelAt cancels a context when training reaches a step.
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

func TestInterruptAndResumeEndsLikeAnUninterruptedRun(t *testing.T) {
	cfg, d := small(t, "elastic-net")
	cfg.L1, cfg.L2 = 1e-3, 1e-3

	straight := model.NewStore()
	cfg.OutDir = t.TempDir()
	want, err := regnb.Train(context.Background(), cfg, regnb.WithData(d), regnb.WithLog(nil), regnb.WithModel(straight))
	require.NoError(t, err)

	cfg.OutDir = t.TempDir()
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	h, err := regnb.Train(ctx, cfg, regnb.WithData(d), regnb.WithLog(nil), regnb.WithProgress(cancelAt{step: 27, cancel: cancel}))
	require.ErrorIs(t, err, regnb.ErrInterrupted)
	assert.Contains(t, err.Error(), "continue with -resume "+cfg.OutDir)
	assert.Equal(t, 27, h.StepsDone)
	assert.Equal(t, "interrupted", h.Status)

	resumed := model.NewStore()
	got, err := regnb.Train(context.Background(), regnb.Config{}, regnb.WithResume(cfg.OutDir), regnb.WithData(d),
		regnb.WithLog(nil), regnb.WithModel(resumed))
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

func TestBadInputToTrain(t *testing.T) {
	cfg, d := small(t, "l1")
	cfg.BatchSize = 500
	_, err := regnb.Train(context.Background(), cfg, regnb.WithData(d), regnb.WithLog(nil))
	assert.EqualError(t, err, "batch size = 500: larger than the training set (200 examples)")

	cfg, _ = small(t, "l1")
	file := filepath.Join(t.TempDir(), "file")
	require.NoError(t, os.WriteFile(file, nil, 0o644))
	cfg.OutDir = filepath.Join(file, "out")
	_, err = regnb.Train(context.Background(), cfg, regnb.WithData(d), regnb.WithLog(nil))
	assert.ErrorContains(t, err, "output directory "+cfg.OutDir+": cannot create it")

	cfg, _ = small(t, "l1")
	cfg.Backend = "tpu"
	_, err = regnb.Train(context.Background(), cfg, regnb.WithData(d), regnb.WithLog(nil))
	assert.ErrorContains(t, err, `unknown backend "tpu"`)

	_, err = regnb.Train(context.Background(), regnb.Config{}, regnb.WithResume(t.TempDir()), regnb.WithLog(nil))
	assert.ErrorContains(t, err, "resume ")
}

func TestBackends(t *testing.T) {
	b, notice, err := regnb.NewBackend("")
	require.NoError(t, err)
	assert.Empty(t, notice)
	assert.Equal(t, "go", b.String(), "the pure-Go backend")
	_, _, err = regnb.NewBackend("go:no_such_option")
	assert.ErrorContains(t, err, `backend "go:no_such_option"`)
	// Without -tags xla, asking for XLA falls back with a one-line notice.
	b, notice, err = regnb.NewBackend("xla:cpu")
	require.NoError(t, err)
	assert.NotNil(t, b)
	assert.Contains(t, notice, "using the pure-Go backend")
	assert.NotContains(t, notice, "\n")
	assert.Equal(t, regnb.LargeBatchBackend, regnb.DefaultBackendFor(256))
	// A configuration saved before the port (GoMLX v0.26's kernel option).
	b, notice, err = regnb.NewBackend("go:ops_sequential,dotgeneral_large")
	require.NoError(t, err)
	assert.Empty(t, notice)
	assert.Equal(t, "go", b.String())
}

func TestKernelsNameTheSIMDBuild(t *testing.T) {
	kernels := regnb.Kernels(newBackend(t))
	assert.Regexp(t, `^go \(.+\)$`, kernels)
	if regnb.SIMDBuild {
		assert.Contains(t, kernels, "simd")
		assert.NotContains(t, kernels, "no simd")
	} else {
		assert.Equal(t, "go (no simd)", kernels)
	}
}

// TestDefaultBackendDoesNotDeadlock trains the real step at the batch sizes
// where GoMLX's parallel executor was seen to hang, with a watchdog.
func TestDefaultBackendDoesNotDeadlock(t *testing.T) {
	data := realMNIST(t)
	for _, batch := range []int{10, 64} {
		cfg := regnb.MustPreset("elastic-net")
		cfg.BatchSize = batch
		cfg.MaxSteps = 200
		cfg.TestLimit = 200
		done := make(chan error, 1)
		go func() {
			_, err := regnb.Train(context.Background(), cfg, regnb.WithData(data), regnb.WithLog(nil))
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
	hs, err := regnb.Compare(context.Background(), []regnb.Config{cfg1, cfg2}, out, regnb.WithData(d), regnb.WithLog(&log))
	require.NoError(t, err)
	require.Len(t, hs, 2)
	for _, f := range []string{"summary.md", "summary.csv", "accuracy.svg", "data-loss.png", "1-l1/history.json", "2-l2/loss.svg"} {
		assert.FileExists(t, filepath.Join(out, f))
	}
	assert.Contains(t, log.String(), "| run | test accuracy |")
	_, err = regnb.Compare(context.Background(), nil, out)
	assert.Error(t, err)
	assert.False(t, errors.Is(err, regnb.ErrInterrupted))
}

func TestInitFromAParametersFile(t *testing.T) {
	cfg, d := small(t, "l1")
	cfg.Seed, cfg.MaxSteps = 5, 1
	store := model.NewStore()
	want, err := regnb.Train(context.Background(), cfg, regnb.WithData(d), regnb.WithLog(nil), regnb.WithModel(store))
	require.NoError(t, err)

	// The parameters after that one step, as the next run's starting point.
	file := filepath.Join(t.TempDir(), "init.json")
	f, err := os.Create(file)
	require.NoError(t, err)
	require.NoError(t, layers.SaveParams(store.RootScope(), f))
	require.NoError(t, f.Close())
	cfg.Seed, cfg.InitFrom = 42, file
	got, err := regnb.Train(context.Background(), cfg, regnb.WithData(d), regnb.WithLog(nil))
	require.NoError(t, err)
	assert.Equal(t, want.Summary.TestAccuracy, got.Summary.InitialAccuracy)

	cfg.InitFrom = filepath.Join(t.TempDir(), "missing.json")
	_, err = regnb.Train(context.Background(), cfg, regnb.WithData(d), regnb.WithLog(nil))
	assert.ErrorContains(t, err, "init file "+cfg.InitFrom+": no such file or directory")
}
