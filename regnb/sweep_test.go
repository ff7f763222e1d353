package regnb_test

import (
	"context"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/regnb/regnb/regnb"
	"github.com/regnb/regnb/regnb/data/datatest"
)

// TestSweep: what a notebook cell calls, on a small synthetic data set.
func TestSweep(t *testing.T) {
	base := regnb.MustPreset("none")
	base.Hidden, base.Epochs, base.LogEvery, base.LR, base.Validation = []int{8}, 1, 10, 1e-3, 50
	base.DataDir = datatest.Write(t, 300, 6)
	dir := t.TempDir()
	grid := regnb.SweepGrid{Base: base, Kind: "l2", Lambdas: []float64{1e-3, 1}, Seeds: []uint64{1, 2}, Dir: dir}
	s, err := regnb.Sweep(context.Background(), grid, 2)
	require.NoError(t, err)
	require.Len(t, s.Points, 2)
	assert.Equal(t, "L2, λ = 1e-3", s.Points[0].Label)
	back, err := regnb.LoadSweep(dir)
	require.NoError(t, err)
	assert.Equal(t, s.Rows(), back.Rows())
	_, err = regnb.SVG(regnb.SweepPlot(back))
	require.NoError(t, err)

	grid.Lambdas = nil
	_, err = regnb.Sweep(context.Background(), grid, 2)
	assert.EqualError(t, err, "sweep: empty grid: no λ to try (-lambda 1e-5,1e-4,…)")
}
