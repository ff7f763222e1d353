package run

import (
	"github.com/gomlx/compute"
	"github.com/gomlx/gomlx/core/graph"
	"github.com/gomlx/gomlx/core/tensors"
	"github.com/gomlx/gomlx/ml/model"
	"github.com/regnb/regnb/regnb/data"
	"github.com/regnb/regnb/regnb/settings"
)

// SetAfterCheckpointHook makes f run between writing a checkpoint and the
// history that names it, until the returned function restores the default.
func SetAfterCheckpointHook(f func(step int)) (restore func()) {
	old := afterCheckpointHook
	afterCheckpointHook = f
	return func() { afterCheckpointHook = old }
}

// TrainingLogits returns the logits of the model in store for the examples
// idx of set, computed as a training step computes them (the mini-batch
// gathered and scaled by batchAt, the MLP built by the step builder), in a
// graph that does not train.
func TrainingLogits(b compute.Backend, store *model.Store, cfg settings.Config, set *data.Set, idx []int) ([]float32, error) {
	sb, err := newStepBuilder(cfg, nil, set.NumClasses)
	if err != nil {
		return nil, err
	}
	d := newDeviceSet(set)
	exec, err := model.NewExec(b, store, func(scope *model.Scope, images, labels, rows *graph.Node) *graph.Node {
		x, _ := batchAt(images, labels, rows, 0)
		return sb.mlp(scope, x)
	})
	if err != nil {
		return nil, err
	}
	out, err := exec.Call(d.images, d.labels, indexTensor([][]int{idx}, 1))
	if err != nil {
		return nil, err
	}
	return tensors.CopyFlatData[float32](out[0])
}
