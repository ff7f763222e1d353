package sweep_test

import (
	"math"
	"path/filepath"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/regnb/regnb/regnb/settings"
	"github.com/regnb/regnb/regnb/sweep"
)

func TestPlanLaysOutTheGrid(t *testing.T) {
	dir := t.TempDir()
	p, err := sweep.NewPlan(sweep.Grid{Base: settings.Default(), Lambdas: []float64{1e-4, 1e-3},
		Vary: sweep.Axis{Setting: "proximal", Values: []string{"false", "true"}}, Seeds: []uint64{42, 43}, Dir: dir})
	require.NoError(t, err)
	require.Len(t, p.Points, 4)
	require.Len(t, p.Jobs, 8)
	assert.Equal(t, "l1-proximal-false-lambda-0.0001", p.Points[0].Key)
	assert.Equal(t, "proximal L1, λ = 1e-3", p.Points[3].Label)
	assert.Equal(t, []int{6, 7}, p.Points[3].Jobs)
	j := p.Jobs[7]
	assert.Equal(t, filepath.Join(dir, "l1-proximal-true-lambda-0.001", "seed-43"), j.Config.OutDir)
	assert.Equal(t, uint64(43), j.Config.Seed)
	assert.Equal(t, 1e-3, j.Config.L1)
	assert.True(t, j.Config.Proximal)
	assert.True(t, j.Config.NoTest, "a sweep's runs never evaluate the test set")
	assert.Equal(t, sweep.DefaultValidation, j.Config.Validation)

	p, err = sweep.NewPlan(sweep.Grid{Base: settings.Default(), Lambdas: []float64{0.01},
		Vary: sweep.Axis{Setting: sweep.PenaltyAxis, Values: []string{"l2", "elastic-net", "group-lasso"}}, Dir: dir})
	require.NoError(t, err)
	assert.Equal(t, []string{"L2, λ = 0.01", "Elastic Net, α = 0.01, ρ = 0.5", "group lasso, λ = 0.01"},
		[]string{p.Points[0].Label, p.Points[1].Label, p.Points[2].Label})
	assert.Equal(t, "elastic-net-lambda-0.01", p.Points[1].Key)
	assert.Equal(t, uint64(42), p.Jobs[0].Config.Seed, "the base's seed alone by default")
}

func TestPlanRefusesABadGrid(t *testing.T) {
	dir := t.TempDir()
	for _, tc := range []struct {
		name string
		grid sweep.Grid
		want string
	}{
		{"empty", sweep.Grid{Dir: dir}, "sweep: empty grid: no λ to try (-lambda 1e-5,1e-4,…)"},
		{"negative", sweep.Grid{Lambdas: []float64{1e-4, -1}, Dir: dir}, "sweep: λ = -1: l1 = -1: must be ≥ 0"},
		{"NaN", sweep.Grid{Lambdas: []float64{math.NaN()}, Dir: dir}, "sweep: λ = NaN: l1 = NaN: must be a number, not NaN"},
		{"infinite", sweep.Grid{Kind: "l2", Lambdas: []float64{math.Inf(1)}, Dir: dir}, "sweep: λ = +Inf: l2 = +Inf: must be finite"},
		{"twice", sweep.Grid{Lambdas: []float64{1e-4, 1e-4}, Dir: dir}, "sweep: λ = 1e-4 given twice"},
		{"seed twice", sweep.Grid{Lambdas: []float64{1}, Seeds: []uint64{1, 1}, Dir: dir}, "sweep: seed = 1 given twice"},
		{"no dir", sweep.Grid{Lambdas: []float64{1}}, "sweep: no directory for the runs (-out DIR)"},
		{"kind", sweep.Grid{Kind: "l3", Lambdas: []float64{1}, Dir: dir}, `sweep: unknown penalty "l3": want one of l1, l2, elastic-net, group-lasso`},
		{"empty axis", sweep.Grid{Lambdas: []float64{1}, Vary: sweep.Axis{Setting: "lr"}, Dir: dir}, "sweep: empty grid: the axis lr has no value"},
		{"axis λ sets", sweep.Grid{Lambdas: []float64{1}, Vary: sweep.Axis{Setting: "l2", Values: []string{"1"}}, Dir: dir}, "sweep: l2 cannot be the second axis: it is set by λ"},
		{"axis seeds set", sweep.Grid{Lambdas: []float64{1}, Vary: sweep.Axis{Setting: "seed", Values: []string{"1"}}, Dir: dir}, "sweep: seed cannot be the second axis: it is set by the seeds (-seeds)"},
		{"unknown axis", sweep.Grid{Lambdas: []float64{1}, Vary: sweep.Axis{Setting: "rho", Values: []string{"1"}}, Dir: dir}, `sweep: no setting "rho" to vary`},
		{"bad value", sweep.Grid{Lambdas: []float64{1}, Vary: sweep.Axis{Setting: "proximal", Values: []string{"maybe"}}, Dir: dir}, `sweep: proximal = "maybe": invalid syntax`},
		{"bad ratio", sweep.Grid{Kind: "elastic-net", Lambdas: []float64{1}, Vary: sweep.Axis{Setting: "l1-ratio", Values: []string{"2"}}, Dir: dir}, "sweep: λ = 1: l1-ratio = 2: must be in [0, 1]"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			if tc.grid.Base.BatchSize == 0 {
				tc.grid.Base = settings.Default()
			}
			_, err := sweep.NewPlan(tc.grid)
			require.Error(t, err)
			assert.Contains(t, err.Error(), tc.want)
		})
	}
}
