package regnb_test

import (
	"path/filepath"
	"testing"

	"github.com/stretchr/testify/assert"

	"github.com/regnb/regnb/regnb"
)

func TestQuickMode(t *testing.T) {
	t.Setenv(regnb.QuickEnv, "")
	full := regnb.ForNotebook(regnb.MustPreset("l1"))
	assert.Equal(t, regnb.MustPreset("l1"), full)

	t.Setenv(regnb.QuickEnv, "1")
	quick := regnb.ForNotebook(regnb.MustPreset("l1"))
	assert.Equal(t, regnb.QuickSteps, quick.MaxSteps)
	assert.Equal(t, regnb.QuickLogEvery, quick.LogEvery)
	assert.Equal(t, 5, quick.Epochs, "the same cells, only shorter")

	assert.Equal(t, 100, regnb.FullOrQuick(1000, 100))

	t.Setenv(regnb.QuickEnv, "0")
	assert.False(t, regnb.QuickMode())
	assert.Equal(t, 1000, regnb.FullOrQuick(1000, 100))

	t.Setenv("GONB_DIR", "/nb")
	assert.Equal(t, filepath.Join("/nb", "runs", "l1"), regnb.RunDir("l1"))
	assert.Equal(t, "runs/small/no-penalty", regnb.Shown(regnb.RunDir("small/no-penalty")))
	t.Setenv(regnb.RunsEnv, "/tmp/out/runs")
	assert.Equal(t, "runs/small", regnb.Shown("/tmp/out/runs/small"), "no path of the machine in a saved notebook")
	assert.Equal(t, "/elsewhere/x", regnb.Shown("/elsewhere/x"))
}
