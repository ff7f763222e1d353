package layers_test

import (
	"fmt"

	"github.com/gomlx/compute"
	"github.com/gomlx/gomlx/core/graph"
	"github.com/gomlx/gomlx/core/tensors"
	"github.com/gomlx/gomlx/ml/model"

	"github.com/regnb/regnb/layers"
)

// The tutorial's network: 784→64→32→10 with ReLU, PyTorch's initialization.
func ExampleMLP() {
	backend, _ := compute.NewWithConfig("go")
	store := model.NewStore()
	images := tensors.FromShape(tensors.FromFlatDataAndDimensions(make([]float32, 2*28*28), 2, 28, 28).Shape())
	logits, _ := model.CallOnce(backend, store, func(scope *model.Scope, x *graph.Node) *graph.Node {
		return layers.MLP(scope, x).Done()
	}, images)
	fmt.Println("logits:", logits.Shape().Dimensions, "parameters:", store.NumParameters())
	for v := range store.IterVariables() {
		fmt.Println(v.Path(), v.Shape().Dimensions)
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
