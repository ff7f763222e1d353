package regularizers_test

import (
	"testing"

	"github.com/gomlx/compute/dtypes"
	"github.com/gomlx/gomlx/core/tensors"
	"github.com/stretchr/testify/assert"
)

const dtypesFloat32 = dtypes.Float32

func tensorOf(v any) *tensors.Tensor { return tensors.MustFromAnyValue(v) }

func scalar(t *tensors.Tensor) float64 {
	switch v := t.Value().(type) {
	case float32:
		return float64(v)
	case float64:
		return v
	}
	panic("not a float scalar")
}

func assertMatrix(t *testing.T, want, got [][]float32) {
	t.Helper()
	if !assert.Len(t, got, len(want)) {
		return
	}
	for i := range want {
		assertVector(t, want[i], got[i])
	}
}

func assertVector(t *testing.T, want, got []float32) {
	t.Helper()
	if !assert.Len(t, got, len(want)) {
		return
	}
	for i := range want {
		assert.InDelta(t, want[i], got[i], 1e-6, "element %d: want %v, got %v", i, want, got)
	}
}
