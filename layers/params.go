package layers

import (
	"encoding/json"
	"fmt"
	"io"
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
	store := scope.Store()
	var params map[string]Param
	if err := json.NewDecoder(r).Decode(&params); err != nil {
		return fmt.Errorf("layers.LoadParams: %w", err)
	}
	names := make([]string, 0, len(params))
	for name := range params {
		names = append(names, name)
	}
	sort.Strings(names)
	for _, name := range names {
		p := params[name]
		size := 1
		for _, d := range p.Shape {
			size *= d
		}
		if len(p.Shape) == 0 || size != len(p.Values) {
			return fmt.Errorf("layers.LoadParams: %s has shape %v but %d values", name, p.Shape, len(p.Values))
		}
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
