package layers_test

import (
	"bytes"
	"math"
	"strings"
	"testing"

	"github.com/gomlx/compute"
	_ "github.com/gomlx/compute/gobackend"
	"github.com/gomlx/gomlx/core/graph"
	"github.com/gomlx/gomlx/core/tensors"
	"github.com/gomlx/gomlx/ml/model"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/regnb/regnb/layers"
	"github.com/regnb/regnb/regularizers"
)

func backend(t testing.TB) compute.Backend {
	t.Helper()
	b, err := compute.NewWithConfig("go")
	require.NoError(t, err)
	return b
}

// input returns a deterministic [batch, 1, 4, 4] "image".
func input(batch int) *tensors.Tensor {
	data := make([]float32, batch*16)
	for i := range data {
		data[i] = float32(math.Sin(float64(i)*0.37)) * 0.8
	}
	return tensors.FromFlatDataAndDimensions(data, batch, 1, 4, 4)
}

// gradients returns the loss c·Σ logits² / 2 and its gradient for each variable of
// a small MLP (16→8→6→3), built with Linear or with plain autodiff.
func gradients(t *testing.T, plain bool, c float64) (loss float64, grads map[string][]float32) {
	t.Helper()
	store := model.NewStore()
	var names []string
	exec, err := model.NewExec(backend(t), store, func(scope *model.Scope, x *graph.Node) []*graph.Node {
		logits := layers.MLP(scope, x).Hidden(8, 6).Outputs(3).PlainAutodiff(plain).Done()
		l := graph.MulScalar(graph.ReduceAllSum(graph.Square(logits)), 0.5*c)
		var vars []*graph.Node
		names = nil
		for v := range store.IterVariables() {
			names = append(names, v.Path())
			vars = append(vars, v.NodeValue(x.Graph()))
		}
		return append([]*graph.Node{l}, graph.Gradient(l, vars...)...)
	})
	require.NoError(t, err)
	outs, err := exec.Call(input(5))
	require.NoError(t, err)
	grads = map[string][]float32{}
	for i, name := range names {
		grads[name] = tensors.MustCopyFlatData[float32](outs[1+i])
	}
	return float64(outs[0].Value().(float32)), grads
}

// Linear's hand-written backward against GoMLX's autodiff, with the loss
// multiplied by 1, 3 and 0.5: the chain rule must carry the factor.
func TestLinearGradientEqualsAutodiff(t *testing.T) {
	_, unit := gradients(t, true, 1)
	for _, c := range []float64{1, 3, 0.5} {
		fastLoss, fast := gradients(t, false, c)
		plainLoss, plain := gradients(t, true, c)
		assert.Equal(t, plainLoss, fastLoss, "c=%g", c)
		require.Len(t, fast, 6)
		for name, want := range plain {
			got := fast[name]
			require.Len(t, got, len(want), name)
			for i := range want {
				assert.InDelta(t, want[i], got[i], 1e-5*(1+math.Abs(float64(want[i]))), "c=%g %s[%d]", c, name, i)
				// And autodiff itself scaled: c times the unscaled gradient.
				assert.InDelta(t, c*float64(unit[name][i]), float64(got[i]), 1e-5*(1+math.Abs(float64(want[i]))), "c=%g %s[%d]", c, name, i)
			}
		}
		// Not trivially zero.
		assert.NotZero(t, sumAbs(fast["/dense_0/weights"]))
	}
}

func TestLinearByHand(t *testing.T) {
	// x = [[1, 2]], W = [[1, 2], [0, 1], [−1, 0]] ([out, in]), b = [0.5, 0, 0]:
	// y = x·Wᵀ + b = [5.5, 2, −1].
	// L = Σy·c with c = [1, 2, 3]: dy = c, dW = cᵀ·x, dx = c·W = [−2, 4], db = c.
	out, err := execN(t, func(x, w, b *graph.Node) []*graph.Node {
		y := layers.Linear(x, w, b)
		c := graph.Const(x.Graph(), [][]float32{{1, 2, 3}})
		l := graph.ReduceAllSum(graph.Mul(y, c))
		return append([]*graph.Node{y}, graph.Gradient(l, x, w, b)...)
	}, [][]float32{{1, 2}}, [][]float32{{1, 2}, {0, 1}, {-1, 0}}, []float32{0.5, 0, 0})
	require.NoError(t, err)
	assert.Equal(t, [][]float32{{5.5, 2, -1}}, out[0].Value())
	assert.Equal(t, [][]float32{{-2, 4}}, out[1].Value())
	assert.Equal(t, [][]float32{{1, 2}, {2, 4}, {3, 6}}, out[2].Value())
	assert.Equal(t, []float32{1, 2, 3}, out[3].Value())
}

func TestReLUGradientAtZeroIsZero(t *testing.T) {
	out, err := execN(t, func(x *graph.Node) []*graph.Node {
		y := layers.ReLU(x)
		return []*graph.Node{y, graph.Gradient(graph.ReduceAllSum(y), x)[0]}
	}, []float32{-1, 0, 2})
	require.NoError(t, err)
	assert.Equal(t, []float32{0, 0, 2}, out[0].Value())
	assert.Equal(t, []float32{0, 0, 1}, out[1].Value())
}

func TestMLPDefaultsAreTheTutorialNetwork(t *testing.T) {
	store := model.NewStore()
	logits, err := model.CallOnce(backend(t), store, func(scope *model.Scope, x *graph.Node) *graph.Node {
		return layers.MLP(scope, x).Done()
	}, tensors.FromFlatDataAndDimensions(make([]float32, 2*784), 2, 28, 28))
	require.NoError(t, err)
	assert.Equal(t, []int{2, 10}, logits.Shape().Dimensions)

	want := map[string][]int{
		"/dense_0/weights": {64, 784}, "/dense_0/biases": {64},
		"/dense_1/weights": {32, 64}, "/dense_1/biases": {32},
		"/dense_2/weights": {10, 32}, "/dense_2/biases": {10},
	}
	total := 0
	for v := range store.IterVariables() {
		assert.Equal(t, want[v.Path()], v.Shape().Dimensions, v.Path())
		total += v.Shape().Size()
	}
	assert.Equal(t, 52650, total) // The tutorial's parameter count.

	// PyTorch's init: all within ±1/√fan_in, and spread over it.
	for v := range store.IterVariables() {
		fanIn := 784
		switch v.Scope() {
		case "/dense_1":
			fanIn = 64
		case "/dense_2":
			fanIn = 32
		}
		bound := 1 / math.Sqrt(float64(fanIn))
		values, err := regularizers.Float64s(v.MustValue())
		require.NoError(t, err)
		maxAbs := 0.0
		for _, x := range values {
			maxAbs = math.Max(maxAbs, math.Abs(x))
		}
		assert.LessOrEqual(t, maxAbs, bound, v.Path())
		assert.Greater(t, maxAbs, 0.5*bound, v.Path())
	}
}

func TestMLPInitIsSeeded(t *testing.T) {
	first := func(seed uint64) float32 {
		store := model.NewStore()
		_, err := model.CallOnce(backend(t), store, func(scope *model.Scope, x *graph.Node) *graph.Node {
			return layers.MLP(scope, x).Hidden(4).Outputs(2).Init(layers.InitPyTorch, seed).Done()
		}, input(1))
		require.NoError(t, err)
		return tensors.MustCopyFlatData[float32](store.GetVariable("/dense_0/weights").MustValue())[0]
	}
	assert.Equal(t, first(7), first(7))
	assert.NotEqual(t, first(7), first(8))
}

func TestMLPRegularizerPenalizesKernels(t *testing.T) {
	store := model.NewStore()
	var names []string
	outs, err := model.CallOnceN(backend(t), store, func(scope *model.Scope, x *graph.Node) []*graph.Node {
		// (The logits are returned too: simplego fails on a graph whose input is unused.)
		logits := layers.MLP(scope, x).Hidden(4).Outputs(2).Regularizer(regularizers.Must(regularizers.L1(1))).Done()
		outs := []*graph.Node{logits}
		for _, term := range regularizers.Terms(x.Graph()) {
			names = append(names, term.Name)
			outs = append(outs, term.Value)
		}
		return outs
	}, input(1))
	require.NoError(t, err)
	assert.Equal(t, []string{"L1"}, names)
	report, err := regularizers.Sparsity(store.RootScope(), regularizers.KernelsOnly, 0)
	require.NoError(t, err)
	assert.InDelta(t, regularizers.Total(report).L1, float64(outs[1].Value().(float32)), 1e-4)
}

// execN builds and runs a graph function with several outputs once.
func execN[F graph.ExecGraphFn](t *testing.T, fn F, args ...any) ([]*tensors.Tensor, error) {
	exec, err := graph.NewExec(backend(t), fn)
	if err != nil {
		return nil, err
	}
	return exec.Call(args...)
}

func sumAbs(xs []float32) float64 {
	s := 0.0
	for _, x := range xs {
		s += math.Abs(float64(x))
	}
	return s
}

func TestSaveAndLoadParams(t *testing.T) {
	build := func(store *model.Store) []float32 {
		out, err := model.CallOnce(backend(t), store, func(scope *model.Scope, x *graph.Node) *graph.Node {
			return layers.MLP(scope, x).Hidden(4).Outputs(2).Init(layers.InitPyTorch, 7).Done()
		}, input(3))
		require.NoError(t, err)
		return tensors.MustCopyFlatData[float32](out)
	}
	first := model.NewStore()
	want := build(first)
	var file bytes.Buffer
	require.NoError(t, layers.SaveParams(first.RootScope(), &file))

	// A different seed, but the loaded parameters win.
	loaded := model.NewStore()
	require.NoError(t, layers.LoadParams(loaded.RootScope(), bytes.NewReader(file.Bytes())))
	got, err := model.CallOnce(backend(t), loaded, func(scope *model.Scope, x *graph.Node) *graph.Node {
		return layers.MLP(scope, x).Hidden(4).Outputs(2).Init(layers.InitPyTorch, 99).Done()
	}, input(3))
	require.NoError(t, err)
	assert.Equal(t, want, tensors.MustCopyFlatData[float32](got))

	// Wrong sizes are errors, not panics of the caller.
	bad := model.NewStore()
	require.NoError(t, layers.LoadParams(bad.RootScope(), strings.NewReader(`{"/dense_0/weights": {"shape": [3, 16], "values": [`+
		strings.TrimSuffix(strings.Repeat("0,", 48), ",")+`]}}`)))
	_, err = model.CallOnce(backend(t), bad, func(scope *model.Scope, x *graph.Node) *graph.Node {
		return layers.MLP(scope, x).Hidden(4).Outputs(2).Done()
	}, input(3))
	assert.ErrorContains(t, err, "layers.MLP: /dense_0/weights has shape [3 16], want [4 16]")
	assert.ErrorContains(t, layers.LoadParams(model.NewStore().RootScope(), strings.NewReader(`{"/a/w": {"shape": [2], "values": [1]}}`)),
		"/a/w has shape [2] but 1 values")
	assert.Error(t, layers.LoadParams(model.NewStore().RootScope(), strings.NewReader(`not json`)))
}
