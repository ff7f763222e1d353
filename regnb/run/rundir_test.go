package run_test

import (
	"context"
	"encoding/json"
	"errors"
	"os"
	"path/filepath"
	"runtime/debug"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/regnb/regnb/regnb/data"
	"github.com/regnb/regnb/regnb/history"
	"github.com/regnb/regnb/regnb/plots"
	"github.com/regnb/regnb/regnb/run"
	"github.com/regnb/regnb/regnb/settings"
)

// train runs cfg on d, quietly, writing plots as the CLI does.
func train(ctx context.Context, cfg settings.Config, d *data.TrainTest, opts ...run.Option) (*history.History, error) {
	return run.Train(ctx, cfg, append([]run.Option{run.WithData(d), run.WithLog(nil), run.WithOutputs(plots.WriteRun)}, opts...)...)
}

func entries(t *testing.T, dir string) []string {
	t.Helper()
	es, err := os.ReadDir(dir)
	require.NoError(t, err)
	var names []string
	for _, e := range es {
		names = append(names, e.Name())
	}
	return names
}

// A directory holding files regnb did not write is refused, and not a file
// in it is touched (it used to lose its checkpoint/ folder).
func TestForeignOutputDirectoryIsRefused(t *testing.T) {
	cfg, d := small(t, "none")
	cfg.MaxSteps = 5
	cfg.OutDir = t.TempDir()
	important := filepath.Join(cfg.OutDir, "checkpoint", "important.txt")
	require.NoError(t, os.MkdirAll(filepath.Dir(important), 0o755))
	require.NoError(t, os.WriteFile(important, []byte("x"), 0o600))
	_, err := train(context.Background(), cfg, d)
	assert.EqualError(t, err, "output directory "+cfg.OutDir+" holds files regnb did not write (checkpoint/): choose another -out, or empty it")
	assert.FileExists(t, important)
	assert.Equal(t, []string{"checkpoint"}, entries(t, cfg.OutDir))
}

// A re-run that fails (diverges) replaces the finished run whole: no plot
// or CSV of the old run is left beside the new history.
func TestFailedRerunLeavesNoStaleOutputs(t *testing.T) {
	cfg, d := small(t, "l2")
	cfg.OutDir = filepath.Join(t.TempDir(), "run")
	_, err := train(context.Background(), cfg, d)
	require.NoError(t, err)
	require.FileExists(t, filepath.Join(cfg.OutDir, "loss.png"))
	cfg.LR = 1e30
	_, err = train(context.Background(), cfg, d)
	var div *run.DivergedError
	require.ErrorAs(t, err, &div)
	h, err := history.Load(cfg.OutDir)
	require.NoError(t, err)
	assert.Equal(t, history.Diverged, h.Status)
	assert.NoFileExists(t, filepath.Join(cfg.OutDir, "loss.png"), "the old run's plots went with it")
	raw, err := os.ReadFile(filepath.Join(cfg.OutDir, history.CSVFile))
	require.NoError(t, err)
	assert.Equal(t, len(h.Steps)+1, strings.Count(string(raw), "\n"), "the CSV is the new run's")
	assert.Len(t, entries(t, filepath.Dir(cfg.OutDir)), 1, "no sibling left")
	for _, e := range []string{history.File, history.CSVFile} {
		st, err := os.Stat(filepath.Join(cfg.OutDir, e))
		require.NoError(t, err)
		assert.Equal(t, os.FileMode(0o644), st.Mode().Perm(), "%s is readable as the plots are", e)
	}
}

// Checkpoints close their files: with a checkpoint at every step, the run
// holds no file of its output directory open when it ends (GoMLX v0.28.2's
// gzip writer leaked one per save).
func TestCheckpointsLeaveNoOpenFiles(t *testing.T) {
	cfg, d := small(t, "l1")
	cfg.LogEvery, cfg.Epochs = 1, 1
	cfg.OutDir = t.TempDir()
	// Without the garbage collector, a file left open stays open (its
	// cleanup would close it at some later collection).
	defer debug.SetGCPercent(debug.SetGCPercent(-1))
	_, err := train(context.Background(), cfg, d)
	require.NoError(t, err)
	fds, err := os.ReadDir("/proc/self/fd")
	if err != nil {
		t.Skip("no /proc/self/fd here")
	}
	var open []string
	for _, fd := range fds {
		if target, err := os.Readlink(filepath.Join("/proc/self/fd", fd.Name())); err == nil && strings.Contains(target, cfg.OutDir) {
			open = append(open, target)
		}
	}
	assert.Empty(t, open, "files of the run still open")
}

// -init must name exactly the MLP's parameters: an empty file, or one with
// other names, is an error, not a silent start from the seed.
func TestInitFileMustMatchTheMLP(t *testing.T) {
	cfg, d := small(t, "none")
	cfg.MaxSteps = 2
	cfg.InitFrom = filepath.Join(t.TempDir(), "e.json")
	require.NoError(t, os.WriteFile(cfg.InitFrom, []byte("{}"), 0o644))
	_, err := train(context.Background(), cfg, d)
	require.Error(t, err)
	assert.Contains(t, err.Error(), "init file "+cfg.InitFrom+": layers.LoadMLPParams: /dense_0/biases is missing; /dense_0/weights is missing")
	require.NoError(t, os.WriteFile(cfg.InitFrom, []byte(`{"/foo/weights": {"shape": [1], "values": [0]}}`), 0o644))
	_, err = train(context.Background(), cfg, d)
	assert.ErrorContains(t, err, "/foo/weights is not a parameter of the MLP")
}

// editHistory rewrites a saved run's history.json through edit (a hand
// edit, as a user or a half-finished copy would make).
func editHistory(t *testing.T, dir string, edit func(map[string]any)) {
	t.Helper()
	path := filepath.Join(dir, history.File)
	raw, err := os.ReadFile(path)
	require.NoError(t, err)
	var h map[string]any
	require.NoError(t, json.Unmarshal(raw, &h))
	edit(h)
	raw, err = json.Marshal(h)
	require.NoError(t, err)
	require.NoError(t, os.WriteFile(path, raw, 0o644))
}

// A resume checks the files it continues from, and the settings it is given.
func TestResumeChecksItsFiles(t *testing.T) {
	cfg, d := small(t, "l1")
	cfg.L1, cfg.Epochs = 1e-3, 3
	dir := t.TempDir()
	cfg.OutDir = dir
	_, err := train(context.Background(), cfg, d)
	require.NoError(t, err)
	saved, err := os.ReadFile(filepath.Join(dir, history.File))
	require.NoError(t, err)
	restore := func() { require.NoError(t, os.WriteFile(filepath.Join(dir, history.File), saved, 0o644)) }
	resume := func(edit func(*settings.Config)) error {
		c, err := run.ResumeConfig(dir)
		if err != nil {
			return err
		}
		edit(&c)
		_, err = train(context.Background(), c, d, run.WithResume(dir))
		return err
	}
	same := func(*settings.Config) {}
	for _, tc := range []struct {
		name string
		edit func(map[string]any)
		want string
	}{
		{"negative steps", func(h map[string]any) { h["steps_done"] = -5 }, "steps_done = -5"},
		{"unknown status", func(h map[string]any) { h["status"] = "banana" }, `status "banana": want running, finished, interrupted or diverged`},
		{"checkpoint after the steps", func(h map[string]any) { h["checkpoint_step"] = 1000 }, "checkpoint_step = 1000 after steps_done = 60"},
		{"the checkpoint is at another step", func(h map[string]any) { h["steps_done"], h["checkpoint_step"], h["steps"] = 55, 55, nil },
			"is at step 60, its history at step 55"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			editHistory(t, dir, tc.edit)
			defer restore()
			err := resume(same)
			require.Error(t, err)
			assert.Contains(t, err.Error(), tc.want)
		})
	}
	err = resume(func(c *settings.Config) { c.Epochs = 1 })
	assert.ErrorContains(t, err, "epochs = 1, max-steps = 0 end the run at step 20, before the 60 steps it already did")
	err = resume(func(c *settings.Config) { c.Epochs, c.MaxSteps = 3, 30 })
	assert.ErrorContains(t, err, "end the run at step 30, before the 60 steps it already did")
	require.NoError(t, resume(func(c *settings.Config) { c.Epochs = 4 }), "running longer is fine")
}

// A history that names a checkpoint older than another one there, and was
// not left by a crash during a save (its status is not "running"), is not the
// run's latest state: the resume refuses and deletes nothing.
func TestResumeDoesNotDeleteCheckpointsOfAnotherState(t *testing.T) {
	cfg, d := small(t, "l1")
	cfg.L1 = 1e-3
	dir := t.TempDir()
	cfg.OutDir = dir
	_, err := train(context.Background(), cfg, d)
	require.NoError(t, err)
	ck := filepath.Join(dir, run.CheckpointDir)
	before := entries(t, ck)
	require.Len(t, before, 4, "two checkpoints, a JSON and a data file each")
	editHistory(t, dir, func(m map[string]any) {
		m["checkpoint"] = strings.TrimSuffix(before[0], filepath.Ext(before[0])) // The older one.
		m["status"] = history.Interrupted
	})
	_, err = train(context.Background(), settings.Config{}, d, run.WithResume(dir))
	assert.ErrorContains(t, err, "but a newer one is there")
	assert.Equal(t, before, entries(t, ck), "nothing deleted")
}

// Ctrl-C before the first step, then a resume: the initial state is
// recorded once.
func TestInterruptAtStepZeroThenResume(t *testing.T) {
	cfg, d := small(t, "l1")
	cfg.L1 = 1e-3
	cfg.OutDir = t.TempDir()
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	_, err := train(ctx, cfg, d)
	require.ErrorIs(t, err, run.ErrInterrupted)
	h, err := train(context.Background(), settings.Config{}, d, run.WithResume(cfg.OutDir))
	require.NoError(t, err)
	initial := 0
	for _, w := range h.Histograms {
		if w.Stage == "initial" {
			initial++
		}
	}
	assert.Equal(t, 3, initial, "one initial histogram per layer")
}

// Ctrl-C is honoured while the data set is being read, even from a file
// that never ends (a FIFO).
func TestInterruptWhileReadingData(t *testing.T) {
	dir := t.TempDir()
	fifo := filepath.Join(dir, data.TrainImagesFile)
	if err := syscall.Mkfifo(fifo, 0o600); err != nil {
		t.Skipf("no FIFO here: %v", err)
	}
	cfg := settings.MustPreset("none")
	cfg.DataDir = dir
	ctx, cancel := context.WithTimeout(context.Background(), 300*time.Millisecond)
	defer cancel()
	start := time.Now()
	_, err := run.Train(ctx, cfg, run.WithLog(nil))
	assert.ErrorIs(t, err, run.ErrInterrupted)
	assert.Less(t, time.Since(start), 5*time.Second)
	// Unblock the reader left waiting on the FIFO.
	if f, err := os.OpenFile(fifo, os.O_WRONLY|syscall.O_NONBLOCK, 0); err == nil {
		f.Close()
	}
	_ = errors.New
}
