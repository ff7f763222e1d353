package infer_test

import (
	"math"
	"testing"
	"time"

	"github.com/gomlx/compute"
	"github.com/gomlx/compute/dtypes"
	"github.com/gomlx/compute/shapes"
	"github.com/gomlx/gomlx/core/graph"
	"github.com/gomlx/gomlx/core/tensors"
	"github.com/gomlx/gomlx/ml/model"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/regnb/regnb/internal/backend"
	"github.com/regnb/regnb/layers"
	"github.com/regnb/regnb/regnb/data"
	"github.com/regnb/regnb/regnb/data/datatest"
	"github.com/regnb/regnb/regnb/infer"
)

// tinyNetwork returns an MLP 36→5→3→10 with PyTorch's initialization, its
// backend, and a data set of 6×6 images for it.
func tinyNetwork(t *testing.T) (compute.Backend, *layers.Network, *data.Set) {
	d, err := data.Load(datatest.Write(t, 40, 6))
	require.NoError(t, err)
	store := model.NewStore()
	b, _, err := backend.New("")
	require.NoError(t, err)
	_, err = model.CallOnce(b, store, func(scope *model.Scope, x *graph.Node) *graph.Node { // Creates the variables.
		return layers.MLP(scope, x).Hidden(5, 3).Outputs(10).Init(layers.InitPyTorch, 7).Done()
	}, tensors.FromShape(shapes.Make(dtypes.Float32, 1, 36)))
	require.NoError(t, err)
	net, err := layers.NetworkOf(store)
	require.NoError(t, err)
	return b, net, d.Test
}

// A pass in calls of 1, 3 (the last call takes 2) or all 20 images
// computes the same logits.
func TestBatchSizesGiveTheSameLogits(t *testing.T) {
	b, net, test := tinyNetwork(t)
	var all []float32
	for _, batch := range []int{0, 1, 3, 20, 50} {
		inf, err := infer.New(b, net, test, batch)
		require.NoError(t, err)
		want := min(batch, test.N)
		if batch == 0 {
			want = test.N
		}
		assert.Equal(t, want, inf.Batch)
		got, err := inf.Logits()
		require.NoError(t, err)
		require.Len(t, got, test.N*10)
		if all == nil {
			all = got
			continue
		}
		for i := range all {
			require.InDelta(t, all[i], got[i], 1e-5*math.Max(1, math.Abs(float64(all[i]))), "batch %d, logit %d", batch, i)
		}
	}
	_, err := infer.New(b, net, test, -1)
	assert.ErrorContains(t, err, "inference: batch = -1, want at least 1 (0: the whole data set)")
	_, err = infer.Time(b, test, 1, 0, net)
	assert.ErrorContains(t, err, "time inference: reps = 0, want at least 1")

	ts, err := infer.Time(b, test, 4, 3, net, net)
	require.NoError(t, err)
	require.Len(t, ts, 2)
	for _, tm := range ts {
		assert.Equal(t, 4, tm.Batch)
		assert.Equal(t, test.N, tm.Images)
		assert.Len(t, tm.Times, 3)
	}
}

// The statistics of a timing, on durations given by hand.
func TestTimingStatistics(t *testing.T) {
	ms := func(xs ...int) []time.Duration {
		out := make([]time.Duration, len(xs))
		for i, x := range xs {
			out[i] = time.Duration(x) * time.Millisecond
		}
		return out
	}
	full := infer.Timing{Batch: 1000, Images: 10000, Times: ms(40, 10, 30, 20, 50)} // Sorted: 10 20 30 40 50.
	assert.Equal(t, 30*time.Millisecond, full.Median())
	q1, q3 := full.Quartiles()
	assert.Equal(t, 20*time.Millisecond, q1)
	assert.Equal(t, 40*time.Millisecond, q3)
	assert.Equal(t, 20*time.Millisecond, full.Spread())
	assert.Equal(t, 3*time.Microsecond, full.PerImage())

	even := infer.Timing{Times: ms(10, 20, 30, 40)} // Interpolated: Q1 at 1/4 of 3 steps, 17.5.
	assert.Equal(t, 25*time.Millisecond, even.Median())
	q1, _ = even.Quartiles()
	assert.Equal(t, 17500*time.Microsecond, q1)

	// Pass by pass: the i-th passes of two networks ran under the same load.
	// Ratios full/fast: 40/20 = 2, 10/10 = 1, 30/15 = 2, 20/5 = 4, 50/25 = 2;
	// sorted 1 2 2 2 4: median 2, quartiles 2 and 2.
	fast := infer.Timing{Times: ms(20, 10, 15, 5, 25)}
	up := fast.SpeedUpOver(full)
	assert.Equal(t, infer.SpeedUp{Median: 2, Q1: 2, Q3: 2, Pairs: 5}, up)
	assert.True(t, up.BeyondNoise())
	// Ratios 40/50 = 0.8, 10/8 = 1.25, 30/25 = 1.2, 20/25 = 0.8, 50/40 = 1.25:
	// sorted 0.8 0.8 1.2 1.25 1.25, Q1 0.8: within the noise.
	noisy := infer.Timing{Times: ms(50, 8, 25, 25, 40)}
	up = noisy.SpeedUpOver(full)
	assert.InDelta(t, 1.2, up.Median, 1e-12)
	assert.InDelta(t, 0.8, up.Q1, 1e-12)
	assert.False(t, up.BeyondNoise())
	assert.False(t, infer.Timing{}.SpeedUpOver(full).BeyondNoise(), "no pair")
	assert.Zero(t, infer.Timing{}.Median())
}

// AccuracyOn is the share of the images whose largest logit is their label,
// counted here by hand from the logits.
func TestAccuracyOnCountsByHand(t *testing.T) {
	b, net, test := tinyNetwork(t)
	inf, err := infer.New(b, net, test, 3)
	require.NoError(t, err)
	logits, err := inf.Logits()
	require.NoError(t, err)
	right := 0
	for i := range test.N {
		row := logits[i*10 : (i+1)*10]
		best := 0
		for k := range row {
			if row[k] > row[best] {
				best = k
			}
		}
		if int32(best) == test.Labels[i] {
			right++
		}
	}
	acc, err := infer.AccuracyOn(b, net, test)
	require.NoError(t, err)
	require.Equal(t, float64(right)/float64(test.N), acc)
}
