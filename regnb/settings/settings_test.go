package settings_test

import (
	"flag"
	"math"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/regnb/regnb/regnb/settings"
)

func TestPresets(t *testing.T) {
	l1 := settings.MustPreset("l1")
	assert.Equal(t, 1.0, l1.L1)
	assert.Equal(t, []int{64, 32}, l1.Hidden)
	assert.Equal(t, 10, l1.BatchSize)
	assert.Equal(t, 1e-4, l1.LR)
	assert.Equal(t, 5, l1.Epochs)
	assert.Equal(t, uint64(42), l1.Seed)
	assert.Equal(t, 500, l1.LogEvery)
	assert.Equal(t, "all", l1.Penalize)
	assert.Equal(t, 1.0, settings.MustPreset("l2").L2)
	assert.Equal(t, 1.0, settings.MustPreset("weight-decay").WeightDecay)
	en := settings.MustPreset("elastic-net")
	assert.Equal(t, [2]float64{0.3, 0.7}, [2]float64{en.L1, en.L2})
	for _, name := range settings.Examples {
		require.NoError(t, settings.MustPreset(name).Validate(), name)
	}
	_, err := settings.Preset("l3")
	assert.EqualError(t, err, `unknown example "l3": want one of none, l1, l2, weight-decay, elastic-net`)
}

func TestValidateNamesSettingAndValue(t *testing.T) {
	nan, inf := math.NaN(), math.Inf(1)
	for _, tc := range []struct {
		name string
		edit func(*settings.Config)
		want string
	}{
		{"negative l1", func(c *settings.Config) { c.L1 = -1 }, "l1 = -1: must be ≥ 0"},
		{"NaN l1", func(c *settings.Config) { c.L1 = nan }, "l1 = NaN: must be a number, not NaN"},
		{"infinite l2", func(c *settings.Config) { c.L2 = inf }, "l2 = +Inf: must be finite"},
		{"negative elastic l2", func(c *settings.Config) { c.L1, c.L2 = 0.3, -0.7 }, "l2 = -0.7: must be ≥ 0"},
		{"negative weight decay", func(c *settings.Config) { c.WeightDecay = -1 }, "weight-decay = -1: must be ≥ 0"},
		{"NaN adamw", func(c *settings.Config) { c.AdamW = nan }, "adamw = NaN"},
		{"l1 ratio above 1", func(c *settings.Config) { c.L1, c.Alpha, c.L1Ratio = 0, 1, 1.5 }, "l1-ratio = 1.5: must be in [0, 1]"},
		{"l1 ratio below 0", func(c *settings.Config) { c.L1Ratio = -0.1 }, "l1-ratio = -0.1: must be in [0, 1]"},
		{"negative alpha", func(c *settings.Config) { c.L1, c.Alpha = 0, -2 }, "alpha = -2: must be ≥ 0"},
		{"alpha with l1", func(c *settings.Config) { c.Alpha, c.L1 = 1, 1 }, "give either alpha and l1-ratio, or l1 and l2"},
		{"group lasso", func(c *settings.Config) { c.GroupLasso = -1 }, "group-lasso = -1: must be ≥ 0"},
		{"group lasso, kernels", func(c *settings.Config) { c.GroupLasso, c.Penalize = 0.1, "kernels" }, `group-lasso = 0.1 with penalize = "kernels"`},
		{"zero epochs", func(c *settings.Config) { c.Epochs = 0 }, "epochs = 0: must be at least 1"},
		{"zero batch", func(c *settings.Config) { c.BatchSize = 0 }, "batch = 0: must be at least 1"},
		{"zero lr", func(c *settings.Config) { c.LR = 0 }, "lr = 0: must be > 0"},
		{"NaN lr", func(c *settings.Config) { c.LR = nan }, "lr = NaN: must be a number, not NaN"},
		{"lr below float32", func(c *settings.Config) { c.LR = 1e-300 }, "lr = 1e-300: rounds to 0 in float32"},
		{"negative max steps", func(c *settings.Config) { c.MaxSteps = -1 }, "max-steps = -1: must be ≥ 0 (0: no limit)"},
		{"negative steps per call", func(c *settings.Config) { c.StepsPerCall = -3 }, "steps-per-call = -3: must be ≥ 0"},
		{"zero log every", func(c *settings.Config) { c.LogEvery = 0 }, "log-every = 0: must be at least 1"},
		{"dropout 1", func(c *settings.Config) { c.Dropout = 1 }, "dropout = 1: must be in [0, 1)"},
		{"negative dropout", func(c *settings.Config) { c.Dropout = -0.1 }, "dropout = -0.1: must be in [0, 1)"},
		{"negative max-norm", func(c *settings.Config) { c.MaxNorm = -2 }, "max-norm = -2: must be ≥ 0"},
		{"NaN max-norm", func(c *settings.Config) { c.MaxNorm = nan }, "max-norm = NaN: must be a number, not NaN"},
		{"bad hidden", func(c *settings.Config) { c.Hidden = []int{64, 0} }, "hidden = [64 0]: layer 2 has size 0"},
		{"bad penalize", func(c *settings.Config) { c.Penalize = "weights" }, `penalize = "weights": want all or kernels`},
		{"unknown example", func(c *settings.Config) { c.Example = "l3" }, `unknown example "l3"`},
		{"negative layer factor", func(c *settings.Config) { c.GroupLasso, c.GroupLassoLayers = 1e-3, []float64{1, -4} },
			"group-lasso-layers = [1 -4]: factor 2 is -4: want a finite number ≥ 0"},
		{"NaN layer factor", func(c *settings.Config) { c.GroupLasso, c.GroupLassoLayers = 1e-3, []float64{nan} }, "factor 1 is NaN"},
		{"layer factors for 3 layers", func(c *settings.Config) { c.GroupLasso, c.GroupLassoLayers = 1e-3, []float64{1, 2, 3} },
			"group-lasso-layers has 3 factors for 2 hidden layers"},
		{"negative prune-finetune", func(c *settings.Config) { c.PruneFinetune = -1 }, "prune-finetune = -1: must be ≥ 0 (0: none)"},
		{"prune-finetune all epochs", func(c *settings.Config) { c.PruneFinetune = 5 },
			"prune-finetune = 5 with epochs = 5: leave at least one epoch before pruning"},
		{"negative prune-floor", func(c *settings.Config) { c.PruneFinetune, c.PruneFloor = 2, -0.1 }, "prune-floor = -0.1: must be ≥ 0"},
		{"prune-floor alone", func(c *settings.Config) { c.PruneFloor = 0.05 }, "prune-floor = 0.05 without prune-finetune"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			cfg := settings.MustPreset("l1")
			tc.edit(&cfg)
			err := cfg.Validate()
			require.Error(t, err)
			assert.Contains(t, err.Error(), tc.want)
		})
	}
}

// Every exported field is declared once: a JSON name, a flag (or "-"), a
// help for each flag; the flags, the JSON names and the resumable set below
// are all derived from those tags.
func TestEachSettingDeclaredOnce(t *testing.T) {
	flags, jsons := map[string]bool{}, map[string]bool{}
	for _, s := range settings.Settings() {
		require.NotEmpty(t, s.JSON, s.Field)
		assert.False(t, jsons[s.JSON], "JSON name %s twice", s.JSON)
		jsons[s.JSON] = true
		if s.Flag == "" {
			continue
		}
		assert.False(t, flags[s.Flag], "flag %s twice", s.Flag)
		flags[s.Flag] = true
		assert.NotEmpty(t, s.Help, s.Flag)
		got, ok := settings.ByFlag(s.Flag)
		require.True(t, ok)
		assert.Equal(t, s.JSON, got.JSON)
	}
	assert.Equal(t, []string{"epochs", "max-steps", "log-every", "backend", "steps-per-call", "data"}, settings.Resumable())
	// Each setting's flag parses the value Format writes.
	cfg := settings.MustPreset("elastic-net")
	cfg.Hidden, cfg.Proximal, cfg.Seed = []int{8, 4}, true, 7
	cfg.GroupLassoLayers, cfg.PruneFinetune, cfg.PruneFloor = []float64{1, 4.5}, 2, 0.05
	var back settings.Config
	for _, s := range settings.Settings() {
		require.NoError(t, s.Set(&back, s.Format(cfg)), s.Field)
	}
	assert.Equal(t, cfg, back)
	var c settings.Config
	s, _ := settings.ByFlag("lr")
	assert.EqualError(t, s.Set(&c, "fast"), `lr = "fast": invalid syntax`)
}

func TestChanges(t *testing.T) {
	a := settings.MustPreset("l1")
	b := a
	b.Epochs, b.L1, b.Hidden = 3, 0.5, []int{64, 16}
	var names []string
	for _, s := range settings.Changes(a, b) {
		names = append(names, s.Name())
	}
	assert.Equal(t, []string{"l1", "hidden", "epochs"}, names)
}

func TestLabel(t *testing.T) {
	for want, cfg := range map[string]settings.Config{
		"no penalty":                      settings.MustPreset("none"),
		"L1, λ = 1":                       settings.MustPreset("l1"),
		"Elastic Net, λ1 = 0.3, λ2 = 0.7": settings.MustPreset("elastic-net"),
		"weight decay 1":                  settings.MustPreset("weight-decay"),
	} {
		assert.Equal(t, want, cfg.Label())
	}
	c := settings.MustPreset("none")
	c.L1, c.Proximal = 0.05, true
	assert.Equal(t, "proximal L1, λ = 0.05", c.Label())
	c = settings.MustPreset("none")
	c.Alpha, c.L1Ratio, c.Penalize = 1e-4, 0.5, "kernels"
	assert.Equal(t, "Elastic Net, α = 1e-4, ρ = 0.5, kernels only", c.Label())
	c = settings.MustPreset("none")
	c.GroupLasso, c.GroupLassoOutgoing, c.Proximal, c.AdamW = 2e-3, true, true, 0.5
	assert.Equal(t, "group lasso, λ = 2e-3 (proximal, with outgoing weights) + AdamW decay 0.5", c.Label())
	c = settings.MustPreset("l2")
	c.L2, c.Dropout, c.MaxNorm = 1e-3, 0.2, 3
	assert.Equal(t, "L2, λ = 1e-3 + dropout 0.2 + max-norm 3", c.Label())
	c = settings.MustPreset("none")
	c.GroupLasso, c.GroupLassoLayers = 1e-3, []float64{1, 4}
	assert.Equal(t, "group lasso, λ = 1e-3 (layers ×1, ×4)", c.Label())
	c.Epochs, c.PruneFinetune, c.PruneFloor = 5, 3, 0.05
	assert.Equal(t, "group lasso, λ = 1e-3 (layers ×1, ×4), then pruned (units < 0.05) and fine-tuned 3 epochs", c.Label())
	c = settings.MustPreset("none")
	c.PruneFinetune = 2
	assert.Equal(t, "no penalty, then pruned and fine-tuned 2 epochs", c.Label())
	for x, want := range map[float64]string{9.999999999999999e-05: "1e-4", 1e-4: "1e-4", 2.5e-5: "2.5e-5", 0.3: "0.3", 1: "1", 0.001: "1e-3", 0.01: "0.01", 12345: "1.23e4", 1000: "1000", 1234: "1230", 250: "250"} {
		assert.Equal(t, want, settings.Number(x))
	}
}

// The flags of a FlagSet derived from the declarations, as cmd/regnb does.
func TestFlagsFromDeclarations(t *testing.T) {
	cfg := settings.MustPreset("l1")
	fs := flag.NewFlagSet("t", flag.ContinueOnError)
	settings.DeclareFlags(fs, &cfg)
	require.NoError(t, fs.Parse([]string{"-l1", "1e-4", "-hidden", "32,16", "-proximal", "-group-lasso-layers", "1, 2.5"}))
	assert.Equal(t, 1e-4, cfg.L1)
	assert.Equal(t, []int{32, 16}, cfg.Hidden)
	assert.Equal(t, []float64{1, 2.5}, cfg.GroupLassoLayers)
	assert.ErrorContains(t, fs.Parse([]string{"-group-lasso-layers", "1,x"}), `group-lasso-layers = "1,x": invalid syntax`)
	assert.ErrorContains(t, fs.Parse([]string{"-hidden", "64,1.5"}), `hidden = "64,1.5": invalid syntax`)
	assert.True(t, cfg.Proximal)
	var b strings.Builder
	fs.SetOutput(&b)
	fs.PrintDefaults()
	assert.Contains(t, b.String(), "-l1-ratio float")
	assert.Contains(t, b.String(), "(default 0.5)")
}
