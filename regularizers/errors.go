package regularizers

import (
	"fmt"
	"math"
)

// ArgError reports an invalid argument given to a function of this package:
//
//	regularizers.L1: invalid lambda -1: must be ≥ 0
//
// Arg is the name of the function's parameter as its signature and doc
// spell it ("lambda", "l1", "l2", "alpha", "l1Ratio", "wd", "c", "axis", …),
// or the name of the option whose value is invalid ("WithLearningRate").
type ArgError struct {
	Func   string  // Function, e.g. "L1".
	Arg    string  // Parameter or option, e.g. "lambda".
	Value  float64 // The value given.
	Reason string  // What a valid value is, e.g. "must be ≥ 0".
}

func (e *ArgError) Error() string {
	return fmt.Sprintf("regularizers.%s: invalid %s %v: %s", e.Func, e.Arg, e.Value, e.Reason)
}

// checkStrength accepts finite, non-negative values.
func checkStrength(fn, arg string, v float64) error {
	switch {
	case math.IsNaN(v):
		return &ArgError{fn, arg, v, "must be a number, not NaN"}
	case math.IsInf(v, 0):
		return &ArgError{fn, arg, v, "must be finite"}
	case v < 0:
		return &ArgError{fn, arg, v, "must be ≥ 0"}
	}
	return nil
}

// checkPositive accepts finite values > 0.
func checkPositive(fn, arg string, v float64) error {
	switch {
	case math.IsNaN(v):
		return &ArgError{fn, arg, v, "must be a number, not NaN"}
	case math.IsInf(v, 0):
		return &ArgError{fn, arg, v, "must be finite"}
	case v <= 0:
		return &ArgError{fn, arg, v, "must be > 0"}
	}
	return nil
}

// checkRatio accepts values in [0, 1].
func checkRatio(fn, arg string, v float64) error {
	if math.IsNaN(v) || v < 0 || v > 1 {
		return &ArgError{fn, arg, v, "must be in [0, 1]"}
	}
	return nil
}

// Must returns v, or panics if err is not nil. It is meant for regularizers
// and schedules built from constants, where an error is a programming
// mistake, as template.Must does:
//
//	reg := regularizers.Must(regularizers.L1(1e-4))
func Must[T any](v T, err error) T {
	if err != nil {
		panic(err)
	}
	return v
}
