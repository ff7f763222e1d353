package experiment

import (
	"fmt"

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

// execs are a run's compiled graphs. A training graph runs k steps per call
// (k ≥ 1: the rows of its index input), on the data sets kept on the
// backend's device (deviceSet), so that a call moves only k·batch indices
// in and k losses out. Two graphs train the same variables: a logged call's
// last step also outputs the total and every penalty term; the others only
// the data losses, so the backend never computes the penalties' values, only
// their gradients.
type execs struct {
	logged, fast, eval *model.Exec
	terms              []string // The penalty terms' names, known once a logged step is built.
	sets               map[*data.Set]*deviceSet

	// On a backend that computes on the host (the pure-Go one), a call of
	// one step takes its mini-batch as float32 instead: scaling bytes on the
	// host in Go is cheaper than the backend's gather and element-wise
	// conversion, and there is no device to keep the data on.
	hostBatches          bool
	loggedHost, fastHost *model.Exec
	batch                *hostBatch
}

func newExecs(b compute.Backend, store *model.Store, cfg Config, numClasses int, hostBatches bool) (*execs, error) {
	sb, err := newStepBuilder(cfg, numClasses)
	if err != nil {
		return nil, err
	}
	e := &execs{sets: map[*data.Set]*deviceSet{}, hostBatches: hostBatches}
	if e.logged, err = model.NewExec(b, store, sb.steps(e, true)); err != nil {
		return nil, err
	}
	if e.fast, err = model.NewExec(b, store, sb.steps(e, false)); err != nil {
		return nil, err
	}
	if e.loggedHost, err = model.NewExec(b, store, sb.hostStep(e, true)); err != nil {
		return nil, err
	}
	if e.fastHost, err = model.NewExec(b, store, sb.hostStep(e, false)); err != nil {
		return nil, err
	}
	e.eval, err = model.NewExec(b, store, func(scope *model.Scope, images, labels, idx *graph.Node) *graph.Node {
		x, y := batchAt(images, labels, graph.InsertAxes(idx, 0), 0)
		predicted := graph.ArgMax(sb.mlp(scope, x), -1, dtypes.Int32)
		return graph.ReduceAllSum(graph.ConvertDType(graph.Equal(predicted, y), dtypes.Float32))
	})
	return e, err
}

// stepBuilder builds a run's training steps: the model, its penalty on the
// selected parameters, Adam.
type stepBuilder struct {
	cfg        Config
	numClasses int
	penalty    regularizers.Regularizer
	selector   regularizers.Selector
	opt        optimizer.Interface
}

func newStepBuilder(cfg Config, numClasses int) (*stepBuilder, error) {
	penalty, err := cfg.Penalty()
	if err != nil {
		return nil, err
	}
	selector := regularizers.Selector(regularizers.AllTrainable)
	if cfg.Penalize == "kernels" {
		selector = regularizers.KernelsOnly
	}
	opt := optimizer.Adam().LearningRate(cfg.LR).Betas(0.9, 0.999).Epsilon(1e-8).Done()
	return &stepBuilder{cfg: cfg, numClasses: numClasses, penalty: penalty, selector: selector, opt: opt}, nil
}

func (sb *stepBuilder) mlp(scope *model.Scope, x *graph.Node) *graph.Node {
	return layers.MLP(scope, x).Hidden(sb.cfg.Hidden...).Outputs(sb.numClasses).Init(layers.InitPyTorch, sb.cfg.Seed).Done()
}

// steps returns the graph function of k training steps (k: the rows of idx)
// on the mini-batches idx selects; it outputs the k data losses and, if
// logged, the last step's total and terms (whose names it records in e).
func (sb *stepBuilder) steps(e *execs, logged bool) func(scope *model.Scope, images, labels, idx *graph.Node) []*graph.Node {
	return func(scope *model.Scope, images, labels, idx *graph.Node) []*graph.Node {
		g := idx.Graph()
		scope.Store().SetTraining(g, true)
		k := idx.Shape().Dimensions[0]
		losses := make([]*graph.Node, k)
		var values []*graph.Node
		for i := range k {
			if i > 0 {
				nextStep(g, losses[i-1].DType())
			}
			x, y := batchAt(images, labels, idx, i)
			losses[i] = sb.step(scope, x, y)
			if logged && i == k-1 {
				values = e.report(g)
			}
		}
		return append([]*graph.Node{graph.Concatenate(reshapeAll(losses, 1), 0)}, values...)
	}
}

// hostStep returns the graph function of one training step on a mini-batch
// given as x [batch, pixels] (scaled) and y [batch]; its outputs are those of
// steps.
func (sb *stepBuilder) hostStep(e *execs, logged bool) func(scope *model.Scope, x, y *graph.Node) []*graph.Node {
	return func(scope *model.Scope, x, y *graph.Node) []*graph.Node {
		scope.Store().SetTraining(x.Graph(), true)
		outs := []*graph.Node{graph.Reshape(sb.step(scope, x, y), 1)}
		if logged {
			outs = append(outs, e.report(x.Graph())...)
		}
		return outs
	}
}

// step builds one training step on x, y and returns its data loss.
func (sb *stepBuilder) step(scope *model.Scope, x, y *graph.Node) *graph.Node {
	g := x.Graph()
	loss := crossEntropy(sb.mlp(scope, x), y)
	train.AddMainLoss(loss)
	regularizers.Apply(scope, g, sb.penalty, sb.selector) // Adds the penalties as regularization losses.
	sb.opt.UpdateGraph(scope, g, train.TotalLoss(g))
	train.ExecPerStepUpdateGraphFn(g)
	return loss
}

// report returns the step's total loss and its terms, and records the
// terms' names.
func (e *execs) report(g *graph.Graph) []*graph.Node {
	values := []*graph.Node{train.TotalLoss(g)}
	var names []string
	for _, t := range regularizers.Terms(g) {
		names = append(names, t.Name)
		values = append(values, t.Value)
	}
	e.terms = names
	return values
}

// nextStep starts the next of several training steps built in one graph:
// GoMLX's loss accumulators restart at 0 (exactly: 0 + loss is loss), and the
// regularizers forget the previous step's terms and updates.
func nextStep(g *graph.Graph, dtype dtypes.DType) {
	zero := graph.ScalarZero(g, dtype)
	model.SetGraphParam(g, model.JoinPath(train.TrainerAbsoluteScope, train.TrainerMainLossGraphParamKey), zero)
	model.SetGraphParam(g, model.JoinPath(train.TrainerAbsoluteScope, train.TrainerRegularizationLossGraphParamKey), zero)
	regularizers.NextStep(g)
}

// batchAt returns mini-batch i: the images (scaled to [0, 1]) and labels of
// the examples whose indices are row i of idx ([k, batch] Int32).
func batchAt(images, labels, idx *graph.Node, i int) (x, y *graph.Node) {
	rows := graph.Reshape(graph.Slice(idx, graph.AxisElem(i)), -1, 1) // [batch, 1]
	// p/255 as a division (DivScalar would multiply by 1/255, which rounds
	// differently), as hostBatch scales on the host.
	x = graph.ConvertDType(graph.Gather(images, rows), dtypes.Float32)
	x = graph.Div(x, graph.Scalar(x.Graph(), dtypes.Float32, 255))
	return x, graph.Gather(labels, rows)
}

// reshapeAll reshapes each node to dims.
func reshapeAll(nodes []*graph.Node, dims ...int) []*graph.Node {
	out := make([]*graph.Node, len(nodes))
	for i, n := range nodes {
		out[i] = graph.Reshape(n, dims...)
	}
	return out
}

// crossEntropy is the mean over the batch of −log softmax(logits)[label].
func crossEntropy(logits, labels *graph.Node) *graph.Node {
	logp := graph.LogSoftmax(logits, -1)
	onehot := graph.OneHot(labels, logits.Shape().Dimensions[1], logits.DType())
	return graph.Neg(graph.ReduceAllMean(graph.ReduceSum(graph.Mul(onehot, logp), -1)))
}

// train runs len(idx) training steps, on the examples idx[i] for step i
// (every row the same length), and returns each step's data loss and, if
// logged, the last step's outputs.
func (e *execs) train(set *data.Set, idx [][]int, logged bool) (losses []float64, last stepOutputs, err error) {
	var outs []*tensors.Tensor
	if e.hostBatches && len(idx) == 1 {
		exec := e.fastHost
		if logged {
			exec = e.loggedHost
		}
		if e.batch == nil || e.batch.set != set {
			e.batch = newHostBatch(set, len(idx[0]))
		}
		outs, err = exec.Call(e.batch.gather(idx[0]))
	} else {
		d := e.device(set)
		exec := e.fast
		if logged {
			exec = e.logged
		}
		outs, err = exec.Call(d.images, d.labels, indexTensor(idx))
	}
	if err != nil {
		return nil, stepOutputs{}, err
	}
	losses = floatsOf(outs[0])
	last = stepOutputs{Total: losses[len(losses)-1], Data: losses[len(losses)-1]}
	if !logged { // Only the data loss: it stands for the total.
		return losses, last, nil
	}
	last.Logged, last.Total = true, scalarOf(outs[1])
	for _, t := range outs[2:] {
		last.Terms = append(last.Terms, scalarOf(t))
	}
	return losses, last, nil
}

// accuracy evaluates the fraction of set's examples classified correctly.
func (e *execs) accuracy(set *data.Set) (float64, error) {
	const evalBatch = 1000
	d := e.device(set)
	correct := 0.0
	n := d.set.N
	for start := 0; start < n; start += evalBatch {
		idx := make([]int32, min(start+evalBatch, n)-start)
		for i := range idx {
			idx[i] = int32(start + i)
		}
		out, err := e.eval.Call(d.images, d.labels, tensors.FromFlatDataAndDimensions(idx, len(idx)))
		if err != nil {
			return 0, fmt.Errorf("evaluating: %w", err)
		}
		correct += scalarOf(out[0])
	}
	return correct / float64(n), nil
}

// device returns set as a deviceSet, made once per set.
func (e *execs) device(set *data.Set) *deviceSet {
	d, found := e.sets[set]
	if !found {
		d = newDeviceSet(set)
		e.sets[set] = d
	}
	return d
}
