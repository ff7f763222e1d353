package layers

import (
	"fmt"
	"math"
	"math/rand/v2"

	"github.com/gomlx/compute/dtypes"
	"github.com/gomlx/compute/shapes"
	"github.com/gomlx/gomlx/core/graph"
	"github.com/gomlx/gomlx/core/tensors"
	gomlxlayers "github.com/gomlx/gomlx/ml/layers"
	"github.com/gomlx/gomlx/ml/layers/activation"
	"github.com/gomlx/gomlx/ml/layers/regularizer"
	"github.com/gomlx/gomlx/ml/model"
)

// The tutorial's network.
var (
	DefaultHidden  = []int{64, 32}
	DefaultOutputs = 10
)

// Init selects how the MLP's variables are initialized when first created.
type Init int

const (
	// InitPyTorch draws weights and biases ~ U(−1/√fan_in, +1/√fan_in), as
	// PyTorch's nn.Linear does, from a host PCG generator seeded with the
	// MLP's seed: the same values on every backend.
	InitPyTorch Init = iota
	// InitScope uses the scope's initializer (GoMLX's default: a random
	// normal for weights, zeros for biases).
	InitScope
)

// MLPConfig builds a multi-layer perceptron. Create it with [MLP], set options,
// then call [MLPConfig.Done].
type MLPConfig struct {
	scope       *model.Scope
	x           *graph.Node
	hidden      []int
	outputs     int
	activation  func(*graph.Node) *graph.Node
	regularizer regularizer.Regularizer
	init        Init
	seed        uint64
	autodiff    bool
	dropout     float64
}

// MLP returns a builder for a multi-layer perceptron on x, whose leading axis
// is the batch and whose other axes are flattened (as nn.Flatten): by default
// the tutorial's network, Flatten → Linear(in, 64) → ReLU → Linear(64, 32) →
// ReLU → Linear(32, 10), with PyTorch's initialization, seed 42.
//
// Variables are created under scope as "dense_<i>/weights" and
// "dense_<i>/biases", shaped [out, in] and [out] as PyTorch's nn.Linear (not
// GoMLX's [in, out]: see [Linear]). The output are the logits, with no
// activation. [MLPConfig.Dropout] adds dropout to the hidden layers.
func MLP(scope *model.Scope, x *graph.Node) *MLPConfig {
	return &MLPConfig{
		scope:      scope,
		x:          x,
		hidden:     DefaultHidden,
		outputs:    DefaultOutputs,
		activation: ReLU,
		seed:       42,
	}
}

// Hidden sets the sizes of the hidden layers (none: a linear model).
func (c *MLPConfig) Hidden(sizes ...int) *MLPConfig { c.hidden = sizes; return c }

// Outputs sets the size of the output layer.
func (c *MLPConfig) Outputs(n int) *MLPConfig { c.outputs = n; return c }

// Activation sets the activation of the hidden layers, one of GoMLX's
// activations; the default is [ReLU] (activation.TypeRelu selects it too).
func (c *MLPConfig) Activation(t activation.Type) *MLPConfig {
	if t == activation.TypeRelu {
		c.activation = ReLU
	} else {
		c.activation = func(x *graph.Node) *graph.Node { return activation.Apply(t, x) }
	}
	return c
}

// Regularizer is applied to each layer's weights (not biases), as GoMLX's
// and Keras' layers do. For a penalty over all parameters, biases included,
// as in the tutorial, apply it at the model level with regularizers.Apply.
func (c *MLPConfig) Regularizer(r regularizer.Regularizer) *MLPConfig {
	c.regularizer = r
	return c
}

// Init selects the initialization; seed feeds [InitPyTorch].
func (c *MLPConfig) Init(init Init, seed uint64) *MLPConfig {
	c.init, c.seed = init, seed
	return c
}

// Dropout sets the probability p with which each hidden activation (after
// the activation function, before the next layer) is dropped in training
// graphs: inverted dropout, as PyTorch's nn.Dropout and Keras's Dropout,
//
//	h ← h·m/(1 − p),   m ~ Bernoulli(1 − p), one draw per example and unit
//
// so that the expected activation E[h·m/(1 − p)] = h is the activation
// without dropout. It is GoMLX's layers.Dropout (ml/layers): active only in
// graphs built for training (the store's SetTraining(g, true), which
// train.Trainer sets for its training steps), the identity in any other
// graph, so evaluation is deterministic and equal to the network without
// dropout. The masks come from the store's random number generator
// (model.Store.SetRNGStateFromSeed makes them reproducible; GoMLX seeds it
// at random otherwise), whose state is a non-trainable variable of the store
// that each training step advances. The inputs and the logits are never
// dropped. p = 0 (the default) builds exactly the network without dropout.
// Done panics (an error from model.Exec or train.Trainer) if p is not in
// [0, 1): see [CheckDropout].
func (c *MLPConfig) Dropout(p float64) *MLPConfig { c.dropout = p; return c }

// CheckDropout returns an error naming the argument if p is not a valid
// dropout probability, in [0, 1).
func CheckDropout(p float64) error {
	if math.IsNaN(p) || p < 0 || p >= 1 {
		return fmt.Errorf("layers.MLPConfig.Dropout: invalid p %v: must be in [0, 1)", p)
	}
	return nil
}

// PlainAutodiff makes the dense layers use graph.Dot and GoMLX's own gradient
// instead of [Linear]'s matrix-product backward. Same values; it exists to
// compare the two.
func (c *MLPConfig) PlainAutodiff(plain bool) *MLPConfig { c.autodiff = plain; return c }

// Done builds the network and returns the logits, shaped [batch, outputs].
func (c *MLPConfig) Done() *graph.Node {
	if err := CheckDropout(c.dropout); err != nil {
		panic(err)
	}
	x := c.x
	if x.Rank() != 2 {
		x = graph.Reshape(x, x.Shape().Dimensions[0], -1)
	}
	sizes := append(append([]int(nil), c.hidden...), c.outputs)
	rng := rand.New(rand.NewPCG(c.seed, 0x5eed))
	for i, out := range sizes {
		if out <= 0 {
			panic(fmt.Errorf("layers.MLP: layer %d has size %d, want > 0", i, out))
		}
		scope := c.scope.At("%s", LayerScope(i))
		in := x.Shape().Dimensions[1]
		w, b := c.variables(scope, rng, x.DType(), in, out)
		if c.regularizer != nil {
			c.regularizer(x.Graph(), w)
		}
		wv, bv := w.NodeValue(x.Graph()), b.NodeValue(x.Graph())
		if c.autodiff {
			y := graph.DotGeneral(x, []int{1}, nil, wv, []int{1}, nil)
			x = graph.Add(y, graph.InsertAxes(bv, 0))
		} else {
			x = Linear(x, wv, bv)
		}
		if i < len(sizes)-1 {
			x = c.drop(c.activation(x))
		}
	}
	return x
}

// drop applies the configured dropout to hidden activations x.
func (c *MLPConfig) drop(x *graph.Node) *graph.Node {
	if c.dropout == 0 {
		return x
	}
	return gomlxlayers.Dropout(c.scope, x, graph.Scalar(x.Graph(), x.DType(), c.dropout))
}

// variables creates (or reuses) one layer's weights and biases.
func (c *MLPConfig) variables(scope *model.Scope, rng *rand.Rand, dtype dtypes.DType, in, out int) (w, b *model.Variable) {
	if c.init == InitScope {
		return scope.VariableWithShape(WeightsName, shapes.Make(dtype, out, in)),
			scope.WithInitializer(zeros).VariableWithShape(BiasesName, shapes.Make(dtype, out))
	}
	// Draw even if the variables exist (loaded), so later layers get the same values.
	bound := 1 / math.Sqrt(float64(in))
	wt, bt := uniform(rng, dtype, bound, out, in), uniform(rng, dtype, bound, out)
	if v := scope.GetVariable(WeightsName); v != nil {
		w = v
	} else {
		w = scope.VariableWithValue(WeightsName, wt)
	}
	if v := scope.GetVariable(BiasesName); v != nil {
		b = v
	} else {
		b = scope.VariableWithValue(BiasesName, bt)
	}
	// Existing variables (loaded, see LoadParams) must fit the layer.
	if got := w.Shape().Dimensions; len(got) != 2 || got[0] != out || got[1] != in {
		panic(fmt.Errorf("layers.MLP: %s has shape %v, want [%d %d] ([out, in])", w.Path(), got, out, in))
	}
	if got := b.Shape().Dimensions; len(got) != 1 || got[0] != out {
		panic(fmt.Errorf("layers.MLP: %s has shape %v, want [%d]", b.Path(), got, out))
	}
	return w, b
}

func zeros(g *graph.Graph, shape shapes.Shape) *graph.Node { return graph.Zeros(g, shape) }

// uniform returns a tensor ~ U(−bound, bound), drawn in row-major order.
func uniform(rng *rand.Rand, dtype dtypes.DType, bound float64, dims ...int) *tensors.Tensor {
	t := tensors.FromShape(shapes.Make(dtype, dims...))
	t.MustMutableFlatData(func(flat any) {
		switch f := flat.(type) {
		case []float32:
			for i := range f {
				f[i] = float32((2*rng.Float64() - 1) * bound)
			}
		case []float64:
			for i := range f {
				f[i] = (2*rng.Float64() - 1) * bound
			}
		default:
			panic(fmt.Errorf("layers.MLP: unsupported dtype %s (want Float32 or Float64)", dtype))
		}
	})
	return t
}
