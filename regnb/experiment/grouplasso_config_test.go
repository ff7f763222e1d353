package experiment_test

import (
	"math"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/regnb/regnb/regnb/experiment"
)

func TestGroupLassoConfig(t *testing.T) {
	cfg := experiment.MustPreset("none")
	cfg.GroupLasso = 0.1
	require.NoError(t, cfg.Validate())
	reg, err := cfg.Penalty()
	require.NoError(t, err)
	assert.NotNil(t, reg)
	cfg.Proximal = true
	require.NoError(t, cfg.Validate())

	for _, tc := range []struct {
		name string
		edit func(*experiment.Config)
		want string
	}{
		{"negative", func(c *experiment.Config) { c.GroupLasso = -1 }, "group-lasso = -1: must be ≥ 0"},
		{"NaN proximal", func(c *experiment.Config) { c.GroupLasso, c.Proximal = math.NaN(), true }, "group-lasso = NaN: must be a number"},
		{"infinite", func(c *experiment.Config) { c.GroupLasso = math.Inf(1) }, "group-lasso = +Inf: must be finite"},
		{"kernels only", func(c *experiment.Config) { c.GroupLasso, c.Penalize = 0.1, "kernels" }, `group-lasso = 0.1 with penalize = "kernels"`},
	} {
		t.Run(tc.name, func(t *testing.T) {
			cfg := experiment.MustPreset("none")
			tc.edit(&cfg)
			err := cfg.Validate()
			require.Error(t, err)
			assert.Contains(t, err.Error(), tc.want)
		})
	}

	h := &experiment.History{Config: experiment.MustPreset("none")}
	h.Config.GroupLasso, h.Config.GroupLassoOutgoing, h.Config.Proximal = 0.2, true, true
	assert.Equal(t, "none group-lasso=0.2 outgoing proximal", h.Name())
	assert.Equal(t, "23 of 64, 11 of 32", experiment.UnitsLine([]int{23, 11}, []int{64, 32}))
}
