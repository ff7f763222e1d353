package main

import (
	"bytes"
	"flag"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestGroupLassoFlags(t *testing.T) {
	c := newCommand("train", &bytes.Buffer{}, func(*flag.FlagSet, *command) {})
	args := []string{"-group-lasso", "0.2", "-group-lasso-outgoing", "-proximal"}
	require.NoError(t, c.parse(args))
	cfg, err := c.config("none", args)
	require.NoError(t, err)
	assert.Equal(t, 0.2, cfg.GroupLasso)
	assert.True(t, cfg.GroupLassoOutgoing)
	assert.True(t, cfg.Proximal)

	for _, tc := range []struct {
		args []string
		want string
	}{
		{[]string{"train", "-group-lasso", "-1"}, "group-lasso = -1: must be ≥ 0"},
		{[]string{"train", "-group-lasso", "NaN", "-proximal"}, "group-lasso = NaN: must be a number"},
		{[]string{"train", "-group-lasso", "0.1", "-penalize", "kernels"}, `group-lasso = 0.1 with penalize = "kernels"`},
	} {
		code, _, stderr := cli(tc.args...)
		assert.Equal(t, 1, code, stderr)
		assert.Contains(t, stderr, tc.want)
		assert.Equal(t, 1, strings.Count(strings.TrimSpace(stderr), "\n")+1, "one line: %q", stderr)
	}

	code, _, stderr := cli("train", "-h")
	assert.Equal(t, 0, code)
	assert.Regexp(t, `(?m)^  -group-lasso( |$)`, stderr)
	assert.Regexp(t, `(?m)^  -group-lasso-outgoing( |$)`, stderr)
}

func TestTrainPrintsTheUnitsKept(t *testing.T) {
	code, stdout, stderr := cli("train", "-group-lasso", "0.3", "-proximal", "-lr", "1e-3", "-max-steps", "300", "-log-every", "100", "-test-limit", "500")
	require.Equal(t, 0, code, stderr)
	assert.Regexp(t, `(?m)^Loss after mini-batch   100: \d+\.\d{5} \(of which \d+\.\d{5} GroupLasso loss\)$`, stdout)
	assert.Regexp(t, `(?m)^Units kept: \d+ of 64, \d+ of 32 \(hidden layers\)$`, stdout)
}

func TestPruneFinetuneFlags(t *testing.T) {
	for _, tc := range []struct {
		args []string
		want string
	}{
		{[]string{"train", "-prune-finetune", "5"}, "prune-finetune = 5 with epochs = 5: leave at least one epoch before pruning"},
		{[]string{"train", "-prune-floor", "0.1"}, "prune-floor = 0.1 without prune-finetune"},
		{[]string{"train", "-group-lasso", "1e-3", "-group-lasso-layers", "1,-4"}, "group-lasso-layers = [1 -4]: factor 2 is -4"},
		{[]string{"train", "-group-lasso", "1e-3", "-group-lasso-layers", "1,2,3"}, "group-lasso-layers has 3 factors for 2 hidden layers"},
		{[]string{"train", "-prune-finetune", "1", "-epochs", "2", "-max-steps", "100"}, "max-steps = 100 ends the run before it prunes, at step 6000"},
	} {
		code, _, stderr := cli(tc.args...)
		assert.Equal(t, 1, code, stderr)
		assert.Contains(t, stderr, tc.want)
		assert.Equal(t, 1, strings.Count(strings.TrimSpace(stderr), "\n")+1, "one line: %q", stderr)
	}
	code, _, stderr := cli("train", "-group-lasso-layers", "1,x")
	assert.Equal(t, 2, code, stderr)

	code, stdout, stderr := cli("train", "-group-lasso", "1e-3", "-group-lasso-layers", "1,4", "-prune-finetune", "1", "-prune-floor", "0.05",
		"-epochs", "2", "-train-limit", "3000", "-validation", "1000", "-batch", "100", "-lr", "3e-3", "-log-every", "10", "-test-limit", "500")
	require.Equal(t, 0, code, stderr)
	assert.Regexp(t, `(?m)^Pruned after epoch 1 \(step 30\): kept \d+ of 64, \d+ of 32 hidden units \(\d+ below the floor 0.05\), \d+ parameters; `+
		`validation accuracy 0\.\d{4} before, 0\.\d{4} after; fine-tuning 1 epoch without penalty$`, stdout)
	assert.Regexp(t, `(?m)^Loss after mini-batch    30: \d+\.\d{5} \(of which 0\.00000 GroupLasso loss\)$`, stdout)
	assert.Regexp(t, `(?m)^Pruned after epoch 1 .*; fine-tuned 30 steps$`, stdout)
}
