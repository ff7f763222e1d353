package bench

import (
	"fmt"
	"testing"

	"github.com/gomlx/compute"
	_ "github.com/gomlx/compute/gobackend"
	"github.com/gomlx/gomlx/core/graph"
	"github.com/gomlx/gomlx/core/tensors"
)

// BenchmarkWeightGradientLayout is the minimal program behind layers.Linear's
// choice for dW = Σ_batch dy ⊗ x (the first layer, 784 → 64): the same
// product written two ways. Contracting axis 0 of both operands makes the
// pure-Go backend transpose x and use its scalar kernel when the batch (the
// contracting size) is under 16; dyᵀ [out, batch] · x [batch, in] is the
// layout it multiplies with its SIMD kernel. See bench/README.md.
func BenchmarkWeightGradientLayout(b *testing.B) {
	backend, err := compute.NewWithConfig("go:ops_sequential")
	if err != nil {
		b.Fatal(err)
	}
	forms := []struct {
		name string
		fn   func(dy, x *graph.Node) *graph.Node
	}{
		{"contract=axis0", func(dy, x *graph.Node) *graph.Node {
			return graph.DotGeneral(dy, []int{0}, nil, x, []int{0}, nil)
		}},
		{"transposed-dy", func(dy, x *graph.Node) *graph.Node {
			return graph.DotGeneral(graph.Transpose(dy, 0, 1), []int{1}, nil, x, []int{0}, nil)
		}},
	}
	for _, batch := range []int{10, 64, 256} {
		dy := tensors.FromFlatDataAndDimensions(make([]float32, batch*64), batch, 64)
		x := tensors.FromFlatDataAndDimensions(make([]float32, batch*784), batch, 784)
		for _, form := range forms {
			b.Run(fmt.Sprintf("%s/batch=%d", form.name, batch), func(b *testing.B) {
				exec := graph.MustNewExec(backend, form.fn)
				exec.MustExec(dy, x)
				for b.Loop() {
					exec.MustExec(dy, x)
				}
			})
		}
	}
}

// BenchmarkElementwiseMul is the minimal program behind what bounds a step
// at batch 10 once the matrix products use SIMD: one element-wise product of
// two float32 tensors the size of the first layer's kernel (50 176 elements),
// the kind of pass Adam makes ~14 times per variable per step and a penalty's
// gradient ~5 times. The pure-Go backend runs it as a scalar loop
// (ops.execMulNumericGeneric); ns/element is reported.
func BenchmarkElementwiseMul(b *testing.B) {
	backend, err := compute.NewWithConfig("go:ops_sequential")
	if err != nil {
		b.Fatal(err)
	}
	const n = 64 * 784
	x := tensors.FromFlatDataAndDimensions(make([]float32, n), 64, 784)
	y := tensors.FromFlatDataAndDimensions(make([]float32, n), 64, 784)
	exec := graph.MustNewExec(backend, func(x, y *graph.Node) *graph.Node { return graph.Mul(x, y) })
	exec.MustExec(x, y)
	for b.Loop() {
		exec.MustExec(x, y)
	}
	b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N)/n, "ns/element")
}
