package experiment

import (
	"fmt"
	"math"

	"github.com/gomlx/compute"
	"github.com/gomlx/compute/dtypes"
	"github.com/gomlx/gomlx/core/graph"
	"github.com/gomlx/gomlx/core/tensors"
	"github.com/gomlx/gomlx/ml/model"
	"github.com/gomlx/gomlx/ml/train"
	"github.com/gomlx/gomlx/ml/train/optimizer"

	"github.com/regnb/regnb/layers"
	"github.com/regnb/regnb/regnb/data"
	"github.com/regnb/regnb/regularizers"
)

// stepOutputs are what one training step returns.
type stepOutputs struct {
	Logged bool      // Whether the step computed the total and the terms.
	Total  float64   // The data loss plus every term; on unlogged steps, the data loss.
	Data   float64   // The data loss (cross-entropy).
	Terms  []float64 // Each penalty term, in History.Terms order; nil on unlogged steps.
}

// execs are a run's compiled graphs. Two graphs train the same variables:
// the logged steps output the total, the data loss and every penalty term;
// the others only the data loss, so the backend never computes the
// penalties' values, only their gradients.
type execs struct {
	logged, fast, eval *model.Exec
	terms              []string // The penalty terms' names, known once the logged step is built.
}

func newExecs(b compute.Backend, store *model.Store, cfg Config, numClasses int) (*execs, error) {
	penalty, err := cfg.Penalty()
	if err != nil {
		return nil, err
	}
	selector := regularizers.Selector(regularizers.AllTrainable)
	if cfg.Penalize == "kernels" {
		selector = regularizers.KernelsOnly
	}
	opt := optimizer.Adam().LearningRate(cfg.LR).Betas(0.9, 0.999).Epsilon(1e-8).Done()
	mlp := func(scope *model.Scope, x *graph.Node) *graph.Node {
		return layers.MLP(scope, x).Hidden(cfg.Hidden...).Outputs(numClasses).Init(layers.InitPyTorch, cfg.Seed).Done()
	}
	e := &execs{}
	step := func(logged bool) func(scope *model.Scope, x, labels *graph.Node) []*graph.Node {
		return func(scope *model.Scope, x, labels *graph.Node) []*graph.Node {
			g := x.Graph()
			scope.Store().SetTraining(g, true)
			loss := crossEntropy(mlp(scope, x), labels)
			train.AddMainLoss(loss)
			regularizers.Apply(scope, g, penalty, selector) // Adds the penalties as regularization losses.
			total := train.TotalLoss(g)
			opt.UpdateGraph(scope, g, total)
			train.ExecPerStepUpdateGraphFn(g)
			if !logged {
				return []*graph.Node{loss}
			}
			outs := []*graph.Node{total, loss}
			var names []string
			for _, t := range regularizers.Terms(g) {
				names = append(names, t.Name)
				outs = append(outs, t.Value)
			}
			e.terms = names
			return outs
		}
	}
	if e.logged, err = model.NewExec(b, store, step(true)); err != nil {
		return nil, err
	}
	if e.fast, err = model.NewExec(b, store, step(false)); err != nil {
		return nil, err
	}
	e.eval, err = model.NewExec(b, store, func(scope *model.Scope, x, labels *graph.Node) *graph.Node {
		predicted := graph.ArgMax(mlp(scope, x), -1, dtypes.Int32)
		return graph.ReduceAllSum(graph.ConvertDType(graph.Equal(predicted, labels), dtypes.Float32))
	})
	return e, err
}

// crossEntropy is the mean over the batch of −log softmax(logits)[label].
func crossEntropy(logits, labels *graph.Node) *graph.Node {
	logp := graph.LogSoftmax(logits, -1)
	onehot := graph.OneHot(labels, logits.Shape().Dimensions[1], logits.DType())
	return graph.Neg(graph.ReduceAllMean(graph.ReduceSum(graph.Mul(onehot, logp), -1)))
}

// train runs one training step on the batch x, y.
func (e *execs) train(x, y *tensors.Tensor, logged bool) (stepOutputs, error) {
	exec := e.fast
	if logged {
		exec = e.logged
	}
	outs, err := exec.Call(x, y)
	if err != nil {
		return stepOutputs{}, err
	}
	if !logged { // Only the data loss: it stands for the total.
		loss := scalarOf(outs[0])
		return stepOutputs{Total: loss, Data: loss}, nil
	}
	o := stepOutputs{Logged: true, Total: scalarOf(outs[0]), Data: scalarOf(outs[1])}
	for _, t := range outs[2:] {
		o.Terms = append(o.Terms, scalarOf(t))
	}
	return o, nil
}

// accuracy evaluates the fraction of ds classified correctly.
func (e *execs) accuracy(ds *data.Set) (float64, error) {
	const evalBatch = 1000
	correct := 0.0
	pixels := ds.Rows * ds.Cols
	buf := make([]float32, 0, evalBatch*pixels)
	for start := 0; start < ds.N; start += evalBatch {
		end := min(start+evalBatch, ds.N)
		x := tensors.FromFlatDataAndDimensions(ds.Images(start, end, buf), end-start, pixels)
		y := tensors.FromFlatDataAndDimensions(ds.Labels[start:end], end-start)
		out, err := e.eval.Call(x, y)
		if err != nil {
			return 0, fmt.Errorf("evaluating: %w", err)
		}
		correct += scalarOf(out[0])
	}
	return correct / float64(ds.N), nil
}

// batches fills the buffers of one mini-batch at a time.
type batches struct {
	set *data.Set
	x   []float32
	y   []int32
}

func newBatches(set *data.Set, size int) *batches {
	return &batches{set: set, x: make([]float32, size*set.Rows*set.Cols), y: make([]int32, size)}
}

// gather copies the examples idx into the batch buffers and returns tensors.
func (b *batches) gather(idx []int) (*tensors.Tensor, *tensors.Tensor) {
	pixels := b.set.Rows * b.set.Cols
	for i, j := range idx {
		for k, p := range b.set.Pixels[j*pixels : (j+1)*pixels] {
			b.x[i*pixels+k] = float32(p) / 255
		}
		b.y[i] = b.set.Labels[j]
	}
	n := len(idx)
	return tensors.FromFlatDataAndDimensions(b.x[:n*pixels], n, pixels), tensors.FromFlatDataAndDimensions(b.y[:n], n)
}

func scalarOf(t *tensors.Tensor) float64 {
	switch v := t.Value().(type) {
	case float32:
		return float64(v)
	case float64:
		return v
	}
	return math.NaN()
}
