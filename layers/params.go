package layers

import (
	"encoding/json"
	"fmt"
	"io"
	"maps"
	"slices"
	"sort"
	"strings"

	"github.com/gomlx/gomlx/core/tensors"
	"github.com/gomlx/gomlx/ml/model"
)

// Param is one variable in a parameters file: its shape and its values in
// row-major order.
type Param struct {
	Shape  []int     `json:"shape"`
	Values []float32 `json:"values"`
}

// SaveParams writes the trainable variables in scope (and below) as JSON: an object from
// each variable's path ("/dense_0/weights") to a Param.
func SaveParams(scope *model.Scope, w io.Writer) error {
	params := map[string]Param{}
	for v := range scope.IterVariables() {
		if !v.Trainable {
			continue
		}
		t, err := v.Value()
		if err != nil {
			return err
		}
		values, err := tensors.CopyFlatData[float32](t)
		if err != nil {
			return fmt.Errorf("layers.SaveParams: %s: %w", v.Path(), err)
		}
		params[v.Path()] = Param{Shape: t.Shape().Dimensions, Values: values}
	}
	enc := json.NewEncoder(w)
	return enc.Encode(params)
}

// LoadParams reads a parameters file (as SaveParams writes, or a script from
// another framework) and creates (or sets) the variables in scope's store, so that a model built
// afterwards (MLP reuses existing variables) starts from them. This is how a
// run can start from exactly the initial weights of a PyTorch run. Each shape
// must match its values; MLP checks them against the layer sizes.
func LoadParams(scope *model.Scope, r io.Reader) error {
	params, err := readParams(r)
	if err != nil {
		return err
	}
	return setParams(scope, params)
}

// LoadMLPParams is LoadParams for the MLP that MLP(scope, x) builds with
// these sizes: the file must hold exactly its variables, each with its
// shape ([out, in] kernels, [out] biases), or nothing is loaded and the
// error names every parameter missing, unknown or of the wrong shape.
func LoadMLPParams(scope *model.Scope, r io.Reader, inputs int, hidden []int, outputs int) error {
	params, err := readParams(r)
	if err != nil {
		return err
	}
	want := map[string][]int{}
	in := inputs
	for i, out := range append(slices.Clone(hidden), outputs) {
		want[model.JoinPath(scope.Scope(), LayerScope(i), WeightsName)] = []int{out, in}
		want[model.JoinPath(scope.Scope(), LayerScope(i), BiasesName)] = []int{out}
		in = out
	}
	var problems []string
	for _, name := range slices.Sorted(maps.Keys(want)) {
		p, ok := params[name]
		switch {
		case !ok:
			problems = append(problems, fmt.Sprintf("%s is missing", name))
		case !slices.Equal(p.Shape, want[name]):
			problems = append(problems, fmt.Sprintf("%s has shape %v, the MLP's is %v", name, p.Shape, want[name]))
		}
	}
	for _, name := range slices.Sorted(maps.Keys(params)) {
		if _, ok := want[name]; !ok {
			problems = append(problems, fmt.Sprintf("%s is not a parameter of the MLP", name))
		}
	}
	if len(problems) > 0 {
		return fmt.Errorf("layers.LoadMLPParams: %s", strings.Join(problems, "; "))
	}
	return setParams(scope, params)
}

// readParams decodes a parameters file and checks each shape against its values.
func readParams(r io.Reader) (map[string]Param, error) {
	var params map[string]Param
	if err := json.NewDecoder(r).Decode(&params); err != nil {
		return nil, fmt.Errorf("layers.LoadParams: %w", err)
	}
	for name, p := range params {
		size := 1
		for _, d := range p.Shape {
			size *= d
		}
		if len(p.Shape) == 0 || size != len(p.Values) {
			return nil, fmt.Errorf("layers.LoadParams: %s has shape %v but %d values", name, p.Shape, len(p.Values))
		}
	}
	return params, nil
}

// setParams creates (or sets) the variables in scope's store.
func setParams(scope *model.Scope, params map[string]Param) error {
	store := scope.Store()
	names := make([]string, 0, len(params))
	for name := range params {
		names = append(names, name)
	}
	sort.Strings(names)
	for _, name := range names {
		p := params[name]
		dir, vname := model.SplitPath(name)
		if !strings.HasPrefix(name, "/") || dir == "" || vname == "" {
			return fmt.Errorf("layers.LoadParams: %q is not a variable path like /dense_0/weights", name)
		}
		value := tensors.FromFlatDataAndDimensions(append([]float32(nil), p.Values...), p.Shape...)
		if v := store.GetVariable(name); v != nil {
			if err := v.SetValue(value); err != nil {
				return fmt.Errorf("layers.LoadParams: %s: %w", name, err)
			}
			continue
		}
		if _, err := store.CreateVariable(name, value); err != nil {
			return fmt.Errorf("layers.LoadParams: %s: %w", name, err)
		}
	}
	return nil
}
