// Command usermodule is what a GoMLX v0.28 user writes to use regnb's
// regularizers in a model of their own: GoMLX's fnn layers with a
// .Regularizer(...), a model-level penalty with regularizers.Apply, and
// train.Trainer with the terms as metrics. scripts/usermodule-check.sh copies
// it to a scratch module outside the repository, points a replace directive
// at the checkout, and runs it; it exits non-zero unless training reduces
// the loss and every term is reported.
package main

import (
	"fmt"
	"math"
	"os"

	"github.com/gomlx/compute"
	_ "github.com/gomlx/compute/gobackend"
	"github.com/gomlx/gomlx/core/graph"
	"github.com/gomlx/gomlx/core/tensors"
	"github.com/gomlx/gomlx/ml/layers/fnn"
	"github.com/gomlx/gomlx/ml/model"
	"github.com/gomlx/gomlx/ml/train"
	"github.com/gomlx/gomlx/ml/train/loss"
	"github.com/gomlx/gomlx/ml/train/metric"
	"github.com/gomlx/gomlx/ml/train/optimizer"

	"github.com/regnb/regnb/regularizers"
)

func main() {
	if err := run(); err != nil {
		fmt.Fprintln(os.Stderr, "usermodule:", err)
		os.Exit(1)
	}
}

func run() error {
	trainer, err := newTrainer()
	if err != nil {
		return err
	}
	first, last, err := train50(trainer)
	if err != nil {
		return err
	}
	return check(trainer, first, last)
}

// newTrainer is the user's model: fnn with an L2 on its kernels, an L1 over
// every trainable variable, Adam, and both terms reported as metrics.
func newTrainer() (*train.Trainer, error) {
	backend, err := compute.NewWithConfig("go")
	if err != nil {
		return nil, err
	}
	l2, err := regularizers.L2(1e-3, regularizers.WithName("kernel L2"))
	if err != nil {
		return nil, err
	}
	l1, err := regularizers.L1(1e-3)
	if err != nil {
		return nil, err
	}
	modelFn := func(scope *model.Scope, x *graph.Node) *graph.Node {
		logits := fnn.New(scope.In("mlp"), x, 3).NumHiddenLayers(1, 16).Regularizer(l2).Done()
		regularizers.Apply(scope, x.Graph(), l1, regularizers.AllTrainable) // Biases too.
		return logits
	}
	return train.NewTrainer(backend, model.NewStore(), modelFn, loss.SparseCategoricalCrossEntropyLogits,
		optimizer.Adam().LearningRate(1e-2).Done(),
		[]metric.Interface{regularizers.TermMetric("kernel L2"), regularizers.TermMetric("L1")}, nil).
		WithMainLossMetric(), nil
}

// train50 trains 50 steps on three separable classes in two dimensions and
// returns the metrics of the first and the last.
func train50(trainer *train.Trainer) (first, last []*tensors.Tensor, err error) {
	const n = 30
	xs, ys := make([]float32, 2*n), make([]int32, n)
	for i := range n {
		class := i % 3
		angle := 2 * math.Pi * float64(class) / 3
		xs[2*i] = float32(math.Cos(angle) + 0.1*math.Sin(float64(7*i)))
		xs[2*i+1] = float32(math.Sin(angle) + 0.1*math.Cos(float64(5*i)))
		ys[i] = int32(class)
	}
	for step := range 50 {
		batch := train.Batch{
			Inputs: []*tensors.Tensor{tensors.FromFlatDataAndDimensions(append([]float32(nil), xs...), n, 2)},
			Labels: []*tensors.Tensor{tensors.FromFlatDataAndDimensions(append([]int32(nil), ys...), n, 1)},
		}
		metrics, err := trainer.TrainStep(batch)
		if err != nil {
			return nil, nil, fmt.Errorf("step %d: %w", step, err)
		}
		if step == 0 {
			first = metrics
		}
		last = metrics
	}
	return first, last, nil
}

// check requires the loss to decrease and every term to be reported.
func check(trainer *train.Trainer, first, last []*tensors.Tensor) error {
	names := []string{}
	for _, m := range trainer.TrainMetrics() {
		names = append(names, m.ShortName())
	}
	fmt.Println("metrics:", names)
	value := func(ms []*tensors.Tensor, short string) (float64, error) {
		for i, m := range trainer.TrainMetrics() {
			if m.ShortName() == short {
				return float64(tensors.ToScalar[float32](ms[i])), nil
			}
		}
		return 0, fmt.Errorf("no metric %q among %v", short, names)
	}
	for _, short := range []string{"loss", "kernel L2", "L1"} {
		a, err := value(first, short)
		if err != nil {
			return err
		}
		b, err := value(last, short)
		if err != nil {
			return err
		}
		fmt.Printf("%-10s step 1: %.5f  step 50: %.5f\n", short, a, b)
		if !(b > 0) || math.IsNaN(b) {
			return fmt.Errorf("%s is %v after 50 steps, want > 0", short, b)
		}
	}
	a, _ := value(first, "loss")
	b, _ := value(last, "loss")
	if !(b < a) {
		return fmt.Errorf("the loss did not decrease: %.5f → %.5f", a, b)
	}
	return nil
}
