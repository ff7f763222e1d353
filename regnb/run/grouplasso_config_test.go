package run_test

import (
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/regnb/regnb/regnb/history"
	"github.com/regnb/regnb/regnb/run"
	"github.com/regnb/regnb/regnb/settings"
)

func TestPenaltyOfConfig(t *testing.T) {
	cfg := settings.MustPreset("none")
	reg, err := run.Penalty(cfg)
	require.NoError(t, err)
	assert.Nil(t, reg, "no penalty")
	cfg.GroupLasso = 0.1
	reg, err = run.Penalty(cfg)
	require.NoError(t, err)
	assert.NotNil(t, reg)
	cfg.Proximal = true
	_, err = run.Penalty(cfg)
	require.NoError(t, err)
	cfg.Penalize = "kernels"
	_, err = run.Penalty(cfg)
	assert.ErrorContains(t, err, `group-lasso = 0.1 with penalize = "kernels"`, "an invalid configuration is refused")

	h := &history.History{Config: settings.MustPreset("none")}
	h.Config.GroupLasso, h.Config.GroupLassoOutgoing, h.Config.Proximal = 0.2, true, true
	assert.Equal(t, "group lasso, λ = 0.2 (proximal, with outgoing weights)", h.Name())
	assert.Equal(t, "23 of 64, 11 of 32", history.UnitsLine([]int{23, 11}, []int{64, 32}))
}
