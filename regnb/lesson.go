package regnb

import (
	"context"
	"fmt"
	"strings"

	"github.com/gomlx/gomlx/core/graph"

	"github.com/regnb/regnb/regnb/run"
	"github.com/regnb/regnb/regularizers"
)

// What a notebook needs to write the training step by hand and compare it
// with the engine's: the engine's own data loss and mini-batch order (one
// home each), and the engine's log lines for the same settings.

// CrossEntropy is the training step's data loss, PyTorch's
// nn.CrossEntropyLoss: the mean over the mini-batch of −log softmax(logits)[label]
// (see run.CrossEntropy).
func CrossEntropy(logits, labels *graph.Node) *graph.Node { return run.CrossEntropy(logits, labels) }

// EpochOrder returns the order in which epoch (1-based) of a run with seed
// visits n training examples, as the engine shuffles them (see run.EpochOrder).
func EpochOrder(seed uint64, epoch, n int) []int { return run.EpochOrder(seed, epoch, n) }

// LossLines trains cfg as Train does, without a progress bar, an output
// directory or the test set, and returns the "Loss after mini-batch …" lines of its
// log (what a cell compares a hand-written training loop with) and its
// History.
func LossLines(cfg Config, opts ...Option) ([]string, *History, error) {
	var log strings.Builder
	cfg.OutDir, cfg.NoTest = "", true
	defaults := []Option{run.WithProgress(run.NoProgress{}), run.WithLog(&log)}
	h, err := run.Train(context.Background(), cfg, append(defaults, opts...)...)
	if err != nil {
		return nil, h, err
	}
	var lines []string
	for _, line := range strings.Split(log.String(), "\n") {
		if strings.HasPrefix(line, "Loss after mini-batch") {
			lines = append(lines, line)
		}
	}
	return lines, h, nil
}

// ComparePenalty checks a penalty written by hand against the engine's: it
// trains cfg for its first n mini-batches twice, once with byHand as the
// penalty (WithPenalty) and once with the one the engine builds from cfg's
// settings (Penalty), prints the log lines of the first, and checks that the
// two print the same lines (AssertSameLines).
func ComparePenalty(name string, cfg Config, n int, byHand regularizers.Regularizer) {
	cfg.MaxSteps, cfg.LogEvery = n, min(n, 500)
	mine, _, err := LossLines(cfg, WithPenalty(byHand))
	Check(err)
	engine, _, err := LossLines(cfg)
	Check(err)
	fmt.Println(strings.Join(mine, "\n"))
	AssertSameLines(name, "the engine's penalty", mine, engine)
}

// AssertSameLines checks that two logs have the same lines, one by one: it
// prints "✓" with how many, or stops the cell with the first line that
// differs. mine and theirs name the two logs in the message.
func AssertSameLines(mine, theirs string, a, b []string) {
	for i := range min(len(a), len(b)) {
		if a[i] != b[i] {
			Assert(false, "%s and %s differ at line %d:\n  %s\n  %s", mine, theirs, i+1, a[i], b[i])
		}
	}
	Assert(len(a) == len(b) && len(a) > 0, "%s and %s print the same %d log lines", mine, theirs, len(a))
}

// AssertInFullMode is Assert for a claim about full mode's runs: in quick
// mode, whose shorter runs do not support it, it says so instead of checking.
func AssertInFullMode(ok bool, format string, args ...any) {
	if QuickMode() {
		fmt.Println("(quick mode: not checked) " + fmt.Sprintf(format, args...))
		return
	}
	Assert(ok, format, args...)
}
