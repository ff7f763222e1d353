package experiment

import (
	"fmt"
	"math"

	"github.com/gomlx/gomlx/core/tensors"
	"github.com/gomlx/gomlx/ml/model"
)

// recordLayers fills in what the end state says about the network's layers:
// Σ_j |W₀[j, p]| for each input p (the first layer's kernel is [units, inputs])
// and the hidden units still alive in each hidden layer (a unit is dead when
// its incoming weights and its bias are all exactly 0: it outputs ReLU(0) = 0
// whatever the input, so layers.Prune can remove it).
func (r *runner) recordLayers() error {
	s := &r.hist.Summary
	s.InputL1, s.UnitsKept = nil, nil
	for i := 0; ; i++ {
		w, b, err := layerValues(r.model, i)
		if err != nil {
			return err
		}
		if w == nil {
			break
		}
		units, inputs := w.Shape().Dimensions[0], w.Shape().Dimensions[1]
		wf, bf := tensors.MustCopyFlatData[float32](w), tensors.MustCopyFlatData[float32](b)
		if i == 0 {
			s.InputL1 = make([]float64, inputs)
			for j := range units {
				for p := range inputs {
					s.InputL1[p] += math.Abs(float64(wf[j*inputs+p]))
				}
			}
		}
		if i == len(r.cfg.Hidden) { // The output layer.
			break
		}
		alive := 0
		for j := range units {
			if bf[j] != 0 || !allZero(wf[j*inputs:(j+1)*inputs]) {
				alive++
			}
		}
		s.UnitsKept = append(s.UnitsKept, alive)
	}
	return nil
}

// layerValues returns the kernel and bias of dense layer i, or nils past the last.
func layerValues(store *model.Store, i int) (w, b *tensors.Tensor, err error) {
	wv := store.GetVariable(fmt.Sprintf("/dense_%d/weights", i))
	bv := store.GetVariable(fmt.Sprintf("/dense_%d/biases", i))
	if wv == nil || bv == nil {
		return nil, nil, nil
	}
	if w, err = wv.Value(); err != nil {
		return nil, nil, err
	}
	if b, err = bv.Value(); err != nil {
		return nil, nil, err
	}
	return w, b, nil
}

func allZero(xs []float32) bool {
	for _, x := range xs {
		if x != 0 {
			return false
		}
	}
	return true
}
