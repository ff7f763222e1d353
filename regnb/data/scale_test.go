package data_test

import (
	"math"
	"testing"

	"github.com/gomlx/compute"
	_ "github.com/gomlx/compute/gobackend"
	"github.com/gomlx/gomlx/core/graph"
	"github.com/gomlx/gomlx/core/tensors"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/regnb/regnb/regnb/data"
)

// Every byte scales to the same float32 on the host and in a graph, and
// 1/255 as a multiplier would not (so a multiplication is not a stand-in).
func TestScaleHostAndGraphAgreeBitForBit(t *testing.T) {
	b, err := compute.NewWithConfig("go")
	require.NoError(t, err)
	all := make([]uint8, 256)
	for i := range all {
		all[i] = uint8(i)
	}
	out, err := graph.ExecOnce(b, data.ScaleGraph, tensors.FromValue(all))
	require.NoError(t, err)
	got := tensors.MustCopyFlatData[float32](out)
	differ := 0
	for i, p := range all {
		assert.Equal(t, math.Float32bits(data.Scale(p)), math.Float32bits(got[i]), "pixel %d", p)
		if float32(p)*(1/float32(255)) != data.Scale(p) {
			differ++
		}
	}
	assert.Positive(t, differ, "multiplying by 1/255 rounds some pixels differently")
	assert.Equal(t, float32(1), data.Scale(255))
}
