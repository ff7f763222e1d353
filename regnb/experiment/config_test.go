package experiment_test

import (
	"math"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/regnb/regnb/regnb/experiment"
)

func TestPresets(t *testing.T) {
	l1 := experiment.MustPreset("l1")
	assert.Equal(t, 1.0, l1.L1)
	assert.Equal(t, []int{64, 32}, l1.Hidden)
	assert.Equal(t, 10, l1.BatchSize)
	assert.Equal(t, 1e-4, l1.LR)
	assert.Equal(t, 5, l1.Epochs)
	assert.Equal(t, uint64(42), l1.Seed)
	assert.Equal(t, 500, l1.LogEvery)
	assert.Equal(t, "all", l1.Penalize)
	assert.Equal(t, 1.0, experiment.MustPreset("l2").L2)
	assert.Equal(t, 1.0, experiment.MustPreset("weight-decay").WeightDecay)
	en := experiment.MustPreset("elastic-net")
	assert.Equal(t, [2]float64{0.3, 0.7}, [2]float64{en.L1, en.L2})
	for _, name := range experiment.Examples {
		cfg := experiment.MustPreset(name)
		require.NoError(t, cfg.Validate(), name)
	}
	_, err := experiment.Preset("l3")
	assert.EqualError(t, err, `unknown example "l3": want one of none, l1, l2, weight-decay, elastic-net`)
}

func TestValidateNamesSettingAndValue(t *testing.T) {
	nan, inf := math.NaN(), math.Inf(1)
	for _, tc := range []struct {
		name string
		edit func(*experiment.Config)
		want string
	}{
		{"negative l1", func(c *experiment.Config) { c.L1 = -1 }, "l1 = -1: must be ≥ 0"},
		{"NaN l1", func(c *experiment.Config) { c.L1 = nan }, "l1 = NaN: must be a number"},
		{"infinite l2", func(c *experiment.Config) { c.L2 = inf }, "l2 = +Inf: must be finite"},
		{"negative elastic l2", func(c *experiment.Config) { c.L1, c.L2 = 0.3, -0.7 }, "l2 = -0.7: must be ≥ 0"},
		{"negative weight decay", func(c *experiment.Config) { c.WeightDecay = -1 }, "weight-decay = -1"},
		{"NaN adamw", func(c *experiment.Config) { c.AdamW = nan }, "adamw = NaN"},
		{"l1 ratio above 1", func(c *experiment.Config) { c.L1, c.Alpha, c.L1Ratio = 0, 1, 1.5 }, "l1-ratio = 1.5: must be in [0, 1]"},
		{"l1 ratio below 0", func(c *experiment.Config) { c.L1Ratio = -0.1 }, "l1-ratio = -0.1"},
		{"negative alpha", func(c *experiment.Config) { c.L1, c.Alpha = 0, -2 }, "alpha = -2"},
		{"alpha with l1", func(c *experiment.Config) { c.Alpha, c.L1 = 1, 1 }, "give either alpha and l1-ratio, or l1 and l2"},
		{"zero epochs", func(c *experiment.Config) { c.Epochs = 0 }, "epochs = 0: want at least 1"},
		{"zero batch", func(c *experiment.Config) { c.BatchSize = 0 }, "batch size = 0: want at least 1"},
		{"zero lr", func(c *experiment.Config) { c.LR = 0 }, "learning rate = 0"},
		{"NaN lr", func(c *experiment.Config) { c.LR = nan }, "learning rate = NaN"},
		{"negative max steps", func(c *experiment.Config) { c.MaxSteps = -1 }, "max steps = -1"},
		{"zero log every", func(c *experiment.Config) { c.LogEvery = 0 }, "log every = 0"},
		{"bad hidden", func(c *experiment.Config) { c.Hidden = []int{64, 0} }, "hidden layer 1 has size 0"},
		{"bad penalize", func(c *experiment.Config) { c.Penalize = "weights" }, `penalize = "weights"`},
		{"unknown example", func(c *experiment.Config) { c.Example = "l3" }, `unknown example "l3"`},
	} {
		t.Run(tc.name, func(t *testing.T) {
			cfg := experiment.MustPreset("l1")
			tc.edit(&cfg)
			err := cfg.Validate()
			require.Error(t, err)
			assert.Contains(t, err.Error(), tc.want)
		})
	}
}

func TestLogLine(t *testing.T) {
	// The tutorial's formats.
	assert.Equal(t, "Loss after mini-batch   500: 65.46844 (of which 63.18564 L1 loss)",
		experiment.LogLine(500, 65.468437, []string{"L1"}, []float64{63.185638}))
	assert.Equal(t, "Loss after mini-batch  6000: 2.93739 (of which 0.63481 L1 loss; 0.00000 L2 loss)",
		experiment.LogLine(6000, 2.937394, []string{"L1", "L2"}, []float64{0.634809, 0}))
	assert.Equal(t, "Loss after mini-batch  1000: 1.00388", experiment.LogLine(1000, 1.003875, nil, nil))
}
