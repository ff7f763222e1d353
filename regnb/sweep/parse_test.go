package sweep_test

import (
	"math"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/regnb/regnb/regnb/sweep"
)

func TestParse(t *testing.T) {
	seeds, err := sweep.ParseSeeds("42,7,43", 1)
	require.NoError(t, err)
	assert.Equal(t, []uint64{42, 7, 43}, seeds)
	seeds, err = sweep.ParseSeeds("3", 42)
	require.NoError(t, err)
	assert.Equal(t, []uint64{42, 43, 44}, seeds, "a single number is a count from -seed")
	for text, want := range map[string]string{
		"0": "seeds = 0: want at least 1 seed", "1,1": "seed = 1 given twice", "a,b": `seeds = "a,b": want seeds`, "": `seeds = ""`,
	} {
		_, err := sweep.ParseSeeds(text, 42)
		assert.ErrorContains(t, err, want, text)
	}

	l, err := sweep.ParseLambdas("1e-5, 0.001,NaN,-1")
	require.NoError(t, err)
	require.Len(t, l, 4)
	assert.Equal(t, []float64{1e-5, 0.001}, l[:2])
	assert.True(t, math.IsNaN(l[2]), "read here, refused by NewPlan")
	l, err = sweep.ParseLambdas(" ")
	require.NoError(t, err)
	assert.Empty(t, l, "an empty grid, refused by NewPlan")
	_, err = sweep.ParseLambdas("1e-4,x")
	assert.EqualError(t, err, `lambda = "1e-4,x": "x" is not a number`)

	a, err := sweep.ParseAxis("proximal=false, true")
	require.NoError(t, err)
	assert.Equal(t, sweep.Axis{Setting: "proximal", Values: []string{"false", "true"}}, a)
	_, err = sweep.ParseAxis("proximal")
	assert.ErrorContains(t, err, "want SETTING=VALUE,VALUE")
	a, err = sweep.ParseAxis("lr=")
	require.NoError(t, err)
	assert.Empty(t, a.Values, "an empty axis, refused by NewPlan")
}
