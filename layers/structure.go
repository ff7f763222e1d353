package layers

import (
	"fmt"

	"github.com/gomlx/gomlx/core/tensors"
	"github.com/gomlx/gomlx/ml/model"
)

// The names of an MLP's variables: dense layer i's kernel is
// "dense_<i>/weights", shaped [out, in], and its bias "dense_<i>/biases",
// shaped [out], under the scope given to [MLP]. Nothing outside this package
// spells them.
const (
	WeightsName = "weights"
	BiasesName  = "biases"
)

// LayerScope is the name of dense layer i's scope, "dense_<i>".
func LayerScope(i int) string { return fmt.Sprintf("dense_%d", i) }

// WeightsPath is the absolute path of dense layer i's kernel in a store whose
// MLP was built at its root scope, "/dense_<i>/weights".
func WeightsPath(i int) string {
	return model.JoinPath(model.RootScopePath, LayerScope(i), WeightsName)
}

// BiasesPath is the absolute path of dense layer i's bias, "/dense_<i>/biases".
func BiasesPath(i int) string { return model.JoinPath(model.RootScopePath, LayerScope(i), BiasesName) }

// Dense is one dense layer's parameters, read onto the host: W[j] holds unit
// j's incoming weights (a row of the [out, in] kernel), B[j] its bias.
type Dense struct {
	W [][]float32
	B []float32
}

// Units is the number of units (outputs) of the layer.
func (d Dense) Units() int { return len(d.W) }

// Inputs is the number of inputs of the layer.
func (d Dense) Inputs() int {
	if len(d.W) == 0 {
		return 0
	}
	return len(d.W[0])
}

// Dead tells whether unit j is dead: its incoming weights and its bias are
// all exactly 0, so that it outputs ReLU(0) = 0 for every input and its
// outgoing weights never matter ([Prune] removes it).
func (d Dense) Dead(j int) bool {
	if d.B[j] != 0 {
		return false
	}
	for _, x := range d.W[j] {
		if x != 0 {
			return false
		}
	}
	return true
}

// Alive is the number of units that are not dead.
func (d Dense) Alive() int {
	n := 0
	for j := range d.W {
		if !d.Dead(j) {
			n++
		}
	}
	return n
}

// ReadDense reads the dense layers of the MLP built under scope, in order,
// onto the host; an error names what does not fit an MLP built by [MLP].
func ReadDense(scope *model.Scope) ([]Dense, error) {
	var net []Dense
	for i := 0; ; i++ {
		path := func(name string) string { return model.JoinPath(scope.Scope(), LayerScope(i), name) }
		wv := scope.Store().GetVariable(path(WeightsName))
		if wv == nil {
			break
		}
		bv := scope.Store().GetVariable(path(BiasesName))
		if bv == nil {
			return nil, fmt.Errorf("%s has no biases next to it", wv.Path())
		}
		w, err := matrix(wv)
		if err != nil {
			return nil, err
		}
		b, err := tensors.CopyFlatData[float32](bv.MustValue())
		if err != nil {
			return nil, fmt.Errorf("%s: %w", bv.Path(), err)
		}
		if len(b) != len(w) {
			return nil, fmt.Errorf("%s has %d values for the %d units of %s", bv.Path(), len(b), len(w), wv.Path())
		}
		if len(net) > 0 && len(w) > 0 && len(w[0]) != net[len(net)-1].Units() {
			return nil, fmt.Errorf("%s takes %d inputs, the layer before has %d units", wv.Path(), len(w[0]), net[len(net)-1].Units())
		}
		net = append(net, Dense{W: w, B: b})
	}
	if len(net) == 0 {
		return nil, fmt.Errorf("no %s/%s in scope %q: not an MLP built by layers.MLP", LayerScope(0), WeightsName, scope.Scope())
	}
	return net, nil
}

// writeDense stores layer i's parameters under scope, replacing any.
func writeDense(scope *model.Scope, i int, d Dense) {
	flat := make([]float32, 0, d.Units()*d.Inputs())
	for _, row := range d.W {
		flat = append(flat, row...)
	}
	layer := scope.At("%s", LayerScope(i))
	layer.VariableWithValue(WeightsName, tensors.FromFlatDataAndDimensions(flat, d.Units(), d.Inputs()))
	layer.VariableWithValue(BiasesName, tensors.FromFlatDataAndDimensions(append([]float32(nil), d.B...), d.Units()))
}

// matrix returns a rank-2 float32 variable's rows.
func matrix(v *model.Variable) ([][]float32, error) {
	t, err := v.Value()
	if err != nil {
		return nil, fmt.Errorf("reading %s: %w", v.Path(), err)
	}
	dims := t.Shape().Dimensions
	if len(dims) != 2 {
		return nil, fmt.Errorf("%s has shape %v, want [out, in]", v.Path(), dims)
	}
	flat, err := tensors.CopyFlatData[float32](t)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", v.Path(), err)
	}
	rows := make([][]float32, dims[0])
	for i := range rows {
		rows[i] = flat[i*dims[1] : (i+1)*dims[1]]
	}
	return rows, nil
}
