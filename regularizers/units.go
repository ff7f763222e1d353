package regularizers

import (
	"fmt"
	"math"

	"github.com/gomlx/gomlx/core/graph"
	"github.com/gomlx/gomlx/ml/model"
)

// KernelLayout says which axis of a dense layer's kernel indexes its units.
type KernelLayout int

const (
	// OutIn kernels are shaped [out, in], as PyTorch's nn.Linear and package
	// layers store them: unit j's incoming weights are row j.
	OutIn KernelLayout = iota
	// InOut kernels are shaped [in, out], as GoMLX's layers.Dense and fnn
	// store them: unit j's incoming weights are column j.
	InOut
)

func (l KernelLayout) String() string {
	switch l {
	case OutIn:
		return "OutIn"
	case InOut:
		return "InOut"
	}
	return fmt.Sprintf("KernelLayout(%d)", int(l))
}

// Units groups the parameters of a stack of dense layers by hidden unit, for
// [GroupLasso] and [ProximalGroupLasso].
//
// The kernels are the variables named "weights" among those the regularizer
// is given, taken in the order given as consecutive layers (layer i+1's input
// is layer i's output). Every kernel but the last is a hidden layer; the last
// is the output layer, whose units are not grouped (they cannot be removed).
// Hidden unit j of layer i is one group: its incoming weights (row j of the
// kernel for [OutIn], column j for [InOut]), element j of the variable named
// "biases" in the same scope if there is one, and, with Outgoing, its outgoing
// weights in layer i+1's kernel (column j for OutIn, row j for InOut).
//
// LayerFactors, if given, multiplies the strength for the groups of each
// hidden layer: λ·LayerFactors[i] for layer i's units (1 for a layer it does
// not reach). The √n_g weighting makes a unit of a narrow layer (few inputs)
// a small group, pulled less than a unit of a wide one; a factor above 1 for
// such a layer lets one λ prune both. Each factor must be finite and ≥ 0, and
// there may not be more factors than hidden layers.
type Units struct {
	Layout       KernelLayout
	Outgoing     bool
	LayerFactors []float64
}

// layerGroups is one hidden layer's groups: n values per group, unit axis of
// each part.
type layerGroups struct {
	kernel, bias, next *model.Variable // bias and next may be nil.
	n                  int             // Size of each group.
	factor             float64         // Units.LayerFactors' factor for the layer.
}

// unitAxis returns the axis of a kernel that indexes its output units.
func (u Units) unitAxis() int {
	if u.Layout == InOut {
		return 1
	}
	return 0
}

// layers finds the hidden layers among weights, or panics naming fn.
func (u Units) layers(fn string, weights []*model.Variable) []layerGroups {
	var kernels []*model.Variable
	biases := map[string]*model.Variable{}
	for _, v := range weights {
		switch v.Name() {
		case "weights":
			if v.Shape().Rank() != 2 {
				panic(fmt.Errorf("regularizers.%s: %s has shape %v, want a dense layer's rank-2 kernel", fn, v.Path(), v.Shape().Dimensions))
			}
			kernels = append(kernels, v)
		case "biases":
			biases[v.Scope()] = v
		}
	}
	if len(kernels) < 2 {
		panic(fmt.Errorf("regularizers.%s: needs the kernels of at least two consecutive dense layers (hidden and output), got %d; "+
			"apply it to the whole network (regularizers.Apply), not layer by layer", fn, len(kernels)))
	}
	if len(u.LayerFactors) > len(kernels)-1 {
		panic(fmt.Errorf("regularizers.%s: %d layer factors for %d hidden layers", fn, len(u.LayerFactors), len(kernels)-1))
	}
	axis := u.unitAxis()
	var out []layerGroups
	for i, k := range kernels[:len(kernels)-1] {
		units := k.Shape().Dimensions[axis]
		l := layerGroups{kernel: k, n: k.Shape().Dimensions[1-axis], factor: 1}
		if i < len(u.LayerFactors) {
			l.factor = u.LayerFactors[i]
		}
		if b := biases[k.Scope()]; b != nil {
			if b.Shape().Rank() != 1 || b.Shape().Dimensions[0] != units {
				panic(fmt.Errorf("regularizers.%s: %s has shape %v, want [%d] (the units of %s)", fn, b.Path(), b.Shape().Dimensions, units, k.Path()))
			}
			l.bias = b
			l.n++
		}
		next := kernels[i+1]
		if got := next.Shape().Dimensions[1-axis]; got != units {
			panic(fmt.Errorf("regularizers.%s: %s has %d inputs but %s has %d units: not consecutive layers (Layout %v?)",
				fn, next.Path(), got, k.Path(), units, u.Layout))
		}
		if u.Outgoing {
			l.next = next
			l.n += next.Shape().Dimensions[axis]
		}
		out = append(out, l)
	}
	return out
}

// parts returns the layer's parameters with, for each, the axis along which
// its elements belong to the groups (the other axes are summed over).
func (l layerGroups) parts(u Units) (vars []*model.Variable, unitAxes []int) {
	axis := u.unitAxis()
	vars, unitAxes = []*model.Variable{l.kernel}, []int{axis}
	if l.bias != nil {
		vars, unitAxes = append(vars, l.bias), append(unitAxes, 0)
	}
	if l.next != nil {
		vars, unitAxes = append(vars, l.next), append(unitAxes, 1-axis)
	}
	return vars, unitAxes
}

// squaredNorms returns ‖w_g‖² for each group of the layer, shaped [units],
// from the values in cur (or the variables' values in g if cur is nil).
func (l layerGroups) squaredNorms(g *graph.Graph, u Units, value func(*model.Variable) *graph.Node) *graph.Node {
	vars, axes := l.parts(u)
	var sum *graph.Node
	for i, v := range vars {
		x := graph.Square(value(v))
		if x.Rank() == 2 {
			x = graph.ReduceSum(x, 1-axes[i])
		}
		if sum == nil {
			sum = x
		} else {
			sum = graph.Add(sum, x)
		}
	}
	return sum
}

// scale returns x·√n·f, n the layer's group size and f its layer factor:
// the factor of each group's norm in the penalty.
func (l layerGroups) scale(x *graph.Node) *graph.Node {
	return graph.MulScalar(x, math.Sqrt(float64(l.n))*l.factor)
}

// check validates the layer factors given to fn.
func (u Units) check(fn string) error {
	for i, f := range u.LayerFactors {
		if err := checkStrength(fn, fmt.Sprintf("Units.LayerFactors[%d]", i), f); err != nil {
			return err
		}
	}
	return nil
}

// sum returns a + b, or b if a is nil.
func sum(a, b *graph.Node) *graph.Node {
	if a == nil {
		return b
	}
	return graph.Add(a, b)
}

// perUnit broadcasts a [units] vector k against a part whose unit axis is axis.
func perUnit(k *graph.Node, part *graph.Node, axis int) *graph.Node {
	if part.Rank() == 1 {
		return k
	}
	return graph.InsertAxes(k, 1-axis)
}

// safeInverse returns 1/x where x > 0, else 0.
func safeInverse(x *graph.Node) *graph.Node {
	zero := graph.ZerosLike(x)
	positive := graph.GreaterThan(x, zero)
	return graph.Where(positive, graph.Reciprocal(graph.Where(positive, x, graph.OnesLike(x))), zero)
}
