package regularizers_test

import (
	"fmt"

	"github.com/gomlx/compute"
	"github.com/gomlx/gomlx/core/graph"
	"github.com/gomlx/gomlx/ml/layers/fnn"
	"github.com/gomlx/gomlx/ml/model"
	"github.com/gomlx/gomlx/ml/train"
	"github.com/gomlx/gomlx/ml/train/optimizer"

	"github.com/regnb/regnb/regularizers"
)

// The tutorial's Elastic Net, 0.3·Σ|w| + 0.7·Σw², over every parameter of a
// model (biases included), with each part reported under its name.
func ExampleElasticNet() {
	backend, _ := compute.NewWithConfig("go")
	store := model.NewStore()
	store.VariableWithValue("/dense/weights", [][]float32{{1, -2}, {0, 3}})
	store.VariableWithValue("/dense/biases", []float32{-0.5})
	penalty := regularizers.Must(regularizers.ElasticNet(0.3, 0.7))

	var names []string
	exec, _ := model.NewExec(backend, store, func(scope *model.Scope, g *graph.Graph) []*graph.Node {
		regularizers.Apply(scope, g, penalty, regularizers.AllTrainable)
		var values []*graph.Node
		for _, term := range regularizers.Terms(g) {
			names = append(names, term.Name)
			values = append(values, term.Value)
		}
		return values
	})
	values, _ := exec.Call()
	for i, name := range names {
		fmt.Printf("%s loss: %.4f\n", name, values[i].Value())
	}
	// Output:
	// L1 loss: 1.9500
	// L2 loss: 9.9750
}

// Penalties are GoMLX regularizers: they plug into GoMLX's own layers, which
// apply them to their kernels.
func ExampleL2() {
	backend, _ := compute.NewWithConfig("go")
	store := model.NewStore()
	l2 := regularizers.Must(regularizers.L2(1e-3))
	exec, _ := model.NewExec(backend, store, func(scope *model.Scope, x *graph.Node) []*graph.Node {
		y := fnn.New(scope, x, 3).NumHiddenLayers(1, 4).Regularizer(l2).Done()
		term := regularizers.Terms(x.Graph())[0]
		return []*graph.Node{y, graph.GreaterThan(term.Value, graph.ScalarZero(x.Graph(), term.Value.DType()))}
	})
	out, _ := exec.Call([][]float32{{1, 2}})
	fmt.Println("logits shape:", out[0].Shape().Dimensions, "- L2 term > 0:", out[1].Value())
	// Output: logits shape: [1 3] - L2 term > 0: true
}

// Proximal L1 produces exact zeros: weights whose magnitude falls below η·λ
// are set to 0 after the optimizer's step.
func ExampleProximalL1() {
	backend, _ := compute.NewWithConfig("go")
	store := model.NewStore()
	w := store.VariableWithValue("/weights", []float32{0.5, -0.05, 0.02, -2})
	prox := regularizers.Must(regularizers.ProximalL1(1, regularizers.WithLearningRate(0.1)))
	sgd := optimizer.StochasticGradientDescent().WithLearningRate(0.1).WithDecay(false).Done()
	exec, _ := model.NewExec(backend, store, func(scope *model.Scope, g *graph.Graph) *graph.Node {
		loss := graph.ReduceAllSum(graph.MulScalar(w.NodeValue(g), 0)) // No data term.
		train.AddMainLoss(loss)
		prox(g, w)
		sgd.UpdateGraph(scope, g, train.TotalLoss(g))
		train.ExecPerStepUpdateGraphFn(g)
		return loss
	})
	_, _ = exec.Call()
	fmt.Println(w.MustValue().Value())
	// Output: [0.4 0 0 -1.9]
}

// Model-level selection: penalize kernels only, leaving biases alone.
func ExampleSelect() {
	store := model.NewStore()
	store.VariableWithValue("/dense_0/weights", []float32{1})
	store.VariableWithValue("/dense_0/biases", []float32{1})
	kernels, _ := regularizers.Select(store.RootScope(), regularizers.KernelsOnly)
	all, _ := regularizers.Select(store.RootScope(), regularizers.AllTrainable)
	fmt.Println(len(kernels), kernels[0].Path(), len(all))
	// Output: 1 /dense_0/weights 2
}

// Keras's orthogonal penalty: λ times the mean |cos| between the rows (or
// the columns) of a kernel.
func ExampleOrthogonal() {
	backend, _ := compute.NewWithConfig("go")
	for _, tc := range []struct {
		kernel  [][]float32
		vectors regularizers.Vectors
	}{
		{[][]float32{{1, 0}, {1, 1}, {0, 2}}, regularizers.Rows},    // |cos| 1/√2, 0, 1/√2
		{[][]float32{{1, 0}, {1, 1}, {0, 2}}, regularizers.Columns}, // |cos| 1/√10
		{[][]float32{{2, 0}, {0, -3}}, regularizers.Rows},           // orthogonal
	} {
		store := model.NewStore()
		store.VariableWithValue("/dense/weights", tc.kernel)
		penalty := regularizers.Must(regularizers.Orthogonal(0.1, tc.vectors))
		value, _ := model.CallOnce(backend, store, func(scope *model.Scope, g *graph.Graph) *graph.Node {
			regularizers.Apply(scope, g, penalty, regularizers.KernelsOnly)
			return regularizers.Terms(g)[0].Value
		})
		fmt.Printf("%v of %v: %.4f\n", tc.vectors, tc.kernel, value.Value())
	}
	// Output:
	// Rows of [[1 0] [1 1] [0 2]]: 0.0471
	// Columns of [[1 0] [1 1] [0 2]]: 0.0316
	// Rows of [[2 0] [0 -3]]: 0.0000
}

// A max-norm constraint after the optimizer's step: the unit (row of an
// [out, in] kernel) whose norm exceeds 1 is scaled back to norm 1, and
// UnitNorms counts it at the bound.
func ExampleMaxNorm() {
	backend, _ := compute.NewWithConfig("go")
	store := model.NewStore()
	w := store.VariableWithValue("/dense/weights", [][]float32{{3, 4}, {0.3, 0.4}, {0, 0}}) // Norms 5, 0.5, 0.
	axis := regularizers.OutIn.InputAxis()
	maxNorm := regularizers.Must(regularizers.MaxNorm(1, axis))
	sgd := optimizer.StochasticGradientDescent().WithLearningRate(0.1).WithDecay(false).Done()
	exec, _ := model.NewExec(backend, store, func(scope *model.Scope, g *graph.Graph) *graph.Node {
		loss := graph.ReduceAllSum(graph.MulScalar(w.NodeValue(g), 0)) // No data term.
		train.AddMainLoss(loss)
		maxNorm(g, w)
		sgd.UpdateGraph(scope, g, train.TotalLoss(g))
		train.ExecPerStepUpdateGraphFn(g)
		return loss
	})
	_, _ = exec.Call()
	fmt.Printf("%.4f\n", w.MustValue().Value())
	report, _ := regularizers.UnitNorms(store.RootScope(), regularizers.KernelsOnly, axis, 0, 1)
	fmt.Printf("%s: %d units, %d at the max norm, %d at 0\n", report[0].Name, report[0].Units, report[0].AtHi, report[0].AtLo)
	// Output:
	// [[0.6000 0.8000] [0.3000 0.4000] [0.0000 0.0000]]
	// /dense/weights: 3 units, 1 at the max norm, 1 at 0
}
