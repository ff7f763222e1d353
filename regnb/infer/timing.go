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
func (t Timing) Median() time.Duration { return t.quantile(0.5) }

// Quartiles are the first and third quartiles of the times of a pass: half
// of the passes took between the two.
func (t Timing) Quartiles() (q1, q3 time.Duration) { return t.quantile(0.25), t.quantile(0.75) }

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

// SpeedUp is how many times faster t is than u: u's median over t's.
func (t Timing) SpeedUp(u Timing) float64 { return u.Median().Seconds() / t.Median().Seconds() }

// FasterThan tells whether t is faster than u beyond the noise: the third
// quartile of t's times is below the first of u's (their interquartile
// ranges, each the spread of one network's passes, do not overlap). A
// speed-up is claimed only where this holds.
func (t Timing) FasterThan(u Timing) bool {
	_, q3 := t.Quartiles()
	q1, _ := u.Quartiles()
	return len(t.Times) > 0 && len(u.Times) > 0 && q3 < q1
}

// quantile returns the q-quantile of the times, interpolated linearly
// between the two nearest (R's and NumPy's default); 0 without times.
func (t Timing) quantile(q float64) time.Duration {
	if len(t.Times) == 0 {
		return 0
	}
	ts := slices.Clone(t.Times)
	slices.Sort(ts)
	pos := q * float64(len(ts)-1)
	i := int(pos)
	if i+1 >= len(ts) {
		return ts[len(ts)-1]
	}
	return ts[i] + time.Duration((pos-float64(i))*float64(ts[i+1]-ts[i]))
}

// Time measures each network's forward pass over the whole data set ds, in
// calls of batch images (0: all in one call), on backend b, in this process:
// first one pass each (which compiles, and moves the images to the backend),
// then reps passes each, interleaved (network 1, 2, …, 1, 2, …) so that
// every network sees the same states of the machine, each after a garbage
// collection. Each pass computes the logits on the backend and copies them
// to the host.
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
	for range reps {
		for i, inf := range infs {
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
