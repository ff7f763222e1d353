package regularizers

import (
	"fmt"
	"math"

	"github.com/gomlx/gomlx/core/graph"
	"github.com/gomlx/gomlx/ml/model"
	"github.com/gomlx/gomlx/ml/train"

	"github.com/regnb/regnb/internal/hook"
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
type Units struct {
	Layout   KernelLayout
	Outgoing bool
}

// layerGroups is one hidden layer's groups: n values per group, unit axis of
// each part.
type layerGroups struct {
	kernel, bias, next *model.Variable // bias and next may be nil.
	n                  int             // Size of each group.
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
	axis := u.unitAxis()
	var out []layerGroups
	for i, k := range kernels[:len(kernels)-1] {
		units := k.Shape().Dimensions[axis]
		l := layerGroups{kernel: k, n: k.Shape().Dimensions[1-axis]}
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

// scale returns x·√n, n the layer's group size: the factor of each group's
// norm in the penalty.
func (l layerGroups) scale(x *graph.Node) *graph.Node {
	return graph.MulScalar(x, math.Sqrt(float64(l.n)))
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

// GroupLasso returns the group lasso penalty over hidden units (Yuan & Lin;
// Scardapane et al. for neural networks):
//
//	GL(w) = λ·s(t)·Σ_g √n_g·‖w_g‖₂
//
// where g ranges over the hidden units of the dense layers it is given (see
// [Units] for what a group holds), n_g is the number of parameters in group g
// and ‖w_g‖₂ their Euclidean norm. Reported as term "GroupLasso". Its gradient
// for the parameters of group g is
//
//	λ·s(t)·√n_g·w_g/‖w_g‖₂,  and 0 where w_g = 0 (the subgradient of least norm),
//
// times c where the loss multiplies the penalty by c (the chain rule). It
// drives whole units towards zero together; under a gradient optimizer they
// hover near it, and [ProximalGroupLasso] makes them exactly zero, so that
// the units can be pruned (a smaller network, not only scattered zeros).
//
// Where it acts: in the loss, as [L1]. Apply it to the whole network at once
// (regularizers.Apply with AllTrainable or KernelsOnly): it needs consecutive
// layers.
// Options: [WithName], [WithSchedule]; any other is an *[OptionError].
// Errors: lambda must be finite and ≥ 0; building the graph panics (an error
// from model.Exec or train.Trainer) when fewer than two kernels are given or
// the layers do not chain.
func GroupLasso(lambda float64, units Units, opts ...Option) (Regularizer, error) {
	const fn = "GroupLasso"
	o, err := newOptions(fn, inLossOptions, opts, strength{"lambda", lambda})
	if err != nil {
		return nil, err
	}
	name := o.termName("GroupLasso")
	return func(g *graph.Graph, weights ...*model.Variable) {
		requireWeights(fn, weights)
		layers := units.layers(fn, weights)
		dtype := weights[0].DType()
		if lambda == 0 {
			recordTerm(name, graph.ScalarZero(g, dtype))
			return
		}
		strength := strengthNode(g, dtype, lambda, o.schedule)
		var total *graph.Node
		for _, l := range layers {
			scale := l.scale(strength)
			s := graph.StopGradient(l.squaredNorms(g, units, func(v *model.Variable) *graph.Node { return v.NodeValue(g) }))
			total = sum(total, graph.Mul(scale, graph.ReduceAllSum(graph.Sqrt(s))))
			k := graph.Mul(safeInverse(graph.Sqrt(s)), scale) // λ·s(t)·√n/‖w_g‖, 0 at w_g = 0.
			vars, axes := l.parts(units)
			for i, v := range vars {
				w, axis := v.NodeValue(g), axes[i]
				train.AddRegularizationLoss(hook.GradientOnly(w, func(c *graph.Node) *graph.Node {
					return graph.Mul(w, perUnit(graph.Mul(k, c), w, axis))
				}))
			}
		}
		AddTerm(name, total)
	}, nil
}

// ProximalGroupLasso returns the group lasso penalty of [GroupLasso]
// optimized by its proximal operator, the block soft-threshold: after each
// optimizer step, for every group g,
//
//	w_g ← w_g·max(0, 1 − η·λ·s(t)·√n_g/‖w_g‖₂)
//
// where η is the learning rate (the optimizer's, or [WithLearningRate];
// divided by √t with [WithSGDDecay]). Groups whose norm falls below η·λ·s(t)·√n_g become
// exactly zero — whole units, which layers.Prune (package
// github.com/regnb/regnb/layers) then removes. The value is
// reported as term "GroupLasso" without a gradient. Where it acts: after the
// optimizer, as [ProximalL1] (a heuristic under Adam, exact proximal gradient
// under SGD); stacked steps run in order.
// Options: [WithName], [WithSchedule], [WithLearningRate], [WithSGDDecay].
// Errors: as [GroupLasso].
func ProximalGroupLasso(lambda float64, units Units, opts ...Option) (Regularizer, error) {
	const fn = "ProximalGroupLasso"
	o, err := newOptions(fn, proximalOptions, opts, strength{"lambda", lambda})
	if err != nil {
		return nil, err
	}
	name := o.termName("GroupLasso")
	return func(g *graph.Graph, weights ...*model.Variable) {
		requireWeights(fn, weights)
		layers := units.layers(fn, weights)
		dtype := weights[0].DType()
		strength := strengthNode(g, dtype, lambda, o.schedule)
		var total *graph.Node
		for _, l := range layers {
			s := l.squaredNorms(g, units, func(v *model.Variable) *graph.Node { return v.NodeValue(g) })
			total = sum(total, graph.Mul(l.scale(strength), graph.ReduceAllSum(graph.Sqrt(s))))
		}
		AddTerm(name, graph.StopGradient(total))
		if lambda == 0 {
			return
		}
		for _, l := range layers {
			vars, axes := l.parts(units)
			afterStepGroup(g, vars, func(g *graph.Graph, cur values) {
				dtype := cur[l.kernel].DType()
				threshold := l.scale(graph.Mul(learningRate(g, o, fn, dtype), strengthNode(g, dtype, lambda, o.schedule))) // η·λ·s(t)·√n
				norm := graph.Sqrt(l.squaredNorms(g, units, func(v *model.Variable) *graph.Node { return cur[v] }))
				factor := graph.Max(graph.OneMinus(graph.Mul(threshold, safeInverse(norm))), graph.ZerosLike(norm))
				for i, v := range vars {
					cur[v] = graph.Mul(cur[v], perUnit(factor, cur[v], axes[i]))
				}
			})
		}
	}, nil
}
