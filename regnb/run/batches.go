package run

import (
	"math"

	"github.com/gomlx/gomlx/core/tensors"

	"github.com/regnb/regnb/regnb/data"
	"github.com/regnb/regnb/regularizers"
)

// deviceSet is a data set as two tensors that, once a graph has used them,
// stay on the backend's device: the images as bytes [N, pixels] (scaled in
// the graph) and the labels [N].
type deviceSet struct {
	set            *data.Set
	images, labels *tensors.Tensor
}

func newDeviceSet(s *data.Set) *deviceSet {
	pixels := s.Rows * s.Cols
	return &deviceSet{
		set:    s,
		images: tensors.FromFlatDataAndDimensions(s.Pixels[:s.N*pixels], s.N, pixels),
		labels: tensors.FromFlatDataAndDimensions(s.Labels[:s.N], s.N),
	}
}

// hostBatch fills the buffers of one mini-batch at a time, on the host.
type hostBatch struct {
	set *data.Set
	x   []float32
	y   []int32
}

func newHostBatch(set *data.Set, size int) *hostBatch {
	return &hostBatch{set: set, x: make([]float32, size*set.Rows*set.Cols), y: make([]int32, size)}
}

// gather copies the examples idx into the buffers, scaled as batchAt scales
// them (data.Set.FillMiniBatch), and returns them as tensors [len(idx), pixels]
// and [len(idx)].
func (b *hostBatch) gather(idx []int) (*tensors.Tensor, *tensors.Tensor) {
	pixels := b.set.Rows * b.set.Cols
	if cap(b.y) < len(idx) {
		b.x, b.y = make([]float32, len(idx)*pixels), make([]int32, len(idx))
	}
	n := len(idx)
	b.set.FillMiniBatch(idx, b.x[:n*pixels], b.y[:n])
	return tensors.FromFlatDataAndDimensions(b.x[:n*pixels], n, pixels), tensors.FromFlatDataAndDimensions(b.y[:n], n)
}

// indexTensor returns idx as an Int32 tensor [rows, len(idx[0])], rows ≥
// len(idx): the rows after idx's are 0.
func indexTensor(idx [][]int, rows int) *tensors.Tensor {
	flat := make([]int32, rows*len(idx[0]))
	for i, row := range idx {
		for j, k := range row {
			flat[i*len(row)+j] = int32(k)
		}
	}
	return tensors.FromFlatDataAndDimensions(flat, rows, len(idx[0]))
}

func floatsOf(t *tensors.Tensor) []float64 {
	values, err := regularizers.Float64s(t)
	if err != nil {
		return []float64{math.NaN()}
	}
	return values
}

func scalarOf(t *tensors.Tensor) float64 {
	switch v := t.Value().(type) {
	case float32:
		return float64(v)
	case float64:
		return v
	}
	return math.NaN()
}
