package main

import (
	"bytes"
	"flag"
	"os"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/regnb/regnb/regnb/settings"
)

// cli runs the command line and returns its exit status, stdout and stderr.
func cli(args ...string) (int, string, string) {
	var stdout, stderr bytes.Buffer
	code := execute(args, &stdout, &stderr)
	return code, stdout.String(), stderr.String()
}

// TestBadInputGetsOneLine checks every user mistake ends with a non-zero
// status and one line naming the flag or file and the value: never a panic.
func TestBadInputGetsOneLine(t *testing.T) {
	file := filepath.Join(t.TempDir(), "a-file")
	require.NoError(t, os.WriteFile(file, []byte("x"), 0o644))
	empty := t.TempDir()
	for _, tc := range []struct {
		args []string
		want string
	}{
		{[]string{"train", "-example", "l3"}, `unknown example "l3"`},
		{[]string{"train", "-example", "l1", "-l1", "-1"}, "l1 = -1: must be ≥ 0"},
		{[]string{"train", "-example", "l1", "-l1", "NaN"}, "l1 = NaN: must be a number"},
		{[]string{"train", "-example", "l2", "-l2", "+Inf"}, "l2 = +Inf: must be finite"},
		{[]string{"train", "-weight-decay", "-0.5"}, "weight-decay = -0.5"},
		{[]string{"train", "-alpha", "0.1", "-l1-ratio", "1.5"}, "l1-ratio = 1.5: must be in [0, 1]"},
		{[]string{"train", "-batch", "0"}, "batch = 0: must be at least 1"},
		{[]string{"train", "-batch", "100000"}, "batch = 100000: larger than the training set (60000 examples)"},
		{[]string{"train", "-epochs", "0"}, "epochs = 0: must be at least 1"},
		{[]string{"train", "-lr", "0"}, "lr = 0: must be > 0"},
		{[]string{"train", "-lr", "1e-300"}, "lr = 1e-300: rounds to 0 in float32"},
		{[]string{"train", "-steps-per-call", "-3"}, "steps-per-call = -3: must be ≥ 0"},
		{[]string{"train", "-backend", "tpu"}, `unknown backend "tpu"`},
		{[]string{"train", "-data", filepath.Join(empty, "missing")}, "data directory \"" + filepath.Join(empty, "missing") + "\" does not exist"},
		{[]string{"train", "-data", empty}, "data file train-images-idx3-ubyte(.gz) not found in " + empty},
		{[]string{"train", "-max-steps", "1", "-out", filepath.Join(file, "out")}, "output directory " + filepath.Join(file, "out") + ": cannot create it"},
		{[]string{"train", "-resume", empty}, "resume " + empty},
		{[]string{"compare", "-examples", "l1,l9", "-out", empty}, `unknown example "l9"`},
		{[]string{"train", "-validation", "60000"}, "validation = 60000: not smaller than the training set (60000 examples): leave images to train on"},
		{[]string{"train", "-validation", "-5"}, "validation = -5: must be ≥ 0 (0: none)"},
		{[]string{"train", "-seeds", "0", "-out", empty}, "seeds = 0: want at least 1 seed"},
		{[]string{"train", "-seeds", "4,4", "-out", empty}, "regnb: seed = 4 given twice"},
		{[]string{"sweep", "-out", empty}, "sweep: empty grid: no λ to try (-lambda 1e-5,1e-4,…)"},
		{[]string{"sweep", "-lambda", "1e-4,-1", "-out", empty}, "sweep: λ = -1: l1 = -1: must be ≥ 0"},
		{[]string{"sweep", "-lambda", "NaN", "-penalty", "l2", "-out", empty}, "sweep: λ = NaN: l2 = NaN: must be a number, not NaN"},
		{[]string{"sweep", "-lambda", "1e-4,x", "-out", empty}, `lambda = "1e-4,x": "x" is not a number`},
		{[]string{"sweep", "-lambda", "1e-4", "-validation", "60000", "-out", empty}, "validation = 60000: not smaller than the training set (60000 examples)"},
		{[]string{"sweep", "-lambda", "1e-4", "-validation", "0", "-out", empty}, "validation = 0: a sweep chooses on a validation split"},
		{[]string{"sweep", "-lambda", "1e-4", "-jobs", "0", "-out", empty}, "jobs = 0: want at least 1"},
		{[]string{"sweep", "-lambda", "1e-4", "-out", filepath.Join(file, "out")}, "output directory " + filepath.Join(file, "out") + ": cannot create it"},
		{[]string{"sweep", "-lambda", "1e-4", "-l1", "1", "-out", empty}, "sweep: -l1 is what -lambda sets (with -penalty): remove it"},
		{[]string{"sweep", "-lambda", "1e-4", "-penalty", "l1,l2", "-vary", "proximal=true", "-out", empty}, "a grid has λ and one more axis"},
		{[]string{"sweep", "-lambda", "1e-4", "-penalty", "l3", "-out", empty}, `sweep: unknown penalty "l3"`},
		{[]string{"sweep", "-lambda", "1e-4", "-vary", "l2=1", "-out", empty}, "sweep: l2 cannot be the second axis: it is set by λ"},
		{[]string{"sweep", "-lambda", "1e-4", "-index", "1", "-out", empty}, "sweep: index = 1: the grid has runs 0 to 0"},
		{[]string{"sweep", "-lambda", "1e-4", "-collect", "-out", empty}, "sweep: 1 of 1 runs have not finished: " + filepath.Join(empty, "l1-lambda-0.0001", "seed-42") + " (no run)"},
	} {
		t.Run(strings.Join(tc.args, " "), func(t *testing.T) {
			code, _, stderr := cli(tc.args...)
			assert.Equal(t, 1, code, stderr)
			assert.Contains(t, stderr, tc.want)
			assert.Equal(t, 1, strings.Count(strings.TrimSpace(stderr), "\n")+1, "one line: %q", stderr)
			assert.NotContains(t, stderr, "panic")
			assert.NotContains(t, stderr, "goroutine")
		})
	}
}

func TestUsage(t *testing.T) {
	code, _, stderr := cli()
	assert.Equal(t, 2, code)
	assert.Contains(t, stderr, "Usage:")
	code, _, stderr = cli("fly")
	assert.Equal(t, 2, code)
	assert.Contains(t, stderr, `unknown command "fly"`)
	code, _, stderr = cli("train", "-no-such-flag")
	assert.Equal(t, 2, code)
	assert.Contains(t, stderr, "flag provided but not defined: -no-such-flag")
	code, _, stderr = cli("train", "-batch", "ten")
	assert.Equal(t, 2, code)
	assert.Contains(t, stderr, `invalid value "ten" for flag -batch`)
	code, _, stderr = cli("compare")
	assert.Equal(t, 2, code)
	assert.Contains(t, stderr, "-out DIR is required")
	code, _, stderr = cli("sweep", "-lambda", "1")
	assert.Equal(t, 2, code)
	assert.Contains(t, stderr, "regnb sweep: -out DIR is required")
	code, _, stderr = cli("train", "-seeds", "3")
	assert.Equal(t, 2, code)
	assert.Contains(t, stderr, "regnb train: -seeds needs -out DIR")

	// -h explains every flag with its default.
	code, _, stderr = cli("train", "-h")
	assert.Equal(t, 0, code)
	for _, flag := range []string{"-example", "-l1", "-l2", "-weight-decay", "-adamw", "-alpha", "-l1-ratio", "-proximal",
		"-penalize", "-epochs", "-batch", "-lr", "-seed", "-max-steps", "-log-every", "-backend", "-data", "-out", "-resume"} {
		assert.Regexp(t, `(?m)^  `+flag+`( |$)`, stderr, flag)
	}
	assert.Contains(t, stderr, "(default 500)")
}

func TestTrainPrintsTheTutorialsLog(t *testing.T) {
	out := t.TempDir()
	code, stdout, stderr := cli("train", "-example", "l1", "-max-steps", "200", "-log-every", "100", "-test-limit", "500", "-out", out)
	require.Equal(t, 0, code, stderr)
	lines := strings.Split(stdout, "\n")
	assert.Equal(t, "Starting epoch 1", lines[0])
	assert.Regexp(t, `^Loss after mini-batch   100: \d+\.\d{5} \(of which \d+\.\d{5} L1 loss\)$`, lines[1])
	assert.Regexp(t, `^Loss after mini-batch   200: `, lines[2])
	assert.Equal(t, "Training process has finished.", lines[3])
	assert.Regexp(t, `(?m)^Time: 200 steps in .* on backend \S+, kernels: \S.*$`, stdout)
	for _, f := range []string{"history.json", "history.csv", "loss.svg", "loss.png", "weights.svg", "checkpoint"} {
		_, err := os.Stat(filepath.Join(out, f))
		assert.NoError(t, err, f)
	}
}

func TestExplicitFlagsOverrideTheExample(t *testing.T) {
	parse := func(example string, args ...string) settings.Config {
		t.Helper()
		c := newCommand("train", &bytes.Buffer{}, func(*flag.FlagSet, *command) {})
		require.NoError(t, c.parse(args))
		cfg, err := c.config(example, args)
		require.NoError(t, err)
		return cfg
	}
	cfg := parse("elastic-net", "-l1", "0.01", "-epochs", "2")
	assert.Equal(t, 0.01, cfg.L1)
	assert.Equal(t, 0.7, cfg.L2) // The example's.
	assert.Equal(t, 2, cfg.Epochs)
	assert.Equal(t, 10, cfg.BatchSize)

	cfg = parse("elastic-net", "-alpha", "0.01", "-l1-ratio", "0.2")
	assert.Equal(t, [2]float64{0, 0}, [2]float64{cfg.L1, cfg.L2}, "-alpha replaces the example's l1 and l2")
	assert.Equal(t, 0.2, cfg.L1Ratio)

	cfg = parse("l1", "-l1", "0")
	assert.Equal(t, 0.0, cfg.L1, "a flag given with the zero value still overrides")
}

// TestResumeRefusesWhatItCannotHonour: -resume names each setting whose
// value it cannot honour, with both values; it takes the original command
// line back (the same values), and honours -epochs.
func TestResumeRefusesWhatItCannotHonour(t *testing.T) {
	out := t.TempDir()
	original := []string{"train", "-example", "l1", "-l1", "1e-4", "-train-limit", "200", "-epochs", "1",
		"-log-every", "10", "-test-limit", "100", "-out", out}
	code, _, stderr := cli(original...)
	require.Equal(t, 0, code, stderr)

	other := t.TempDir()
	code, _, stderr = cli("train", "-resume", out, "-lr", "0.1", "-l1", "1e-4", "-out", other, "-epochs", "2")
	assert.Equal(t, 1, code)
	assert.Contains(t, stderr, "cannot change out (the run is in "+out+", given "+other+"), lr (saved 0.0001, given 0.1) of a saved run "+
		"(a resume may change epochs, max-steps, log-every, backend, steps-per-call, data)")
	code, _, stderr = cli("train", "-resume", out, "-example", "l2")
	assert.Equal(t, 1, code)
	assert.Contains(t, stderr, "cannot change example (saved l1, given l2)")

	// The original command line with -resume added and more epochs.
	code, stdout, stderr := cli(append(append(original, "-resume", out), "-epochs", "2")...)
	require.Equal(t, 0, code, stderr)
	assert.True(t, strings.HasPrefix(stdout, "Starting epoch 2\n"), stdout)
	raw, err := os.ReadFile(filepath.Join(out, "history.json"))
	require.NoError(t, err)
	assert.Contains(t, string(raw), `"steps_done": 40`)
}

// TestCtrlCSavesAndResumes sends a real SIGINT during training: the history
// and a checkpoint are written, the exit status is 130, and -resume finishes
// the run.
func TestCtrlCSavesAndResumes(t *testing.T) {
	out := t.TempDir()
	type result struct {
		code   int
		stderr string
	}
	done := make(chan result, 1)
	go func() {
		code, _, stderr := cli("train", "-example", "l1", "-l1", "1e-4", "-train-limit", "3000", "-epochs", "1",
			"-log-every", "20", "-test-limit", "200", "-out", out)
		done <- result{code, stderr}
	}()
	history := filepath.Join(out, "history.json")
	for deadline := time.Now().Add(2 * time.Minute); ; time.Sleep(5 * time.Millisecond) {
		if _, err := os.Stat(history); err == nil {
			break
		}
		require.True(t, time.Now().Before(deadline), "no history written")
	}
	require.NoError(t, syscall.Kill(os.Getpid(), syscall.SIGINT))
	r := <-done
	require.Equal(t, 130, r.code, r.stderr)
	assert.Regexp(t, `^regnb: training interrupted at step \d+; history and checkpoint saved in .* \(continue with -resume .*\)\n$`, r.stderr)

	code, stdout, stderr := cli("train", "-resume", out)
	require.Equal(t, 0, code, stderr)
	assert.Contains(t, stdout, "Training process has finished.")
	raw, err := os.ReadFile(history)
	require.NoError(t, err)
	assert.Contains(t, string(raw), `"steps_done": 300`)
	assert.Contains(t, string(raw), `"status": "finished"`)
}
