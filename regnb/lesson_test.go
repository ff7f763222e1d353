package regnb_test

import (
	"fmt"
	"testing"

	"github.com/gomlx/gomlx/core/graph"
	"github.com/gomlx/gomlx/ml/model"
	"github.com/gomlx/gomlx/ml/train/optimizer"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/regnb/regnb/layers"
	"github.com/regnb/regnb/regnb"
	"github.com/regnb/regnb/regnb/data/datatest"
	"github.com/regnb/regnb/regularizers"
)

// TestHandWrittenLoopMatchesTrain is notebook 2's claim on a small data set:
// a training loop written with the public pieces — layers.MLP, CrossEntropy,
// regularizers.L1Norm summed over the parameters, Adam, EpochOrder,
// Set.MiniBatch — prints the log lines regnb.Train prints for the same
// settings, to the last digit, across an epoch boundary.
func TestHandWrittenLoopMatchesTrain(t *testing.T) {
	const lambda, batch, steps, every = 0.01, 10, 40, 10
	dir := datatest.Write(t, 200, 6) // 200 training images: 20 mini-batches an epoch
	cfg := regnb.MustPreset("l1")
	cfg.DataDir, cfg.Hidden, cfg.L1, cfg.MaxSteps, cfg.LogEvery = dir, []int{8}, lambda, steps, every

	adam := optimizer.Adam().LearningRate(cfg.LR).Betas(0.9, 0.999).Epsilon(1e-8).Done()
	step := func(scope *model.Scope, x, y *graph.Node) []*graph.Node {
		logits := layers.MLP(scope, x).Hidden(8).Outputs(10).Init(layers.InitPyTorch, cfg.Seed).Done()
		params := regularizers.Must(regularizers.Select(scope, regularizers.AllTrainable))
		sum := regularizers.L1Norm(params[0].NodeValue(x.Graph()))
		for _, w := range params[1:] {
			sum = graph.Add(sum, regularizers.L1Norm(w.NodeValue(x.Graph())))
		}
		l1 := graph.MulScalar(sum, lambda)
		loss := graph.Add(regnb.CrossEntropy(logits, y), l1)
		adam.UpdateGraph(scope, x.Graph(), loss)
		return []*graph.Node{loss, l1}
	}
	set, err := regnb.LoadMNIST(dir)
	require.NoError(t, err)
	backend, err := regnb.NewBackend("")
	require.NoError(t, err)
	exec, err := model.NewExec(backend, model.NewStore(), step)
	require.NoError(t, err)
	perEpoch := set.Train.N / batch
	var mine []string
	for s := 0; s < steps; s++ {
		epoch, b := s/perEpoch+1, s%perEpoch+1
		order := regnb.EpochOrder(cfg.Seed, epoch, set.Train.N)
		x, y := set.Train.MiniBatch(order[(b-1)*batch : b*batch])
		out, err := exec.Call(x, y)
		require.NoError(t, err)
		if b%every == 0 {
			mine = append(mine, fmt.Sprintf("Loss after mini-batch %5d: %.5f (of which %.5f L1 loss)", b, out[0].Value(), out[1].Value()))
		}
	}
	engine, h, err := regnb.LossLines(cfg)
	require.NoError(t, err)
	assert.Equal(t, engine, mine)
	assert.Len(t, h.Steps, steps/every)
	assert.False(t, h.Summary.TestEvaluated, "LossLines leaves the test set alone")
}
