package experiment

import (
	"fmt"
	"strings"

	"github.com/gomlx/gomlx/core/tensors"
	"github.com/gomlx/gomlx/ml/model"
)

// unitsKept returns, for each of the model's hidden layers, the units still
// alive: a unit is dead when its incoming weights and its bias are all
// exactly 0 (it outputs ReLU(0) = 0 whatever the input, and layers.Prune
// removes it). It reads the parameters onto the host: call it on logged steps
// only.
func unitsKept(store *model.Store, hiddenLayers int) ([]int, error) {
	var kept []int
	for i := range hiddenLayers {
		w, b, err := layerValues(store, i)
		if err != nil {
			return nil, err
		}
		if w == nil {
			return nil, fmt.Errorf("hidden layer %d: no dense_%d/weights or biases in the model", i, i)
		}
		units, inputs := w.Shape().Dimensions[0], w.Shape().Dimensions[1]
		wf, bf := tensors.MustCopyFlatData[float32](w), tensors.MustCopyFlatData[float32](b)
		alive := 0
		for j := range units {
			if bf[j] != 0 || !allZero(wf[j*inputs:(j+1)*inputs]) {
				alive++
			}
		}
		kept = append(kept, alive)
	}
	return kept, nil
}

// UnitsLine describes the units kept in each hidden layer, e.g.
// "23 of 64, 11 of 32"; it is empty without hidden layers.
func UnitsLine(kept, hidden []int) string {
	parts := make([]string, len(kept))
	for i, k := range kept {
		if i < len(hidden) {
			parts[i] = fmt.Sprintf("%d of %d", k, hidden[i])
		} else {
			parts[i] = fmt.Sprint(k)
		}
	}
	return strings.Join(parts, ", ")
}
