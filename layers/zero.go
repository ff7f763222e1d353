package layers

import (
	"math"
	"slices"

	"github.com/gomlx/gomlx/ml/model"
)

// ZeroSmallWeights returns a copy of n in which every parameter (weight or
// bias, of every layer) with |w| < eps is set to exactly 0: what L1 is left
// with when its small weights are cut afterwards. The shapes stay: only
// units whose incoming weights and bias all fall to 0 can be pruned. Like
// ZeroSmallUnits it changes the function: measure the result. n is not
// changed.
func (n *Network) ZeroSmallWeights(eps float64) (*Network, error) {
	net, err := n.Layers()
	if err != nil {
		return nil, err
	}
	small := func(xs []float32) {
		for k, x := range xs {
			if math.Abs(float64(x)) < eps {
				xs[k] = 0
			}
		}
	}
	store := model.NewStore()
	for i, d := range net {
		for _, row := range d.W {
			small(row)
		}
		small(d.B)
		writeDense(store.RootScope(), i, d)
	}
	return &Network{Store: store, Inputs: n.Inputs, Hidden: slices.Clone(n.Hidden), Outputs: n.Outputs}, nil
}

// NonZero returns the number of parameters (weights and biases) that are
// not exactly 0.
func (n *Network) NonZero() (int, error) {
	net, err := n.Layers()
	if err != nil {
		return 0, err
	}
	count := 0
	for _, d := range net {
		for _, row := range d.W {
			for _, x := range row {
				if x != 0 {
					count++
				}
			}
		}
		for _, x := range d.B {
			if x != 0 {
				count++
			}
		}
	}
	return count, nil
}
