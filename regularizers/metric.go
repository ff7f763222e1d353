package regularizers

import (
	"github.com/gomlx/gomlx/core/graph"
	"github.com/gomlx/gomlx/ml/model"
	"github.com/gomlx/gomlx/ml/train/metric"
)

// TermMetric returns a train metric reporting the value of the term named
// name at each step (0 if the graph has no such term), for train.NewTrainer's
// trainMetrics: train.Trainer's TrainStep then returns it beside the loss,
// and train.Loop's progress bar shows it.
//
//	trainer := train.NewTrainer(backend, store, modelFn, lossFn, opt,
//		[]metric.Interface{regularizers.TermMetric("L1"), regularizers.TermMetric("L2")}, nil)
func TermMetric(name string) metric.Interface {
	return metric.NewBaseMetric(name+" term", name, metric.LossMetricType,
		func(_ *model.Scope, _, predictions []*graph.Node) *graph.Node {
			g := predictions[0].Graph()
			for _, term := range Terms(g) {
				if term.Name == name {
					return term.Value
				}
			}
			return graph.ScalarZero(g, predictions[0].DType())
		}, nil)
}
