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
// apply them to their kernels. Here fnn's output layer (an [in, out] kernel)
// is W = [[1, −2], [0, 3]] with biases [0.5, −0.5]: L2(0.1) is
// 0.1·(1 + 4 + 0 + 9) = 1.4, the kernel's only (fnn does not pass it the
// biases), and x = [1, 1] gives the logits x·W + b = [1.5, 0.5].
func ExampleL2() {
	backend, _ := compute.NewWithConfig("go")
	store := model.NewStore()
	store.VariableWithValue("/fnn_output_layer/weights", [][]float32{{1, -2}, {0, 3}})
	store.VariableWithValue("/fnn_output_layer/biases", []float32{0.5, -0.5})
	l2 := regularizers.Must(regularizers.L2(0.1))
	out, _ := model.CallOnceN(backend, store, func(scope *model.Scope, x *graph.Node) []*graph.Node {
		logits := fnn.New(scope, x, 2).Regularizer(l2).Done()
		term := regularizers.Terms(x.Graph())[0]
		return []*graph.Node{logits, term.Value}
	}, [][]float32{{1, 1}})
	fmt.Println("logits:", out[0].Value())
	fmt.Printf("L2 term: %.4f\n", out[1].Value())
	// Output:
	// logits: [[1.5 0.5]]
	// L2 term: 1.4000
}

// scikit-learn's α = 0.5 and l1_ratio ρ = 0.2 are the strengths λ1 = α·ρ and
// λ2 = ½·α·(1−ρ) of ElasticNet and ProximalElasticNet.
func ExampleElasticNetStrengths() {
	l1, l2, _ := regularizers.ElasticNetStrengths(0.5, 0.2)
	fmt.Printf("λ1 = %.2f, λ2 = %.2f\n", l1, l2)
	_, _, err := regularizers.ElasticNetStrengths(0.5, 1.2)
	fmt.Println(err)
	// Output:
	// λ1 = 0.10, λ2 = 0.20
	// regularizers.ElasticNetStrengths: invalid l1Ratio 1.2: must be in [0, 1]
}

// Several training steps built in one graph (one executable call for k
// steps): NextStep between them, so that step 2 reports its own term and
// soft-thresholds once, by η·λ = 0.1, not again by step 1's threshold.
func ExampleNextStep() {
	backend, _ := compute.NewWithConfig("go")
	store := model.NewStore()
	w := store.VariableWithValue("/weights", []float32{0.5, -0.05, 0.02, -2})
	prox := regularizers.Must(regularizers.ProximalL1(1))
	sgd := optimizer.StochasticGradientDescent().WithLearningRate(0.1).WithDecay(false).Done()
	terms, _ := model.CallOnceN(backend, store, func(scope *model.Scope, g *graph.Graph) []*graph.Node {
		var l1 []*graph.Node
		for step := range 2 {
			if step > 0 {
				regularizers.NextStep(g)
			}
			train.AddMainLoss(graph.ReduceAllSum(graph.MulScalar(w.NodeValue(g), 0))) // No data term.
			prox(g, w)
			sgd.UpdateGraph(scope, g, train.TotalLoss(g))
			train.ExecPerStepUpdateGraphFn(g)
			l1 = append(l1, regularizers.Terms(g)[0].Value)
		}
		return l1
	})
	fmt.Printf("L1 term: step 1 %.2f, step 2 %.2f\n", terms[0].Value(), terms[1].Value())
	fmt.Println("weights after 2 steps:", w.MustValue().Value())
	// Output:
	// L1 term: step 1 2.57, step 2 2.30
	// weights after 2 steps: [0.3 0 0 -1.8]
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
	paths := func(sel regularizers.Selector) []string {
		vars, _ := regularizers.Select(store.RootScope(), sel)
		var out []string
		for _, v := range vars {
			out = append(out, v.Path())
		}
		return out
	}
	fmt.Println("KernelsOnly:", paths(regularizers.KernelsOnly))
	fmt.Println("AllTrainable:", paths(regularizers.AllTrainable))
	// Output:
	// KernelsOnly: [/dense_0/weights]
	// AllTrainable: [/dense_0/weights /dense_0/biases]
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

// A kernel's layout says which axis holds its units: the axis the norm
// constraints take (InputAxis) and the vectors Orthogonal compares for the
// units (UnitVectors).
func ExampleKernelLayout() {
	for _, layout := range []regularizers.KernelLayout{regularizers.OutIn, regularizers.InOut} {
		fmt.Printf("%v: input axis %d, units are the %v\n", layout, layout.InputAxis(), layout.UnitVectors())
	}
	// Output:
	// OutIn: input axis 1, units are the Rows
	// InOut: input axis 0, units are the Columns
}
