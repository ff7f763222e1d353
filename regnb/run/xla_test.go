//go:build xla

package run_test

import (
	"context"
	"math"
	"os"
	"path/filepath"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/regnb/regnb/internal/backend"
	"github.com/regnb/regnb/regnb/history"
	"github.com/regnb/regnb/regnb/run"
	"github.com/regnb/regnb/regnb/settings"
)

// requireXLACPU skips without an installed XLA CPU plugin, unless
// REGNB_REQUIRE_XLA=1 (make test sets it: set-up installs the plugin), where
// its absence fails.
func requireXLACPU(t *testing.T) {
	t.Helper()
	if _, err := backend.PluginInfo("cpu"); err != nil {
		if os.Getenv("REGNB_REQUIRE_XLA") == "1" {
			t.Fatalf("REGNB_REQUIRE_XLA=1 but %v", err)
		}
		t.Skipf("no usable XLA CPU plugin: %v", err)
	}
}

// The same run on xla:cpu and on the pure-Go backend: every logged loss and
// penalty term agrees to a relative 1e-4. Both compute in float32 but XLA
// fuses and reorders the sums (and uses its own exp and log), so they differ
// in the last bits of each step; over 40 Adam steps at lr 1e-3 those
// differences stay below ~1e-5 relative (measured), and 1e-4 leaves room
// while catching any real difference (a wrong gradient, a step applied
// twice, a mini-batch scaled otherwise changes the loss by percents).
func TestXLAMatchesTheGoBackend(t *testing.T) {
	requireXLACPU(t)
	cfg, d := small(t, "elastic-net")
	cfg.L1, cfg.L2 = 1e-3, 1e-3
	train := func(b string) *history.History {
		c := cfg
		c.Backend = b
		h, err := run.Train(context.Background(), c, run.WithData(d), run.WithLog(nil))
		require.NoError(t, err)
		return h
	}
	goRun, xlaRun := train("go"), train("xla:cpu")
	assert.Equal(t, "xla:cpu", xlaRun.Backend)
	assert.Regexp(t, `^xla:cpu \(.*PJRT C API 0\.\d+\)$`, xlaRun.Kernels)
	assert.Empty(t, xlaRun.BackendFallback)
	require.Equal(t, len(goRun.Steps), len(xlaRun.Steps))
	assert.Equal(t, goRun.Terms, xlaRun.Terms)
	close := func(a, b float64) bool { return math.Abs(a-b) <= 1e-4*math.Max(1e-6, math.Abs(a)) }
	for i, g := range goRun.Steps {
		x := xlaRun.Steps[i]
		assert.True(t, close(g.Total, x.Total) && close(g.Data, x.Data), "step %d: loss %v on go, %v on xla", g.Step, g.Total, x.Total)
		for k := range g.Terms {
			assert.True(t, close(g.Terms[k], x.Terms[k]), "step %d: %s %v on go, %v on xla", g.Step, goRun.Terms[k], g.Terms[k], x.Terms[k])
		}
	}
}

// On xla:cpu, checkpoints and resume: an interrupted run resumed ends as the
// uninterrupted one, bit for bit (the same compiled graphs on the same data).
func TestXLAInterruptAndResume(t *testing.T) {
	requireXLACPU(t)
	cfg, d := small(t, "l1")
	cfg.L1, cfg.Backend = 1e-3, "xla:cpu"
	want, _ := uninterrupted(t, cfg, d)
	cfg.OutDir = filepath.Join(t.TempDir(), "run")
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	_, err := run.Train(ctx, cfg, run.WithData(d), run.WithLog(nil), run.WithProgress(cancelAt{step: 25, cancel: cancel}))
	require.ErrorIs(t, err, run.ErrInterrupted)
	got, err := run.Train(context.Background(), settings.Config{}, run.WithResume(cfg.OutDir), run.WithData(d), run.WithLog(nil))
	require.NoError(t, err)
	assert.Equal(t, want.Steps, got.Steps)
	assert.Equal(t, want.Summary.TestAccuracy, got.Summary.TestAccuracy)
	assert.Equal(t, want.Summary.L1Norm, got.Summary.L1Norm)
}
