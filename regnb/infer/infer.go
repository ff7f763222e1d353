// Package infer runs a trained MLP (layers.Network) over a whole data set,
// in calls of a given batch size, and times it: the forward pass that
// notebook 6 compares between a full and a pruned network. Its pixels are
// scaled as training scales them (data.ScaleGraph), so its logits are the
// training graph's, bit for bit.
package infer

import (
	"fmt"

	"github.com/gomlx/compute"
	"github.com/gomlx/gomlx/core/graph"
	"github.com/gomlx/gomlx/core/tensors"
	"github.com/gomlx/gomlx/ml/model"

	"github.com/regnb/regnb/layers"
	"github.com/regnb/regnb/regnb/data"
)

// Inference is a network's forward pass over a whole data set, compiled
// for one backend, in calls of Batch images: the images are cut into
// batches once, as bytes, and each batch goes to the backend once.
type Inference struct {
	net     *layers.Network
	exec    *model.Exec
	batches []*tensors.Tensor
	n       int
	Batch   int // Images per call (the last call takes what is left).
}

// New prepares the forward pass of n over ds on backend b, in calls of
// batch images (0: the whole data set in one call).
func New(b compute.Backend, n *layers.Network, ds *data.Set, batch int) (*Inference, error) {
	pixels := ds.Rows * ds.Cols
	if pixels != n.Inputs {
		return nil, fmt.Errorf("network: takes %d inputs, the data set's images have %d pixels", n.Inputs, pixels)
	}
	if batch < 0 {
		return nil, fmt.Errorf("inference: batch = %d, want at least 1 (0: the whole data set)", batch)
	}
	if batch == 0 || batch > ds.N {
		batch = ds.N
	}
	exec, err := model.NewExec(b, n.Store, func(scope *model.Scope, x *graph.Node) *graph.Node {
		return layers.MLP(scope, data.ScaleGraph(x)).Hidden(n.Hidden...).Outputs(n.Outputs).Done()
	})
	if err != nil {
		return nil, err
	}
	inf := &Inference{net: n, exec: exec, n: ds.N, Batch: batch}
	for start := 0; start < ds.N; start += batch {
		end := min(start+batch, ds.N)
		inf.batches = append(inf.batches, tensors.FromFlatDataAndDimensions(ds.Pixels[start*pixels:end*pixels], end-start, pixels))
	}
	return inf, nil
}

// Logits runs the forward pass over the whole data set and returns the
// logits, [N, outputs] row-major.
func (inf *Inference) Logits() ([]float32, error) {
	k := inf.net.Outputs
	logits := make([]float32, 0, inf.n*k)
	for _, x := range inf.batches {
		out, err := inf.exec.Call(x)
		if err != nil {
			return nil, fmt.Errorf("network: forward pass: %w", err)
		}
		flat, err := tensors.CopyFlatData[float32](out[0])
		if err != nil {
			return nil, err
		}
		logits = append(logits, flat...)
	}
	return logits, nil
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

// AccuracyOn returns the share of ds's images (all of them, in one batch)
// that n classifies as labelled: a test accuracy as a sweep, a comparison
// and a notebook measure it.
func AccuracyOn(b compute.Backend, n *layers.Network, ds *data.Set) (float64, error) {
	inf, err := New(b, n, ds, 0)
	if err != nil {
		return 0, err
	}
	return inf.Accuracy(ds.Labels[:ds.N])
}
