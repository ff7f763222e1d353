package main

import (
	"bytes"
	"math"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/regnb/regnb/regnb/history"
)

// beMain makes the test binary run as regnb itself (outdir_test.go's
// TestMain): a sweep's runs are processes of os.Executable(), which in a test
// is this binary.
const beMain = "REGNB_TEST_CLI"

// quickSweep is a small grid in quick mode on MNIST: 2 λ × 2 seeds, 150
// steps each on 2 000 training images, 1 000 held out, 1 000 test images.
func quickSweep(out string) []string {
	return []string{"sweep", "-lambda", "1e-4,0.03", "-seeds", "2", "-lr", "1e-3", "-train-limit", "2000", "-validation", "1000",
		"-max-steps", "150", "-log-every", "50", "-test-limit", "1000", "-jobs", "2", "-out", out}
}

// TestSweep runs the quick grid as `regnb sweep` does (a process per run),
// checks its table, the λ each rule chose and that the test set was
// evaluated for the chosen configuration alone; then runs the same grid as a
// batch system would — each run a separate process (-index), then -collect —
// and gets the same table.
func TestSweep(t *testing.T) {
	t.Setenv(beMain, "1") // For the runs' processes.
	out := t.TempDir()
	code, stdout, stderr := cli(quickSweep(out)...)
	require.Equal(t, 0, code, stderr+stdout)
	progress := regexp.MustCompile(`(?m)^\[\d/4\] L1, λ = (1e-4|0\.03), seed 4[23]: validation accuracy 0\.\d{4}, train accuracy 0\.\d{4} after 150 steps \(`)
	assert.Len(t, progress.FindAllString(stdout, -1), 4, "a line per run: %s", stdout)
	assert.Contains(t, stdout, "| λ | validation accuracy | SE | train − validation | ∣w∣ < 1e-3 | units kept | runs | chosen | test accuracy |")

	s, err := history.LoadSweep(out)
	require.NoError(t, err)
	require.Len(t, s.Points, 2)
	checkChoice(t, out, s)
	tested := 0
	for _, p := range s.Points {
		if len(p.Chosen) > 0 {
			tested++
			require.NotNil(t, p.Test, p.Label)
			assert.Len(t, p.TestBySeed, 2)
			assert.Greater(t, p.Test.Mean, 0.5, "%s learns", p.Label)
		} else {
			assert.Nil(t, p.Test, "%s: not chosen, so never evaluated on the test set", p.Label)
		}
		for _, dir := range p.Dirs {
			h, err := history.Load(filepath.Join(out, dir))
			require.NoError(t, err)
			assert.False(t, h.Summary.TestEvaluated, "%s: the run itself never evaluated the test set", dir)
			assert.Equal(t, 1000, h.Config.Validation)
		}
	}
	assert.NotZero(t, tested)
	for _, f := range []string{"sweep.md", "sweep.csv", "sweep.svg", "sweep.png", "logs/l1-lambda-0.03-seed-43.log"} {
		assert.FileExists(t, filepath.Join(out, f))
	}

	// As a batch system: -plan sizes the array, each index its own process
	// (all at once), then -collect in another.
	batch := t.TempDir()
	args := quickSweep(batch)
	code, plan, stderr := cli(append(args, "-plan")...)
	require.Equal(t, 0, code, stderr)
	lines := strings.Split(strings.TrimSpace(plan), "\n")
	require.Len(t, lines, 4)
	assert.Equal(t, "3\t"+filepath.Join(batch, "l1-lambda-0.03", "seed-43")+"\tL1, λ = 0.03, seed 43", lines[3])
	cmds := make([]*exec.Cmd, len(lines))
	outputs := make([]*bytes.Buffer, len(lines))
	for i := range lines { // All at once, as an array's tasks.
		cmds[i], outputs[i] = regnbProcess(t, append(args, "-index", strconv.Itoa(i))...)
	}
	for i, cmd := range cmds {
		require.NoError(t, cmd.Wait(), outputs[i].String())
		assert.Contains(t, outputs[i].String(), "Test set not evaluated (no-test)")
	}
	cmd, collected := regnbProcess(t, append(args, "-collect")...)
	require.NoError(t, cmd.Wait(), collected.String())
	want, err := os.ReadFile(filepath.Join(out, "sweep.md"))
	require.NoError(t, err)
	got, err := os.ReadFile(filepath.Join(batch, "sweep.md"))
	require.NoError(t, err)
	assert.Equal(t, string(want), string(got), "the same table from separate processes")
	assert.Contains(t, collected.String(), string(want))
}

// checkChoice recomputes each rule's choice from the runs' own histories:
// the best mean validation accuracy, and the largest λ whose mean is within
// one standard error (sample sd/√n) of it.
func checkChoice(t *testing.T, dir string, s *history.Sweep) {
	t.Helper()
	means, ses := make([]float64, len(s.Points)), make([]float64, len(s.Points))
	best := 0
	for i, p := range s.Points {
		var acc []float64
		for _, d := range p.Dirs {
			h, err := history.Load(filepath.Join(dir, d))
			require.NoError(t, err)
			acc = append(acc, h.Summary.ValidationAccuracy)
		}
		require.Len(t, acc, 2)
		means[i] = (acc[0] + acc[1]) / 2
		sd := math.Sqrt((math.Pow(acc[0]-means[i], 2) + math.Pow(acc[1]-means[i], 2)) / 1)
		ses[i] = sd / math.Sqrt(2)
		if means[i] > means[best] {
			best = i
		}
	}
	oneSE := best
	for i, p := range s.Points {
		if means[i] >= means[best]-ses[best] && p.Lambda > s.Points[oneSE].Lambda {
			oneSE = i
		}
	}
	for i, p := range s.Points {
		assert.Equal(t, i == best, has(p.Chosen, history.ChosenBest), "%s: best mean (means %v)", p.Label, means)
		assert.Equal(t, i == oneSE, has(p.Chosen, history.ChosenOneSE), "%s: 1-SE rule (means %v, SE %v)", p.Label, means, ses)
	}
}

func has(xs []string, x string) bool {
	for _, y := range xs {
		if y == x {
			return true
		}
	}
	return false
}

// TestSweepCtrlCKeepsFinishedRunsAndResumes sends a real SIGINT while the
// second of four runs trains (one at a time): the first run is kept, the
// second saved; the same command again does not run the first again and
// finishes the sweep.
func TestSweepCtrlCKeepsFinishedRunsAndResumes(t *testing.T) {
	t.Setenv(beMain, "1")
	out := t.TempDir()
	args := []string{"sweep", "-lambda", "1e-4,1e-3", "-seeds", "2", "-lr", "1e-3", "-train-limit", "3000", "-validation", "1000",
		"-epochs", "1", "-log-every", "20", "-test-limit", "500", "-jobs", "1", "-out", out}
	type result struct {
		code           int
		stdout, stderr string
	}
	done := make(chan result, 1)
	go func() {
		code, stdout, stderr := cli(args...)
		done <- result{code, stdout, stderr}
	}()
	first := filepath.Join(out, "l1-lambda-0.0001", "seed-42")
	second := filepath.Join(out, "l1-lambda-0.0001", "seed-43", "history.json")
	for deadline := time.Now().Add(3 * time.Minute); ; time.Sleep(5 * time.Millisecond) {
		h, err := history.Load(first)
		_, err2 := os.Stat(second)
		if err == nil && h.Status == history.Finished && err2 == nil {
			break // The first run finished, the second has saved a step.
		}
		require.True(t, time.Now().Before(deadline), "the first run did not finish")
	}
	require.NoError(t, syscall.Kill(os.Getpid(), syscall.SIGINT))
	r := <-done
	require.Equal(t, 130, r.code, r.stderr+r.stdout)
	assert.Regexp(t, `^regnb: sweep interrupted: 1 of 4 runs finished, kept in .*; run the same sweep again to continue \(finished runs are not run again, interrupted ones resume\)\n$`, r.stderr)
	assert.Regexp(t, `\[2/4\] L1, λ = 1e-4, seed 43: interrupted at step \d+`, r.stdout)
	h, err := history.Load(filepath.Dir(second))
	require.NoError(t, err)
	assert.Equal(t, history.Interrupted, h.Status)

	code, stdout, stderr := cli(args...)
	require.Equal(t, 0, code, stderr+stdout)
	assert.Contains(t, stdout, "1 finished before")
	assert.Regexp(t, `\[1/4\] L1, λ = 1e-4, seed 42: validation accuracy .* \(finished before\)`, stdout)
	assert.Equal(t, 1, strings.Count(stdout, "(finished before)"))
	log, err := os.ReadFile(filepath.Join(out, "logs", "l1-lambda-0.0001-seed-43.log"))
	require.NoError(t, err)
	before, after, found := strings.Cut(string(log), "training interrupted at step")
	assert.True(t, found, "the log of the interrupted run…")
	assert.Contains(t, before, "Starting epoch 1")
	assert.Contains(t, after, "Training process has finished.", "…then of its resumed run")
	h, err = history.Load(filepath.Dir(second))
	require.NoError(t, err)
	assert.Equal(t, history.Finished, h.Status)
	assert.Equal(t, 300, h.StepsDone)
}

// TestTrainSeeds: -seeds 2 runs the configuration with seeds 42 and 43,
// each in its directory, and reports each figure's mean and spread.
func TestTrainSeeds(t *testing.T) {
	out := t.TempDir()
	code, stdout, stderr := cli("train", "-example", "l1", "-l1", "1e-4", "-seeds", "2", "-validation", "1000", "-train-limit", "1000",
		"-max-steps", "30", "-log-every", "30", "-test-limit", "500", "-out", out)
	require.Equal(t, 0, code, stderr)
	assert.Contains(t, stdout, "=== "+filepath.Join(out, "seed-42")+"\n")
	assert.Contains(t, stdout, "=== "+filepath.Join(out, "seed-43")+"\n")
	assert.Contains(t, stdout, "| figure | mean ± sd | min | max | seed 42 | seed 43 |")
	assert.Regexp(t, `\| validation accuracy \| 0\.\d{4} ± 0\.\d{4} \|`, stdout)
	assert.Regexp(t, `\| test accuracy \| 0\.\d{4} ± 0\.\d{4} \|`, stdout)
	assert.FileExists(t, filepath.Join(out, "summary.md"))
	assert.FileExists(t, filepath.Join(out, "seed-43", "history.json"))
}
