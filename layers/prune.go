package layers

import (
	"fmt"

	"github.com/gomlx/gomlx/ml/model"
)

// Prune builds the smaller network that computes the same function as the
// MLP in src once its dead hidden units are removed, and stores its variables
// in dst (same names: "dense_<i>/weights" and "dense_<i>/biases"), so that
// MLP(dst, x).Hidden(kept...) builds it (MLP reuses existing variables).
//
// A hidden unit is dead when its incoming weights and its bias are all
// exactly 0 (as [regularizers.ProximalGroupLasso] leaves them): its output is
// ReLU(0) = 0 for every input, so its outgoing weights never matter. Pruning
// removes its row from its layer's kernel and bias and its column from the
// next layer's kernel. The output layer is kept whole. For activations with
// f(0) ≠ 0 pruning would change the function: Prune is for the MLP's ReLU.
//
// It returns the sizes of the hidden layers kept. src must hold an MLP built
// by [MLP] (kernels [out, in]); an error names what does not fit.
//
// [regularizers.ProximalGroupLasso]: https://pkg.go.dev/github.com/regnb/regnb/regularizers#ProximalGroupLasso
func Prune(src, dst *model.Scope) (kept []int, err error) {
	net, err := ReadDense(src)
	if err != nil {
		return nil, fmt.Errorf("layers.Prune: %w", err)
	}
	keep := make([][]int, len(net)) // Per layer, the indices of the units kept.
	for i, d := range net {
		for j := range d.W {
			if i == len(net)-1 || !d.Dead(j) {
				keep[i] = append(keep[i], j)
			}
		}
		if len(keep[i]) == 0 {
			return nil, fmt.Errorf("layers.Prune: every unit of layer %d is dead: the network computes a constant", i)
		}
	}
	for i, d := range net {
		var pruned Dense
		for _, j := range keep[i] {
			row := d.W[j]
			if i > 0 {
				row = make([]float32, len(keep[i-1]))
				for n, k := range keep[i-1] {
					row[n] = d.W[j][k]
				}
			}
			pruned.W, pruned.B = append(pruned.W, row), append(pruned.B, d.B[j])
		}
		writeDense(dst, i, pruned)
		if i < len(net)-1 {
			kept = append(kept, len(keep[i]))
		}
	}
	return kept, nil
}
