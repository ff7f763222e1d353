package regularizers

import (
	"fmt"
	"math"

	"github.com/gomlx/gomlx/ml/model"
)

// BoundTolerance is the relative tolerance within which [UnitNorms] counts a
// norm as at a bound: a norm clipped to c by [MaxNorm] is c·c/(c + ε), which
// is c to within ε/c relative, and float32 rounding adds ~10⁻⁷.
const BoundTolerance = 1e-4

// VariableNorms describes the Euclidean norms of one variable's slices along
// an axis — its units' incoming weights, for a dense kernel and its
// [KernelLayout.InputAxis] — against the bounds lo and hi of a norm
// constraint ([MaxNorm]: 0 and c; [MinMaxNorm]: lo and hi).
type VariableNorms struct {
	Name     string  // Scope and name, e.g. "/dense_0/weights".
	Units    int     // Number of slices (norms).
	Lo, Hi   float64 // The bounds given.
	AtLo     int     // Units with norm ≤ lo·(1 + BoundTolerance): zero units too when lo = 0.
	AtHi     int     // Units with norm ≥ hi·(1 − BoundTolerance): at the bound, or above it.
	Min, Max float64 // Smallest and largest norm.
}

// UnitNorms reports, for each variable that sel selects in scope, the norms
// of its slices along axis (as the norm constraints take them) and how many
// sit at the bounds lo and hi: after MaxNorm(c, axis), UnitNorms(scope, sel,
// axis, 0, c) counts in AtHi the units that the constraint clipped (and any
// that happen to sit within BoundTolerance below c) and in AtLo the units
// that are exactly 0. hi may be +Inf (no upper bound). It reads the
// variables' current values on the host.
// Errors: lo finite and ≥ 0, hi > 0, lo ≤ hi, axis ≥ 0 and an axis of every
// selected variable; as [Select] when nothing is selected.
func UnitNorms(scope *model.Scope, sel Selector, axis int, lo, hi float64) ([]VariableNorms, error) {
	const fn = "UnitNorms"
	if err := checkStrength(fn, "lo", lo); err != nil {
		return nil, err
	}
	if math.IsNaN(hi) || hi <= 0 {
		return nil, &ArgError{fn, "hi", hi, "must be > 0"}
	}
	if lo > hi {
		return nil, &ArgError{fn, "lo", lo, fmt.Sprintf("must be ≤ hi (%v)", hi)}
	}
	if err := checkAxisArg(fn, axis); err != nil {
		return nil, err
	}
	vars, err := Select(scope, sel)
	if err != nil {
		return nil, err
	}
	report := make([]VariableNorms, 0, len(vars))
	for _, v := range vars {
		if err := checkAxis(fn, v, axis); err != nil {
			return nil, err
		}
		t, err := v.Value()
		if err != nil {
			return nil, fmt.Errorf("regularizers.%s: reading %s: %w", fn, v.Path(), err)
		}
		values, err := Float64s(t)
		if err != nil {
			return nil, fmt.Errorf("regularizers.%s: %s: %w", fn, v.Path(), err)
		}
		r := VariableNorms{Name: v.Path(), Lo: lo, Hi: hi, Min: math.Inf(1)}
		for _, n := range sliceNorms(values, v.Shape().Dimensions, axis) {
			r.Units++
			r.Min, r.Max = math.Min(r.Min, n), math.Max(r.Max, n)
			if n <= lo*(1+BoundTolerance) {
				r.AtLo++
			}
			if n >= hi*(1-BoundTolerance) {
				r.AtHi++
			}
		}
		report = append(report, r)
	}
	return report, nil
}

// sliceNorms returns the Euclidean norms of the slices along axis of a
// row-major array with the given dimensions, in row-major order of the other
// axes.
func sliceNorms(values []float64, dims []int, axis int) []float64 {
	outer, inner := 1, 1
	for _, d := range dims[:axis] {
		outer *= d
	}
	for _, d := range dims[axis+1:] {
		inner *= d
	}
	n := dims[axis]
	norms := make([]float64, 0, outer*inner)
	for o := 0; o < outer; o++ {
		for i := 0; i < inner; i++ {
			sum := 0.0
			for k := 0; k < n; k++ {
				x := values[(o*n+k)*inner+i]
				sum += x * x
			}
			norms = append(norms, math.Sqrt(sum))
		}
	}
	return norms
}
