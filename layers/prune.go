package layers

import (
	"fmt"

	"github.com/gomlx/gomlx/core/tensors"
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
	type layer struct {
		w    [][]float32
		b    []float32
		keep []int // Indices of the units kept.
	}
	var net []*layer
	for i := 0; ; i++ {
		wv := src.Store().GetVariable(model.JoinPath(src.Scope(), fmt.Sprintf("dense_%d", i), "weights"))
		if wv == nil {
			break
		}
		bv := src.Store().GetVariable(model.JoinPath(src.Scope(), fmt.Sprintf("dense_%d", i), "biases"))
		if bv == nil {
			return nil, fmt.Errorf("layers.Prune: %s has no biases next to it", wv.Path())
		}
		w, err := matrix(wv)
		if err != nil {
			return nil, err
		}
		b, err := tensors.CopyFlatData[float32](bv.MustValue())
		if err != nil {
			return nil, fmt.Errorf("layers.Prune: %s: %w", bv.Path(), err)
		}
		if len(b) != len(w) {
			return nil, fmt.Errorf("layers.Prune: %s has %d values for the %d units of %s", bv.Path(), len(b), len(w), wv.Path())
		}
		if len(net) > 0 && len(w) > 0 && len(w[0]) != len(net[len(net)-1].w) {
			return nil, fmt.Errorf("layers.Prune: %s takes %d inputs, the layer before has %d units", wv.Path(), len(w[0]), len(net[len(net)-1].w))
		}
		net = append(net, &layer{w: w, b: b})
	}
	if len(net) == 0 {
		return nil, fmt.Errorf("layers.Prune: no dense_0/weights in scope %q: not an MLP built by layers.MLP", src.Scope())
	}
	for i, l := range net {
		for j := range l.w {
			if i == len(net)-1 || !dead(l.w[j], l.b[j]) {
				l.keep = append(l.keep, j)
			}
		}
	}
	for i, l := range net {
		inputs := len(l.w[0])
		if i > 0 {
			inputs = len(net[i-1].keep)
		}
		w := make([]float32, 0, len(l.keep)*inputs)
		b := make([]float32, 0, len(l.keep))
		for _, j := range l.keep {
			if i == 0 {
				w = append(w, l.w[j]...)
			} else {
				for _, k := range net[i-1].keep {
					w = append(w, l.w[j][k])
				}
			}
			b = append(b, l.b[j])
		}
		if len(l.keep) == 0 || inputs == 0 {
			return nil, fmt.Errorf("layers.Prune: every unit of layer %d is dead: the network computes a constant", i)
		}
		layerScope := dst.At("dense_%d", i)
		layerScope.VariableWithValue("weights", tensors.FromFlatDataAndDimensions(w, len(l.keep), inputs))
		layerScope.VariableWithValue("biases", tensors.FromFlatDataAndDimensions(b, len(l.keep)))
		if i < len(net)-1 {
			kept = append(kept, len(l.keep))
		}
	}
	return kept, nil
}

// dead tells whether a unit's incoming weights and bias are all exactly 0.
func dead(w []float32, b float32) bool {
	if b != 0 {
		return false
	}
	for _, x := range w {
		if x != 0 {
			return false
		}
	}
	return true
}

// matrix returns a rank-2 float32 variable's rows.
func matrix(v *model.Variable) ([][]float32, error) {
	t, err := v.Value()
	if err != nil {
		return nil, fmt.Errorf("layers.Prune: reading %s: %w", v.Path(), err)
	}
	dims := t.Shape().Dimensions
	if len(dims) != 2 {
		return nil, fmt.Errorf("layers.Prune: %s has shape %v, want [out, in]", v.Path(), dims)
	}
	flat, err := tensors.CopyFlatData[float32](t)
	if err != nil {
		return nil, fmt.Errorf("layers.Prune: %s: %w", v.Path(), err)
	}
	rows := make([][]float32, dims[0])
	for i := range rows {
		rows[i] = flat[i*dims[1] : (i+1)*dims[1]]
	}
	return rows, nil
}
