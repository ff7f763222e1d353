package run_test

import (
	"context"
	"math"
	"testing"

	"github.com/gomlx/gomlx/ml/model"
	"github.com/stretchr/testify/require"

	"github.com/regnb/regnb/internal/backend"
	"github.com/regnb/regnb/layers"
	"github.com/regnb/regnb/regnb/infer"
	"github.com/regnb/regnb/regnb/run"
)

// The inference path (package infer) feeds the network the pixels training
// fed it: its logits equal the training graph's forward pass bit for bit.
func TestInferenceLogitsAreTheTrainingForwardPass(t *testing.T) {
	cfg, d := small(t, "l1")
	cfg.L1 = 1e-3
	store := model.NewStore()
	_, err := run.Train(context.Background(), cfg, run.WithData(d), run.WithLog(nil), run.WithModel(store))
	require.NoError(t, err)
	b, _, err := backend.New("")
	require.NoError(t, err)
	idx := make([]int, d.Test.N)
	for i := range idx {
		idx[i] = i
	}
	want, err := run.TrainingLogits(b, store, cfg, d.Test, idx)
	require.NoError(t, err)
	net, err := layers.NetworkOf(store)
	require.NoError(t, err)
	inf, err := infer.New(b, net, d.Test)
	require.NoError(t, err)
	got, err := inf.Logits()
	require.NoError(t, err)
	require.Len(t, got, len(want))
	for i := range want {
		require.Equal(t, math.Float32bits(want[i]), math.Float32bits(got[i]), "logit %d: %v against %v", i, got[i], want[i])
	}
}
