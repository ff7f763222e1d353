package infer

import (
	"fmt"
	"runtime"
	"slices"
	"time"

	"github.com/gomlx/compute"

	"github.com/regnb/regnb/layers"
	"github.com/regnb/regnb/regnb/data"
)

// Timing is the measured time of repeated forward passes of one network over
// a whole data set: each pass is every image, in calls of Batch images.
type Timing struct {
	Batch  int             `json:"batch"`  // Images per call.
	Images int             `json:"images"` // Images per pass: the whole data set.
	Times  []time.Duration `json:"times"`  // Each pass's time, in the order measured.
}

// Median is the median time of a pass.
func (t Timing) Median() time.Duration { return quantile(t.Times, 0.5) }

// Quartiles are the first and third quartiles of the times of a pass: half
// of the passes took between the two.
func (t Timing) Quartiles() (q1, q3 time.Duration) {
	return quantile(t.Times, 0.25), quantile(t.Times, 0.75)
}

// Spread is the interquartile range, Q3 − Q1: how much the time of a pass
// varies from one to the next on this machine.
func (t Timing) Spread() time.Duration {
	q1, q3 := t.Quartiles()
	return q3 - q1
}

// PerImage is the median time of a pass divided by its images.
func (t Timing) PerImage() time.Duration {
	if t.Images == 0 {
		return 0
	}
	return t.Median() / time.Duration(t.Images)
}

// SpeedUp is how many times faster one network ran than another, pass by
// pass: for each i, the other's i-th pass time over this one's. Time
// interleaves the networks' passes, so the two passes of a pair ran one
// after the other under the same load of the machine, and the ratios are
// steadier than either network's times.
type SpeedUp struct {
	Median, Q1, Q3 float64 // Median and quartiles of the ratios.
	Pairs          int
}

// BeyondNoise tells whether the speed-up is more than the noise: its first
// quartile is above 1, so that in at least three pairs of passes out of four
// this network was the faster one. A speed-up is claimed only where this
// holds.
func (s SpeedUp) BeyondNoise() bool { return s.Pairs > 0 && s.Q1 > 1 }

// SpeedUpOver returns how many times faster t ran than u, pass by pass;
// u's passes must have been interleaved with t's (one call of Time).
func (t Timing) SpeedUpOver(u Timing) SpeedUp {
	n := min(len(t.Times), len(u.Times))
	ratios := make([]float64, n)
	for i := range ratios {
		ratios[i] = u.Times[i].Seconds() / t.Times[i].Seconds()
	}
	return SpeedUp{Median: quantile(ratios, 0.5), Q1: quantile(ratios, 0.25), Q3: quantile(ratios, 0.75), Pairs: n}
}

// quantile returns the q-quantile of xs, interpolated linearly between the
// two nearest (R's and NumPy's default); 0 for no xs.
func quantile[T time.Duration | float64](xs []T, q float64) T {
	if len(xs) == 0 {
		return 0
	}
	sorted := slices.Clone(xs)
	slices.Sort(sorted)
	pos := q * float64(len(sorted)-1)
	i := int(pos)
	if i+1 >= len(sorted) {
		return sorted[len(sorted)-1]
	}
	return sorted[i] + T((pos-float64(i))*float64(sorted[i+1]-sorted[i]))
}

// Time measures each network's forward pass over the whole data set ds, in
// calls of batch images (0: all in one call), on backend b, in this process:
// first one pass each (which compiles, and moves the images to the backend),
// then reps passes each, interleaved so that every network sees the same
// states of the machine (network 1, 2, …, n, then n, …, 2, 1: no network
// always goes first), each after a garbage collection. Each pass computes
// the logits on the backend and copies them to the host.
func Time(b compute.Backend, ds *data.Set, batch, reps int, nets ...*layers.Network) ([]Timing, error) {
	if reps < 1 {
		return nil, fmt.Errorf("time inference: reps = %d, want at least 1", reps)
	}
	infs := make([]*Inference, len(nets))
	for i, n := range nets {
		inf, err := New(b, n, ds, batch)
		if err != nil {
			return nil, err
		}
		if _, err := inf.Logits(); err != nil { // Warm-up: compiles.
			return nil, err
		}
		infs[i] = inf
	}
	out := make([]Timing, len(nets))
	for i, inf := range infs {
		out[i] = Timing{Batch: inf.Batch, Images: ds.N}
	}
	for r := range reps {
		for k := range infs {
			i := k
			if r%2 == 1 {
				i = len(infs) - 1 - k
			}
			inf := infs[i]
			runtime.GC()
			start := time.Now()
			if _, err := inf.Logits(); err != nil {
				return nil, err
			}
			out[i].Times = append(out[i].Times, time.Since(start))
		}
	}
	return out, nil
}
