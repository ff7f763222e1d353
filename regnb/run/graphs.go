package run

import (
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
	"github.com/regnb/regnb/regnb/settings"
	"github.com/regnb/regnb/regularizers"
)

// stepOutputs are what one training step returns.
type stepOutputs struct {
	Logged bool      // Whether the step computed the total and the terms.
	Total  float64   // The data loss plus every term; on unlogged steps, the data loss.
	Data   float64   // The data loss (cross-entropy).
	Terms  []float64 // Each penalty term, in history.History.Terms order; nil on unlogged steps.
}

// execs are a run's compiled graphs. A training graph runs k steps per call
// (k ≥ 1: the rows of its index input), on the data sets kept on the
// backend's device (deviceSet), so that a call moves only k·batch indices
// in and k losses out. Two graphs train the same variables: a logged call's
// last step also outputs the total and every penalty term; the others only
// the data losses, so the backend never computes the penalties' values, only
// their gradients.
type execs struct {
	logged, fast *model.Exec
	terms        []string // The penalty terms' names, known once a logged step is built.
	sets         map[*data.Set]*deviceSet

	// On a backend that computes on the host (the pure-Go one), a call of
	// one step takes its mini-batch as float32 instead: scaling bytes on the
	// host in Go is cheaper than the backend's gather and element-wise
	// conversion, and there is no device to keep the data on.
	hostBatches          bool
	loggedHost, fastHost *model.Exec
	batch                *hostBatch
}

func newExecs(b compute.Backend, store *model.Store, cfg settings.Config, penalty regularizers.Regularizer, numClasses int, hostBatches bool) (*execs, error) {
	sb, err := newStepBuilder(cfg, penalty, numClasses)
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
	e.fastHost, err = model.NewExec(b, store, sb.hostStep(e, false))
	return e, err
}

// stepBuilder builds a run's training steps: the model (with its dropout),
// its penalty on the selected parameters, Adam, then its constraint on the
// kernels.
type stepBuilder struct {
	cfg        settings.Config
	numClasses int
	penalty    regularizers.Regularizer
	selector   regularizers.Selector
	constraint regularizers.Regularizer // nil: none.
	opt        optimizer.Interface
}

func newStepBuilder(cfg settings.Config, penalty regularizers.Regularizer, numClasses int) (*stepBuilder, error) {
	selector := regularizers.Selector(regularizers.AllTrainable)
	if cfg.Penalize == "kernels" {
		selector = regularizers.KernelsOnly
	}
	constraint, err := Constraint(cfg)
	if err != nil {
		return nil, err
	}
	opt := optimizer.Adam().LearningRate(cfg.LR).Betas(0.9, 0.999).Epsilon(1e-8).Done()
	return &stepBuilder{cfg: cfg, numClasses: numClasses, penalty: penalty, selector: selector, constraint: constraint, opt: opt}, nil
}

func (sb *stepBuilder) mlp(scope *model.Scope, x *graph.Node) *graph.Node {
	return layers.MLP(scope, x).Hidden(sb.cfg.Hidden...).Outputs(sb.numClasses).Init(layers.InitPyTorch, sb.cfg.Seed).
		Dropout(sb.cfg.Dropout).Done()
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
	loss := CrossEntropy(sb.mlp(scope, x), y)
	train.AddMainLoss(loss)
	regularizers.Apply(scope, g, sb.penalty, sb.selector) // Adds the penalties as regularization losses.
	if sb.constraint != nil {
		regularizers.Apply(scope, g, sb.constraint, regularizers.KernelsOnly) // A step after the optimizer's.
	}
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
	return data.ScaleGraph(graph.Gather(images, rows)), graph.Gather(labels, rows)
}

// reshapeAll reshapes each node to dims.
func reshapeAll(nodes []*graph.Node, dims ...int) []*graph.Node {
	out := make([]*graph.Node, len(nodes))
	for i, n := range nodes {
		out[i] = graph.Reshape(n, dims...)
	}
	return out
}

// CrossEntropy is the training step's data loss (PyTorch's
// nn.CrossEntropyLoss): the mean over the mini-batch of −log softmax(logits)[label],
// for logits [batch, classes] and integer labels [batch].
func CrossEntropy(logits, labels *graph.Node) *graph.Node {
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

// deviceSet is a data set as two tensors that, once a graph has used them,
// stay on the backend's device: the images as bytes [N, pixels] (scaled in
// the graph) and the labels [N].
type deviceSet struct {
	set            *data.Set
	images, labels *tensors.Tensor
}

func newDeviceSet(s *data.Set) *deviceSet {
	pixels := s.Rows * s.Cols
	return &deviceSet{
		set:    s,
		images: tensors.FromFlatDataAndDimensions(s.Pixels[:s.N*pixels], s.N, pixels),
		labels: tensors.FromFlatDataAndDimensions(s.Labels[:s.N], s.N),
	}
}

// hostBatch fills the buffers of one mini-batch at a time, on the host.
type hostBatch struct {
	set *data.Set
	x   []float32
	y   []int32
}

func newHostBatch(set *data.Set, size int) *hostBatch {
	return &hostBatch{set: set, x: make([]float32, size*set.Rows*set.Cols), y: make([]int32, size)}
}

// gather copies the examples idx into the buffers, scaled as batchAt scales
// them (data.Set.FillMiniBatch), and returns them as tensors [len(idx), pixels]
// and [len(idx)].
func (b *hostBatch) gather(idx []int) (*tensors.Tensor, *tensors.Tensor) {
	pixels := b.set.Rows * b.set.Cols
	if cap(b.y) < len(idx) {
		b.x, b.y = make([]float32, len(idx)*pixels), make([]int32, len(idx))
	}
	n := len(idx)
	b.set.FillMiniBatch(idx, b.x[:n*pixels], b.y[:n])
	return tensors.FromFlatDataAndDimensions(b.x[:n*pixels], n, pixels), tensors.FromFlatDataAndDimensions(b.y[:n], n)
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

// indexTensor returns idx as an Int32 tensor [len(idx), len(idx[0])].
func indexTensor(idx [][]int) *tensors.Tensor {
	flat := make([]int32, 0, len(idx)*len(idx[0]))
	for _, row := range idx {
		for _, j := range row {
			flat = append(flat, int32(j))
		}
	}
	return tensors.FromFlatDataAndDimensions(flat, len(idx), len(idx[0]))
}

func floatsOf(t *tensors.Tensor) []float64 {
	values, err := regularizers.Float64s(t)
	if err != nil {
		return []float64{math.NaN()}
	}
	return values
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
