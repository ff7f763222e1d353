package layers_test

import (
	"fmt"

	"github.com/gomlx/gomlx/backends"
	"github.com/gomlx/gomlx/pkg/core/graph"
	"github.com/gomlx/gomlx/pkg/core/tensors"
	"github.com/gomlx/gomlx/pkg/ml/context"

	"github.com/regnb/regnb/layers"
)

// The tutorial's network: 784→64→32→10 with ReLU, PyTorch's initialization.
func ExampleMLP() {
	backend, _ := backends.NewWithConfig("go:ops_sequential")
	ctx := context.New()
	images := tensors.FromShape(tensors.FromFlatDataAndDimensions(make([]float32, 2*28*28), 2, 28, 28).Shape())
	logits, _ := context.ExecOnce(backend, ctx, func(ctx *context.Context, x *graph.Node) *graph.Node {
		return layers.MLP(ctx, x).Done()
	}, images)
	fmt.Println("logits:", logits.Shape().Dimensions, "parameters:", ctx.NumParameters())
	for v := range ctx.IterVariables() {
		fmt.Println(v.ScopeAndName(), v.Shape().Dimensions)
	}
	// Output:
	// logits: [2 10] parameters: 52650
	// /dense_0/weights [64 784]
	// /dense_0/biases [64]
	// /dense_1/weights [32 64]
	// /dense_1/biases [32]
	// /dense_2/weights [10 32]
	// /dense_2/biases [10]
}
