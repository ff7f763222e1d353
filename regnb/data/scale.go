package data

import (
	"github.com/gomlx/compute/dtypes"
	"github.com/gomlx/gomlx/core/graph"
)

// MaxPixel is the value of a white pixel; pixels are scaled to [0, 1].
const MaxPixel = 255

// Scale returns pixel p as the model sees it: p/255 in float32. It is a
// division: multiplying by 1/255 (GoMLX's DivScalar does) rounds differently
// for some pixels. Training, evaluation and inference all scale with it, on
// the host or, through ScaleGraph, in a graph.
func Scale(p uint8) float32 { return float32(p) / MaxPixel }

// ScaleGraph is Scale in a GoMLX graph: pixels (any integer dtype) to
// float32 p/255, bit for bit as Scale (tested on every byte).
func ScaleGraph(pixels *graph.Node) *graph.Node {
	x := graph.ConvertDType(pixels, dtypes.Float32)
	return graph.Div(x, graph.Scalar(x.Graph(), dtypes.Float32, MaxPixel))
}
