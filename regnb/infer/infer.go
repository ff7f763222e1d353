// Package infer runs a trained MLP (layers.Network) over a whole data set
// and times it: the forward pass that notebook 6 compares between a full and
// a pruned network. Its pixels are scaled as training scales them
// (data.ScaleGraph), so its logits are the training graph's, bit for bit.
package infer

import (
	"fmt"
	"sort"
	"time"

	"github.com/gomlx/compute"
	"github.com/gomlx/gomlx/core/graph"
	"github.com/gomlx/gomlx/core/tensors"
	"github.com/gomlx/gomlx/ml/model"

	"github.com/regnb/regnb/layers"
	"github.com/regnb/regnb/regnb/data"
)

// Inference is a network's forward pass over a whole data set, compiled
// for one backend: the images go to the backend once, as bytes, and stay
// there.
type Inference struct {
	net    *layers.Network
	exec   *model.Exec
	images *tensors.Tensor
	n      int
}

// New prepares the forward pass of n over ds on backend b.
func New(b compute.Backend, n *layers.Network, ds *data.Set) (*Inference, error) {
	pixels := ds.Rows * ds.Cols
	if pixels != n.Inputs {
		return nil, fmt.Errorf("network: takes %d inputs, the data set's images have %d pixels", n.Inputs, pixels)
	}
	exec, err := model.NewExec(b, n.Store, func(scope *model.Scope, x *graph.Node) *graph.Node {
		return layers.MLP(scope, data.ScaleGraph(x)).Hidden(n.Hidden...).Outputs(n.Outputs).Done()
	})
	if err != nil {
		return nil, err
	}
	return &Inference{net: n, exec: exec, n: ds.N,
		images: tensors.FromFlatDataAndDimensions(ds.Pixels[:ds.N*pixels], ds.N, pixels)}, nil
}

// Logits runs the forward pass and returns the logits, [N, outputs] row-major.
func (inf *Inference) Logits() ([]float32, error) {
	out, err := inf.exec.Call(inf.images)
	if err != nil {
		return nil, fmt.Errorf("network: forward pass: %w", err)
	}
	return tensors.CopyFlatData[float32](out[0])
}

// Predictions returns the class with the largest logit for each image.
func (inf *Inference) Predictions() ([]int, error) {
	logits, err := inf.Logits()
	if err != nil {
		return nil, err
	}
	k := inf.net.Outputs
	pred := make([]int, inf.n)
	for i := range pred {
		row := logits[i*k : (i+1)*k]
		for j, v := range row {
			if v > row[pred[i]] {
				pred[i] = j
			}
		}
	}
	return pred, nil
}

// Accuracy returns the share of the data set's images classified correctly.
func (inf *Inference) Accuracy(labels []int32) (float64, error) {
	pred, err := inf.Predictions()
	if err != nil {
		return 0, err
	}
	correct := 0
	for i, p := range pred {
		if int32(p) == labels[i] {
			correct++
		}
	}
	return float64(correct) / float64(len(pred)), nil
}

// Timing is the measured time of repeated forward passes over a data set.
type Timing struct {
	Median, Min time.Duration
	Reps        int
	Images      int
}

// Time measures each network's forward pass over the whole data
// set (logits computed on the backend and copied to the host) on backend b:
// first one call each (compilation, and the images' one transfer to the
// backend), then reps calls each, interleaved (network 1, 2, …, 1, 2, …) so
// that every network sees the same state of the machine. It returns each
// network's median and fastest time.
func Time(b compute.Backend, ds *data.Set, reps int, nets ...*layers.Network) ([]Timing, error) {
	if reps < 1 {
		return nil, fmt.Errorf("time inference: reps = %d, want at least 1", reps)
	}
	infs := make([]*Inference, len(nets))
	for i, n := range nets {
		inf, err := New(b, n, ds)
		if err != nil {
			return nil, err
		}
		if _, err := inf.Logits(); err != nil { // Warm-up: compiles.
			return nil, err
		}
		infs[i] = inf
	}
	times := make([][]time.Duration, len(nets))
	for range reps {
		for i, inf := range infs {
			start := time.Now()
			if _, err := inf.Logits(); err != nil {
				return nil, err
			}
			times[i] = append(times[i], time.Since(start))
		}
	}
	out := make([]Timing, len(nets))
	for i, ts := range times {
		sort.Slice(ts, func(a, b int) bool { return ts[a] < ts[b] })
		out[i] = Timing{Median: median(ts), Min: ts[0], Reps: reps, Images: ds.N}
	}
	return out, nil
}

// median of sorted durations.
func median(ts []time.Duration) time.Duration {
	m := len(ts) / 2
	if len(ts)%2 == 1 {
		return ts[m]
	}
	return (ts[m-1] + ts[m]) / 2
}
