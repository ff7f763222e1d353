package data_test

import (
	"slices"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/regnb/regnb/regnb/data"
	"github.com/regnb/regnb/regnb/data/datatest"
)

// imageKey identifies an example by its pixels and label.
func imageKey(ds *data.Set, i int) string {
	p := ds.Rows * ds.Cols
	return string(ds.Pixels[i*p:(i+1)*p]) + string(rune(ds.Labels[i]))
}

// TestSplit: the two parts partition the set (every example once, with its
// label), the seed decides which examples are held out, and the set itself
// is unchanged.
func TestSplit(t *testing.T) {
	d := datatest.Load(t, 200, 6)
	original := slices.Clone(d.Train.Pixels)
	train, val, err := d.Train.Split(50, 7)
	require.NoError(t, err)
	assert.Equal(t, 150, train.N)
	assert.Equal(t, 50, val.N)
	assert.Len(t, val.Pixels, 50*36)
	assert.Len(t, train.Labels, 150)
	assert.Equal(t, original, d.Train.Pixels, "the set is unchanged")

	count := map[string]int{}
	for i := range d.Train.N {
		count[imageKey(d.Train, i)]++
	}
	for _, part := range []*data.Set{train, val} {
		for i := range part.N {
			count[imageKey(part, i)]--
		}
	}
	for k, c := range count {
		require.Zero(t, c, "example %q", k)
	}

	again, _, err := d.Train.Split(50, 7)
	require.NoError(t, err)
	assert.Equal(t, train.Pixels, again.Pixels, "the same seed, the same split")
	_, other, err := d.Train.Split(50, 8)
	require.NoError(t, err)
	assert.NotEqual(t, val.Labels, other.Labels, "another seed holds out other examples")

	for _, n := range []int{0, -1, 200, 201} {
		_, _, err := d.Train.Split(n, 7)
		assert.ErrorContains(t, err, "want between 1 and 199 (the set has 200)", n)
	}
}
