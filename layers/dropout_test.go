package layers_test

import (
	"math"
	"testing"

	"github.com/gomlx/compute"
	"github.com/gomlx/gomlx/core/graph"
	"github.com/gomlx/gomlx/core/tensors"
	"github.com/gomlx/gomlx/ml/model"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/regnb/regnb/layers"
)

// logitsOf builds a small MLP (16→8→6→3) with dropout p on store, in a
// training graph or not, and returns its logits for input(batch). A store is
// used with one backend only.
func logitsOf(t *testing.T, b compute.Backend, store *model.Store, p float64, training bool, batch int) []float32 {
	t.Helper()
	exec, err := model.NewExec(b, store, func(scope *model.Scope, x *graph.Node) *graph.Node {
		store.SetTraining(x.Graph(), training)
		return layers.MLP(scope, x).Hidden(8, 6).Outputs(3).Dropout(p).Done()
	})
	require.NoError(t, err)
	out, err := exec.Call(input(batch))
	require.NoError(t, err)
	return tensors.MustCopyFlatData[float32](out[0])
}

func seeded(t *testing.T, seed int64) *model.Store {
	t.Helper()
	store := model.NewStore()
	require.NoError(t, store.SetRNGStateFromSeed(seed))
	return store
}

func TestDropoutOnlyInTraining(t *testing.T) {
	b := backend(t)
	plain := logitsOf(t, b, seeded(t, 1), 0, true, 5)
	// p = 0 is exactly the network without dropout, even in training.
	assert.Equal(t, plain, logitsOf(t, b, seeded(t, 1), 0, true, 5))
	// Evaluation: deterministic, and the network without dropout.
	store := seeded(t, 1)
	assert.Equal(t, plain, logitsOf(t, b, store, 0.5, false, 5))
	assert.Equal(t, plain, logitsOf(t, b, store, 0.5, false, 5))
	// Training: masks drawn, a new one each step.
	first := logitsOf(t, b, store, 0.5, true, 5)
	assert.NotEqual(t, plain, first)
	assert.NotEqual(t, first, logitsOf(t, b, store, 0.5, true, 5))
	// The seed makes the masks reproducible.
	assert.Equal(t, logitsOf(t, b, seeded(t, 7), 0.5, true, 5), logitsOf(t, b, seeded(t, 7), 0.5, true, 5))
	assert.NotEqual(t, logitsOf(t, b, seeded(t, 7), 0.5, true, 5), logitsOf(t, b, seeded(t, 8), 0.5, true, 5))
}

// With an identity output layer the logits are the dropped hidden
// activations themselves: each is 0 or h/(1 − p), zero with frequency p, and
// their mean over many examples is h (inverted dropout), within 5 standard
// errors.
func TestDropoutPreservesTheExpectedActivation(t *testing.T) {
	const p, n, units = 0.3, 20000, 8
	identity := make([][]float32, units)
	for i := range identity {
		identity[i] = make([]float32, units)
		identity[i][i] = 1
	}
	x := make([]float32, n*16) // The same example n times.
	for i := range x {
		x[i] = float32(math.Sin(float64(i%16)*0.37)) * 0.8
	}
	run := func(dropout float64) [][]float32 {
		store := seeded(t, 3)
		store.VariableWithValue("/dense_1/weights", identity)
		store.VariableWithValue("/dense_1/biases", make([]float32, units))
		out, err := model.CallOnce(backend(t), store, func(scope *model.Scope, x *graph.Node) *graph.Node {
			store.SetTraining(x.Graph(), true)
			return layers.MLP(scope, x).Hidden(units).Outputs(units).Dropout(dropout).Done()
		}, tensors.FromFlatDataAndDimensions(x, n, 16))
		require.NoError(t, err)
		return out.Value().([][]float32)
	}
	h, dropped := run(0)[0], run(p)
	active := 0
	for j, hj := range h {
		if hj == 0 {
			continue // A unit ReLU zeroed: nothing to drop.
		}
		active++
		zeros, other, sum := 0, 0, 0.0
		for _, row := range dropped {
			switch {
			case row[j] == 0:
				zeros++
			case math.Abs(float64(row[j]-hj/(1-p))) > 1e-6:
				other++
			}
			sum += float64(row[j])
		}
		assert.Zero(t, other, "unit %d: values neither 0 nor h/(1−p) = %v", j, hj/(1-p))
		assert.InDelta(t, p, float64(zeros)/n, 5*math.Sqrt(p*(1-p)/n), "unit %d: dropped fraction", j)
		se := float64(hj) * math.Sqrt(p/(1-p)/n)
		assert.InDelta(t, float64(hj), sum/n, 5*se, "unit %d: mean activation", j)
	}
	assert.GreaterOrEqual(t, active, 2, "the test needs active units")
}

// Dropout composes with Linear's hand-written backward: with the same masks
// (same seed), the gradients equal those of plain autodiff.
func TestDropoutGradientEqualsAutodiff(t *testing.T) {
	grads := func(plain bool) [][]float32 {
		store := seeded(t, 5)
		var out [][]float32
		exec, err := model.NewExec(backend(t), store, func(scope *model.Scope, x *graph.Node) []*graph.Node {
			store.SetTraining(x.Graph(), true)
			logits := layers.MLP(scope, x).Hidden(8, 6).Outputs(3).Dropout(0.4).PlainAutodiff(plain).Done()
			loss := graph.ReduceAllSum(graph.Square(logits))
			w0 := store.GetVariable("/dense_0/weights").NodeValue(x.Graph())
			w1 := store.GetVariable("/dense_1/weights").NodeValue(x.Graph())
			return graph.Gradient(loss, w0, w1)
		})
		require.NoError(t, err)
		res, err := exec.Call(input(5))
		require.NoError(t, err)
		for _, r := range res {
			out = append(out, tensors.MustCopyFlatData[float32](r))
		}
		return out
	}
	fast, plain := grads(false), grads(true)
	for k := range plain {
		require.Len(t, fast[k], len(plain[k]))
		zeros := 0
		for i := range plain[k] {
			assert.InDelta(t, plain[k][i], fast[k][i], 1e-5*(1+math.Abs(float64(plain[k][i]))))
			if plain[k][i] == 0 {
				zeros++
			}
		}
		assert.Less(t, zeros, len(plain[k]), "not trivially zero")
	}
}

func TestDropoutBadP(t *testing.T) {
	for _, p := range []float64{1, -0.1, 1.5, math.NaN()} {
		_, err := model.CallOnce(backend(t), model.NewStore(), func(scope *model.Scope, x *graph.Node) *graph.Node {
			return layers.MLP(scope, x).Hidden(4).Outputs(2).Dropout(p).Done()
		}, input(1))
		assert.ErrorContains(t, err, "layers.MLPConfig.Dropout: invalid p ", "p = %v", p)
		assert.ErrorContains(t, err, ": must be in [0, 1)", "p = %v", p)
	}
	assert.EqualError(t, layers.CheckDropout(1), "layers.MLPConfig.Dropout: invalid p 1: must be in [0, 1)")
	assert.NoError(t, layers.CheckDropout(0))
	assert.NoError(t, layers.CheckDropout(0.99))
}
