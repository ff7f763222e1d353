package regularizers

import (
	"fmt"
	"math"

	"github.com/gomlx/gomlx/core/tensors"
	"github.com/gomlx/gomlx/ml/model"
)

// VariableSparsity describes the current values of one variable.
type VariableSparsity struct {
	Name      string  // Scope and name, e.g. "/dense_0/weights".
	Size      int     // Number of elements.
	Zeros     int     // Elements exactly 0.
	Small     int     // Elements with |w| < Eps (zeros included).
	Eps       float64 // Threshold used for Small.
	L1        float64 // Σ|w|.
	SquaredL2 float64 // Σw².
	MaxAbs    float64 // max |w|.
}

// Sparsity reports, for each variable that sel selects in scope, how many
// elements are exactly zero and how many have |w| < eps, with its norms.
// It reads the variables' current values on the host.
func Sparsity(scope *model.Scope, sel Selector, eps float64) ([]VariableSparsity, error) {
	if err := checkStrength("Sparsity", "eps", eps); err != nil {
		return nil, err
	}
	vars, err := Select(scope, sel)
	if err != nil {
		return nil, err
	}
	report := make([]VariableSparsity, 0, len(vars))
	for _, v := range vars {
		t, err := v.Value()
		if err != nil {
			return nil, fmt.Errorf("regularizers.Sparsity: reading %s: %w", v.Path(), err)
		}
		values, err := Float64s(t)
		if err != nil {
			return nil, fmt.Errorf("regularizers.Sparsity: %s: %w", v.Path(), err)
		}
		s := VariableSparsity{Name: v.Path(), Size: len(values), Eps: eps}
		for _, w := range values {
			a := math.Abs(w)
			if w == 0 {
				s.Zeros++
			}
			if a < eps {
				s.Small++
			}
			s.L1 += a
			s.SquaredL2 += w * w
			s.MaxAbs = math.Max(s.MaxAbs, a)
		}
		report = append(report, s)
	}
	return report, nil
}

// Total sums a sparsity report over its variables (Name "total").
func Total(report []VariableSparsity) VariableSparsity {
	total := VariableSparsity{Name: "total"}
	for _, s := range report {
		total.Size += s.Size
		total.Zeros += s.Zeros
		total.Small += s.Small
		total.Eps = s.Eps
		total.L1 += s.L1
		total.SquaredL2 += s.SquaredL2
		total.MaxAbs = math.Max(total.MaxAbs, s.MaxAbs)
	}
	return total
}

// Float64s returns a float tensor's values, flattened, as float64.
func Float64s(t *tensors.Tensor) ([]float64, error) {
	var out []float64
	err := t.ConstFlatData(func(flat any) {
		switch f := flat.(type) {
		case []float32:
			out = make([]float64, len(f))
			for i, x := range f {
				out[i] = float64(x)
			}
		case []float64:
			out = append([]float64(nil), f...)
		}
	})
	if err == nil && out == nil && t.Size() > 0 {
		err = fmt.Errorf("unsupported dtype %s (want Float32 or Float64)", t.DType())
	}
	return out, err
}
