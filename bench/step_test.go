package bench

import (
	"fmt"
	"math/rand/v2"
	"testing"

	"github.com/gomlx/compute"
	"github.com/gomlx/gomlx/core/graph"
	"github.com/gomlx/gomlx/core/tensors"
	"github.com/gomlx/gomlx/ml/model"
	"github.com/gomlx/gomlx/ml/train"
	"github.com/gomlx/gomlx/ml/train/optimizer"

	"github.com/regnb/regnb/internal/backend"
	"github.com/regnb/regnb/layers"
	"github.com/regnb/regnb/regularizers"
)

// stepExec builds the tutorial's training step (MLP, cross-entropy, penalty
// over all parameters, Adam) for the given backend. Like regnb's loop, an
// unlogged step outputs the data loss only (the backend then skips the
// penalties' values); a logged one outputs the total too.
func stepExec(b testing.TB, backend compute.Backend, penalty regularizers.Regularizer, plain, logged bool) *model.Exec {
	store := model.NewStore()
	opt := optimizer.Adam().LearningRate(1e-4).Betas(0.9, 0.999).Epsilon(1e-8).Done()
	exec, err := model.NewExec(backend, store, func(scope *model.Scope, x, labels *graph.Node) []*graph.Node {
		g := x.Graph()
		logits := layers.MLP(scope, x).PlainAutodiff(plain).Done()
		logp := graph.LogSoftmax(logits, -1)
		data := graph.Neg(graph.ReduceAllMean(graph.ReduceSum(graph.Mul(graph.OneHot(labels, 10, logp.DType()), logp), -1)))
		train.AddMainLoss(data)
		regularizers.Apply(scope, g, penalty, regularizers.AllTrainable)
		total := train.TotalLoss(g)
		opt.UpdateGraph(scope, g, total)
		train.ExecPerStepUpdateGraphFn(g)
		if !logged {
			return []*graph.Node{data}
		}
		return []*graph.Node{total, data}
	})
	if err != nil {
		b.Fatal(err)
	}
	return exec
}

func batch(n int) (*tensors.Tensor, *tensors.Tensor) {
	rng := rand.New(rand.NewPCG(1, 2))
	x := make([]float32, n*784)
	for i := range x {
		x[i] = rng.Float32()
	}
	y := make([]int32, n)
	for i := range y {
		y[i] = int32(rng.IntN(10))
	}
	return tensors.FromFlatDataAndDimensions(x, n, 784), tensors.FromFlatDataAndDimensions(y, n)
}

func benchStep(b *testing.B, penalty regularizers.Regularizer, plain, logged bool) {
	for _, size := range []int{10, 64, 256} {
		b.Run(fmt.Sprintf("batch=%d", size), func(b *testing.B) {
			be, _, err := backend.New(backend.DefaultBackendFor(size))
			if err != nil {
				b.Fatal(err)
			}
			exec := stepExec(b, be, penalty, plain, logged)
			x, y := batch(size)
			if _, err := exec.Call(x, y); err != nil { // Compile.
				b.Fatal(err)
			}
			b.ResetTimer()
			for b.Loop() {
				if _, err := exec.Call(x, y); err != nil {
					b.Fatal(err)
				}
			}
			b.ReportMetric(float64(size)*float64(b.N)/b.Elapsed().Seconds(), "examples/s")
		})
	}
}

var elasticNet = regularizers.Must(regularizers.ElasticNet(0.3, 0.7))

// BenchmarkStep is one (unlogged) training step of the tutorial's Elastic Net example.
func BenchmarkStep(b *testing.B) { benchStep(b, elasticNet, false, false) }

// BenchmarkStepLogged is a logged step, which also computes the penalties' values.
func BenchmarkStepLogged(b *testing.B) { benchStep(b, elasticNet, false, true) }

// BenchmarkStepNoPenalty is the step without a penalty: the difference with
// BenchmarkStep is the regularizers' cost.
func BenchmarkStepNoPenalty(b *testing.B) { benchStep(b, nil, false, false) }

// BenchmarkStepPlainAutodiff uses GoMLX's own gradient of the dense layers.
func BenchmarkStepPlainAutodiff(b *testing.B) { benchStep(b, elasticNet, true, true) }
