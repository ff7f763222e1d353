package run

import (
	"github.com/gomlx/gomlx/core/graph"
	"github.com/gomlx/gomlx/ml/model"
	"github.com/gomlx/gomlx/ml/train"
	"github.com/gomlx/gomlx/ml/train/optimizer"

	"github.com/regnb/regnb/layers"
	"github.com/regnb/regnb/regnb/data"
	"github.com/regnb/regnb/regnb/settings"
	"github.com/regnb/regnb/regularizers"
)

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
				nextStep(g)
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
// regularizers.NextStep restarts GoMLX's loss accumulators at 0 and makes
// the regularizers forget the previous step's terms and updates (tested:
// several steps per call give the results of one step per call, bit for bit).
func nextStep(g *graph.Graph) { regularizers.NextStep(g) }

// batchAt returns mini-batch i: the images (scaled to [0, 1]) and labels of
// the examples whose indices are row i of idx ([k, batch] Int32).
func batchAt(images, labels, idx *graph.Node, i int) (x, y *graph.Node) {
	return batchRows(images, labels, graph.Reshape(graph.Slice(idx, graph.AxisElem(i)), -1, 1))
}

// batchRows returns the images (scaled by data.ScaleGraph, as hostBatch
// scales on the host) and labels of the examples rows ([batch, 1] Int32).
func batchRows(images, labels, rows *graph.Node) (x, y *graph.Node) {
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
