package run_test

import (
	"context"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/regnb/regnb/regnb/history"
	"github.com/regnb/regnb/regnb/run"
	"github.com/regnb/regnb/regnb/settings"
	"github.com/regnb/regnb/regularizers"
)

// WithPenalty trains with the regularizer given, not with the one the
// Config's fields describe: ElasticNetAlpha(α, ρ) itself, against the fields
// λ1 = αρ, λ2 = α(1−ρ)/2 (ElasticNet), gives the same run to the bit, and a
// different regularizer a different run.
func TestWithPenalty(t *testing.T) {
	cfg, d := small(t, "elastic-net")
	train := func(cfg settings.Config, opts ...run.Option) *history.History {
		h, err := run.Train(context.Background(), cfg, append(opts, run.WithData(d), run.WithLog(nil))...)
		require.NoError(t, err)
		return h
	}
	byLambdas := cfg
	byLambdas.L1, byLambdas.L2 = 0.1, 0.05
	byAlpha := cfg
	byAlpha.L1, byAlpha.L2, byAlpha.Alpha, byAlpha.L1Ratio = 0, 0, 0.2, 0.5
	a := train(byAlpha, run.WithPenalty(regularizers.Must(regularizers.ElasticNetAlpha(0.2, 0.5))))
	l := train(byLambdas)
	require.NotEmpty(t, a.Steps)
	assert.Equal(t, l.Steps, a.Steps)
	assert.Equal(t, l.Summary.L1Norm, a.Summary.L1Norm)

	other := train(byAlpha, run.WithPenalty(regularizers.Must(regularizers.L2(0.3))))
	assert.Equal(t, []string{"L2"}, other.Terms, "the penalty given, not the fields'")
	assert.NotEqual(t, a.Summary.L1Norm, other.Summary.L1Norm)
}
