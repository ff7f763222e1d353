package regularizers_test

import (
	"fmt"

	"github.com/gomlx/gomlx/backends"
	"github.com/gomlx/gomlx/pkg/core/graph"
	"github.com/gomlx/gomlx/pkg/ml/context"
	"github.com/gomlx/gomlx/pkg/ml/layers/fnn"
	"github.com/gomlx/gomlx/pkg/ml/train"
	"github.com/gomlx/gomlx/pkg/ml/train/optimizers"

	"github.com/regnb/regnb/regularizers"
)

// The tutorial's Elastic Net, 0.3·Σ|w| + 0.7·Σw², over every parameter of a
// model (biases included), with each part reported under its name.
func ExampleElasticNet() {
	backend, _ := backends.NewWithConfig("go:ops_sequential")
	ctx := context.New()
	ctx.In("dense").VariableWithValue("weights", [][]float32{{1, -2}, {0, 3}})
	ctx.In("dense").VariableWithValue("biases", []float32{-0.5})
	penalty := regularizers.Must(regularizers.ElasticNet(0.3, 0.7))

	var names []string
	exec, _ := context.NewExec(backend, ctx, func(ctx *context.Context, g *graph.Graph) []*graph.Node {
		regularizers.Apply(ctx, g, penalty, regularizers.AllTrainable)
		var values []*graph.Node
		for _, term := range regularizers.Terms(ctx, g) {
			names = append(names, term.Name)
			values = append(values, term.Value)
		}
		return values
	})
	values, _ := exec.Exec()
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
	backend, _ := backends.NewWithConfig("go:ops_sequential")
	ctx := context.New()
	l2 := regularizers.Must(regularizers.L2(1e-3))
	exec, _ := context.NewExec(backend, ctx, func(ctx *context.Context, x *graph.Node) []*graph.Node {
		y := fnn.New(ctx, x, 3).NumHiddenLayers(1, 4).Regularizer(l2).Done()
		term := regularizers.Terms(ctx, x.Graph())[0]
		return []*graph.Node{y, graph.GreaterThan(term.Value, graph.ScalarZero(x.Graph(), term.Value.DType()))}
	})
	out, _ := exec.Exec([][]float32{{1, 2}})
	fmt.Println("logits shape:", out[0].Shape().Dimensions, "- L2 term > 0:", out[1].Value())
	// Output: logits shape: [1 3] - L2 term > 0: true
}

// Proximal L1 produces exact zeros: weights whose magnitude falls below η·λ
// are set to 0 after the optimizer's step.
func ExampleProximalL1() {
	backend, _ := backends.NewWithConfig("go:ops_sequential")
	ctx := context.New()
	w := ctx.VariableWithValue("weights", []float32{0.5, -0.05, 0.02, -2})
	prox := regularizers.Must(regularizers.ProximalL1(1, regularizers.WithLearningRate(0.1)))
	sgd := optimizers.StochasticGradientDescent().WithLearningRate(0.1).WithDecay(false).Done()
	exec, _ := context.NewExec(backend, ctx, func(ctx *context.Context, g *graph.Graph) *graph.Node {
		loss := graph.ReduceAllSum(graph.MulScalar(w.ValueGraph(g), 0)) // No data term.
		train.AddLoss(ctx, loss)
		prox(ctx, g, w)
		sgd.UpdateGraph(ctx, g, train.GetLosses(ctx, g))
		train.ExecPerStepUpdateGraphFn(ctx, g)
		return loss
	})
	_, _ = exec.Exec()
	fmt.Println(w.MustValue().Value())
	// Output: [0.4 0 0 -1.9]
}

// Model-level selection: penalize kernels only, leaving biases alone.
func ExampleSelect() {
	ctx := context.New()
	ctx.In("dense_0").VariableWithValue("weights", []float32{1})
	ctx.In("dense_0").VariableWithValue("biases", []float32{1})
	kernels, _ := regularizers.Select(ctx, regularizers.KernelsOnly)
	all, _ := regularizers.Select(ctx, regularizers.AllTrainable)
	fmt.Println(len(kernels), kernels[0].ScopeAndName(), len(all))
	// Output: 1 /dense_0/weights 2
}
