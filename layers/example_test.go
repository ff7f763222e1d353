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

// Inverted dropout on the hidden layer, seen through an identity output
// layer: in training each activation is dropped (0) or scaled by 1/(1−p);
// evaluation is the network without dropout.
func ExampleMLPConfig_Dropout() {
	backend, _ := compute.NewWithConfig("go")
	store := model.NewStore()
	_ = store.SetRNGStateFromSeed(42) // Reproducible masks.
	identity := make([][]float32, 6)
	for i := range identity {
		identity[i] = make([]float32, 6)
		identity[i][i] = 1
	}
	store.VariableWithValue("/dense_1/weights", identity)
	store.VariableWithValue("/dense_1/biases", make([]float32, 6))
	for step, training := range []bool{false, true, true} {
		exec, _ := model.NewExec(backend, store, func(scope *model.Scope, x *graph.Node) *graph.Node {
			store.SetTraining(x.Graph(), training)
			return layers.MLP(scope, x).Hidden(6).Outputs(6).Dropout(0.5).Done()
		})
		out, _ := exec.Call([][]float32{{1, -1, 2, 0.5}})
		if training {
			fmt.Printf("training step %d: %.3f\n", step, out[0].Value())
		} else {
			fmt.Printf("evaluation:      %.3f\n", out[0].Value())
		}
	}
	// Output:
	// evaluation:      [[0.348 0.886 0.892 0.000 0.301 0.446]]
	// training step 1: [[0.000 0.000 1.784 0.000 0.603 0.000]]
	// training step 2: [[0.000 0.000 1.784 0.000 0.000 0.000]]
}
