package layers_test

import (
	"testing"

	"github.com/gomlx/gomlx/core/graph"
	"github.com/gomlx/gomlx/core/tensors"
	"github.com/gomlx/gomlx/ml/model"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/regnb/regnb/layers"
)

// zeroUnit sets a hidden unit's incoming weights and bias to 0 and its
// outgoing weights to something that would show if pruning were wrong.
func zeroUnit(t *testing.T, store *model.Store, layer, unit int) {
	t.Helper()
	set := func(path string, f func(flat []float32, dims []int)) {
		v := store.GetVariable(path)
		require.NotNil(t, v, path)
		value := v.MustValue()
		flat := tensors.MustCopyFlatData[float32](value)
		f(flat, value.Shape().Dimensions)
		require.NoError(t, v.SetValue(tensors.FromFlatDataAndDimensions(flat, value.Shape().Dimensions...)))
	}
	set(model.JoinPath("/", "dense_"+string(rune('0'+layer)), "weights"), func(flat []float32, dims []int) {
		for k := range dims[1] {
			flat[unit*dims[1]+k] = 0
		}
	})
	set(model.JoinPath("/", "dense_"+string(rune('0'+layer)), "biases"), func(flat []float32, _ []int) { flat[unit] = 0 })
	set(model.JoinPath("/", "dense_"+string(rune('0'+layer+1)), "weights"), func(flat []float32, dims []int) {
		for o := range dims[0] {
			flat[o*dims[1]+unit] = 5
		}
	})
}

func TestPruneComputesTheSameOutputs(t *testing.T) {
	be := backend(t) // One backend: the variables' values live on its device.
	run := func(store *model.Store, hidden ...int) []float32 {
		out, err := model.CallOnce(be, store, func(scope *model.Scope, x *graph.Node) *graph.Node {
			return layers.MLP(scope, x).Hidden(hidden...).Outputs(3).Done()
		}, input(20))
		require.NoError(t, err)
		return tensors.MustCopyFlatData[float32](out)
	}
	full := model.NewStore()
	run(full, 8, 6) // Creates the variables (PyTorch init, seed 42).
	for _, u := range [][2]int{{0, 1}, {0, 4}, {0, 7}, {1, 0}, {1, 5}} {
		zeroUnit(t, full, u[0], u[1])
	}
	want := run(full, 8, 6)

	pruned := model.NewStore()
	kept, err := layers.Prune(full.RootScope(), pruned.RootScope())
	require.NoError(t, err)
	assert.Equal(t, []int{5, 4}, kept)
	assert.Equal(t, []int{5, 16}, pruned.GetVariable("/dense_0/weights").Shape().Dimensions)
	assert.Equal(t, []int{4, 5}, pruned.GetVariable("/dense_1/weights").Shape().Dimensions)
	assert.Equal(t, []int{3, 4}, pruned.GetVariable("/dense_2/weights").Shape().Dimensions)
	got := run(pruned, kept...)
	require.Len(t, got, len(want))
	for i := range want {
		assert.InDelta(t, want[i], got[i], 1e-6, "output %d", i)
	}
	assert.Less(t, pruned.NumParameters(), full.NumParameters())
}

func TestPruneErrors(t *testing.T) {
	_, err := layers.Prune(model.NewStore().RootScope(), model.NewStore().RootScope())
	assert.ErrorContains(t, err, `layers.Prune: no dense_0/weights in scope "/"`)

	store := model.NewStore()
	store.VariableWithValue("/dense_0/weights", [][]float32{{0, 0}})
	store.VariableWithValue("/dense_0/biases", []float32{0})
	store.VariableWithValue("/dense_1/weights", [][]float32{{1}})
	store.VariableWithValue("/dense_1/biases", []float32{1})
	_, err = layers.Prune(store.RootScope(), model.NewStore().RootScope())
	assert.ErrorContains(t, err, "every unit of layer 0 is dead")
}

// CopyInto puts a pruned network's variables into the store it came from,
// shapes included, and leaves the store's other variables alone.
func TestCopyIntoReplacesTheMLPsVariables(t *testing.T) {
	be := backend(t)
	store := model.NewStore()
	_, err := model.CallOnce(be, store, func(scope *model.Scope, x *graph.Node) *graph.Node {
		return layers.MLP(scope, x).Hidden(8, 6).Outputs(3).Done()
	}, input(20))
	require.NoError(t, err)
	other := store.VariableWithValue("/optimizer/moment", []float32{1, 2})
	zeroUnit(t, store, 0, 2)
	net, err := layers.NetworkOf(store)
	require.NoError(t, err)
	pruned, err := net.Prune()
	require.NoError(t, err)
	require.NoError(t, pruned.CopyInto(store))

	got, err := layers.NetworkOf(store)
	require.NoError(t, err)
	assert.Equal(t, []int{7, 6}, got.Hidden)
	a, err := pruned.Layers()
	require.NoError(t, err)
	b, err := got.Layers()
	require.NoError(t, err)
	assert.Equal(t, a, b)
	assert.Equal(t, []float32{1, 2}, tensors.MustCopyFlatData[float32](other.MustValue()))

	// A network with fewer layers than the store's would leave one that no longer chains.
	small := model.NewStore()
	small.VariableWithValue("/dense_0/weights", [][]float32{{1, 2}})
	small.VariableWithValue("/dense_0/biases", []float32{0})
	one, err := layers.NetworkOf(small)
	require.NoError(t, err)
	assert.ErrorContains(t, one.CopyInto(store), "network: it has 1 dense layers, the store more (/dense_1/weights)")
}

func TestZeroSmallWeights(t *testing.T) {
	store := model.NewStore()
	store.VariableWithValue("/dense_0/weights", [][]float32{{0.5, -0.0005}, {0.0009, -0.002}})
	store.VariableWithValue("/dense_0/biases", []float32{0.0001, 0})
	store.VariableWithValue("/dense_1/weights", [][]float32{{1, 2}})
	store.VariableWithValue("/dense_1/biases", []float32{-0.0003})
	net, err := layers.NetworkOf(store)
	require.NoError(t, err)
	nz, err := net.NonZero()
	require.NoError(t, err)
	assert.Equal(t, 8, nz)
	z, err := net.ZeroSmallWeights(1e-3)
	require.NoError(t, err)
	nz, err = z.NonZero()
	require.NoError(t, err)
	assert.Equal(t, 4, nz) // 0.5, −0.002, 1 and 2.
	d, err := z.Layers()
	require.NoError(t, err)
	assert.Equal(t, [][]float32{{0.5, 0}, {0, -0.002}}, d[0].W)
	assert.Equal(t, []float32{0, 0}, d[0].B)
	assert.Equal(t, []float32{0}, d[1].B)
	kept, err := z.UnitsKept()
	require.NoError(t, err)
	assert.Equal(t, []int{2}, kept, "no unit is all 0")
	orig, err := net.Layers()
	require.NoError(t, err)
	assert.Equal(t, float32(-0.0005), orig[0].W[0][1], "n is not changed")
}
