package run_test

import (
	"context"
	"math"
	"testing"

	"github.com/gomlx/gomlx/ml/model"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/regnb/regnb/layers"
	"github.com/regnb/regnb/regnb/run"
)

// Dropout and max-norm in a run: the same seed gives the same run, another
// seed another one; every unit's incoming weights end within the bound, and
// the summary counts those at it.
func TestDropoutAndMaxNormInARun(t *testing.T) {
	cfg, d := small(t, "none")
	cfg.Dropout, cfg.MaxNorm = 0.3, 0.5
	store := model.NewStore()
	a, err := run.Train(context.Background(), cfg, run.WithData(d), run.WithLog(nil), run.WithModel(store))
	require.NoError(t, err)
	b, err := run.Train(context.Background(), cfg, run.WithData(d), run.WithLog(nil))
	require.NoError(t, err)
	assert.Equal(t, a.Steps, b.Steps, "the same masks from the same seed")
	cfg.Dropout = 0
	c, err := run.Train(context.Background(), cfg, run.WithData(d), run.WithLog(nil))
	require.NoError(t, err)
	assert.NotEqual(t, a.Steps[0].Data, c.Steps[0].Data, "dropout changes the training loss")

	net, err := layers.NetworkOf(store)
	require.NoError(t, err)
	dense, err := net.Layers()
	require.NoError(t, err)
	atBound := 0
	for _, l := range dense {
		for _, row := range l.W {
			sq := 0.0
			for _, w := range row {
				sq += float64(w) * float64(w)
			}
			assert.LessOrEqual(t, math.Sqrt(sq), 0.5*(1+1e-5))
			if math.Sqrt(sq) > 0.5*(1-1e-4) {
				atBound++
			}
		}
	}
	assert.Positive(t, a.Summary.MaxNormClipped)
	assert.Equal(t, atBound, a.Summary.MaxNormClipped)
}
