package regularizers_test

import (
	"testing"

	"github.com/gomlx/compute/shapes"
	"github.com/gomlx/gomlx/core/graph"
	"github.com/gomlx/gomlx/ml/model"
	"github.com/gomlx/gomlx/ml/train"

	"github.com/regnb/regnb/regularizers"
)

// benchPenalty times value and gradient of a penalty over variables shaped
// like the tutorial MLP's 52 650 parameters.
func benchPenalty(b *testing.B, reg regularizers.Regularizer) {
	store := model.NewStore()
	for i, dims := range [][]int{{64, 784}, {64}, {32, 64}, {32}, {10, 32}, {10}} {
		store.RootScope().At("dense_%d", i/2).WithInitializer(func(g *graph.Graph, s shapes.Shape) *graph.Node {
			return graph.MulScalar(graph.OnesLike(graph.Zeros(g, s)), 0.01)
		}).VariableWithShape([]string{"weights", "biases"}[i%2], shapes.Make(dtypesFloat32, dims...))
	}
	exec, err := model.NewExec(newBackend(b), store, func(scope *model.Scope, g *graph.Graph) []*graph.Node {
		regularizers.Apply(scope, g, reg, regularizers.AllTrainable)
		loss := train.GetRegularizationLoss(g)
		return append([]*graph.Node{loss}, scope.BuildTrainableVariablesGradientsGraph(loss)...)
	})
	if err != nil {
		b.Fatal(err)
	}
	if _, err := exec.Call(); err != nil {
		b.Fatal(err)
	}
	b.ResetTimer()
	for b.Loop() {
		if _, err := exec.Call(); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkL1(b *testing.B) { benchPenalty(b, regularizers.Must(regularizers.L1(1))) }
func BenchmarkL2(b *testing.B) { benchPenalty(b, regularizers.Must(regularizers.L2(1))) }
func BenchmarkElasticNet(b *testing.B) {
	benchPenalty(b, regularizers.Must(regularizers.ElasticNet(0.3, 0.7)))
}
func BenchmarkCoupledWeightDecay(b *testing.B) {
	benchPenalty(b, regularizers.Must(regularizers.CoupledWeightDecay(1)))
}
