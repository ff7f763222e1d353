package bench

import (
	"fmt"
	"math/rand/v2"
	"testing"

	"github.com/gomlx/gomlx/backends"
	"github.com/gomlx/gomlx/pkg/core/graph"
	"github.com/gomlx/gomlx/pkg/core/tensors"
	"github.com/gomlx/gomlx/pkg/ml/context"
	"github.com/gomlx/gomlx/pkg/ml/train"
	"github.com/gomlx/gomlx/pkg/ml/train/optimizers"

	"github.com/regnb/regnb/layers"
	"github.com/regnb/regnb/regnb"
	"github.com/regnb/regnb/regularizers"
)

// stepExec builds the tutorial's training step (MLP, cross-entropy, penalty
// over all parameters, Adam) for the given backend. Like regnb's loop, an
// unlogged step outputs the data loss only (the backend then skips the
// penalties' values); a logged one outputs the total too.
func stepExec(b testing.TB, backend backends.Backend, penalty regularizers.Regularizer, plain, logged bool) *context.Exec {
	ctx := context.New()
	opt := optimizers.Adam().LearningRate(1e-4).Epsilon(1e-8).Done()
	exec, err := context.NewExec(backend, ctx, func(ctx *context.Context, x, labels *graph.Node) []*graph.Node {
		g := x.Graph()
		logits := layers.MLP(ctx, x).PlainAutodiff(plain).Done()
		logp := graph.LogSoftmax(logits, -1)
		data := graph.Neg(graph.ReduceAllMean(graph.ReduceSum(graph.Mul(graph.OneHot(labels, 10, logp.DType()), logp), -1)))
		train.AddLoss(ctx, data)
		regularizers.Apply(ctx, g, penalty, regularizers.AllTrainable)
		total := train.GetLosses(ctx, g)
		opt.UpdateGraph(ctx, g, total)
		train.ExecPerStepUpdateGraphFn(ctx, g)
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
			backend, _, err := regnb.NewBackend(regnb.DefaultBackendFor(size))
			if err != nil {
				b.Fatal(err)
			}
			exec := stepExec(b, backend, penalty, plain, logged)
			x, y := batch(size)
			if _, err := exec.Exec(x, y); err != nil { // Compile.
				b.Fatal(err)
			}
			b.ResetTimer()
			for b.Loop() {
				if _, err := exec.Exec(x, y); err != nil {
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
