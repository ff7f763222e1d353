package layers

import (
	"fmt"
	"io"
	"math"
	"os"
	"path/filepath"
	"slices"

	"github.com/gomlx/gomlx/ml/model"
	"github.com/gomlx/gomlx/ml/model/checkpoint"

	"github.com/regnb/regnb/internal/fileutil"
)

// Network is a trained MLP as [MLP] builds it, at the root scope of its
// store, with its sizes: what evaluation, inference and pruning need,
// without an optimizer's state.
type Network struct {
	Store   *model.Store
	Inputs  int
	Hidden  []int // Units of each hidden layer.
	Outputs int
}

// NetworkOf returns the MLP whose variables are at the root of store (e.g.
// a training run's model), its sizes read from the variables' shapes.
func NetworkOf(store *model.Store) (*Network, error) {
	net, err := ReadDense(store.RootScope())
	if err != nil {
		return nil, fmt.Errorf("network: %w", err)
	}
	n := &Network{Store: store, Inputs: net[0].Inputs(), Outputs: net[len(net)-1].Units()}
	for _, d := range net[:len(net)-1] {
		n.Hidden = append(n.Hidden, d.Units())
	}
	return n, nil
}

// LoadNetwork reads the MLP from the latest GoMLX checkpoint in dir into a
// store of its own (only the MLP's variables, not attached to dir: nothing
// is ever saved back there).
func LoadNetwork(dir string) (*Network, error) {
	loaded := model.NewStore()
	if _, err := checkpoint.Load(loaded).Dir(dir).Immediate().Done(); err != nil {
		return nil, fmt.Errorf("network in %s: %w", dir, err)
	}
	net, err := ReadDense(loaded.RootScope())
	if err != nil {
		return nil, fmt.Errorf("network in %s: %w", dir, err)
	}
	store := model.NewStore()
	for i, d := range net {
		writeDense(store.RootScope(), i, d)
	}
	return NetworkOf(store)
}

// Layers reads the network's dense layers onto the host.
func (n *Network) Layers() ([]Dense, error) { return ReadDense(n.Store.RootScope()) }

// Params returns the number of parameters (weights and biases) of the network.
func (n *Network) Params() int {
	total, in := 0, n.Inputs
	for _, out := range append(slices.Clone(n.Hidden), n.Outputs) {
		total += out*in + out
		in = out
	}
	return total
}

// Units returns the number of hidden units, all layers together.
func (n *Network) Units() int {
	total := 0
	for _, h := range n.Hidden {
		total += h
	}
	return total
}

// UnitsKept returns, for each hidden layer, the units that are not dead
// (Dense.Dead).
func (n *Network) UnitsKept() ([]int, error) {
	net, err := n.Layers()
	if err != nil {
		return nil, err
	}
	kept := make([]int, len(n.Hidden))
	for i := range kept {
		kept[i] = net[i].Alive()
	}
	return kept, nil
}

// InputL1 returns Σ_j |W₀[j, p]| for each input p: how much the first
// layer still listens to it.
func (n *Network) InputL1() ([]float64, error) {
	net, err := n.Layers()
	if err != nil {
		return nil, err
	}
	sums := make([]float64, net[0].Inputs())
	for _, row := range net[0].W {
		for p, w := range row {
			sums[p] += math.Abs(float64(w))
		}
	}
	return sums, nil
}

// Prune returns the smaller network without the dead hidden units of n
// (see [Prune]): it computes the same function, in a new store. n is not
// changed.
func (n *Network) Prune() (*Network, error) {
	store := model.NewStore()
	kept, err := Prune(n.Store.RootScope(), store.RootScope())
	if err != nil {
		return nil, err
	}
	return &Network{Store: store, Inputs: n.Inputs, Hidden: kept, Outputs: n.Outputs}, nil
}

// InputsUsed returns the number of inputs (pixels) with a weight other than
// exactly 0 into at least one hidden unit that is alive (or into an output,
// for a network without hidden layers).
func (n *Network) InputsUsed() (int, error) {
	net, err := n.Layers()
	if err != nil {
		return 0, err
	}
	used := map[int]bool{}
	for j, row := range net[0].W {
		if len(n.Hidden) > 0 && net[0].Dead(j) {
			continue
		}
		for p, x := range row {
			if x != 0 {
				used[p] = true
			}
		}
	}
	return len(used), nil
}

// ZeroSmallUnits returns a copy of n in which every hidden unit whose
// incoming weights and bias have a Euclidean norm below eps is set to
// exactly 0 (incoming weights and bias), so that Prune removes it. Unlike
// Prune this changes the function: measure the result. It is how units that a
// subgradient group lasso drove close to 0, without reaching it, are
// removed. n is not changed.
func (n *Network) ZeroSmallUnits(eps float64) (*Network, error) {
	net, err := n.Layers()
	if err != nil {
		return nil, err
	}
	store := model.NewStore()
	for i, d := range net {
		if i < len(n.Hidden) {
			for j, row := range d.W {
				sq := float64(d.B[j]) * float64(d.B[j])
				for _, x := range row {
					sq += float64(x) * float64(x)
				}
				if math.Sqrt(sq) < eps {
					clear(row)
					d.B[j] = 0
				}
			}
		}
		writeDense(store.RootScope(), i, d)
	}
	return &Network{Store: store, Inputs: n.Inputs, Hidden: slices.Clone(n.Hidden), Outputs: n.Outputs}, nil
}

// SaveParams writes the network's parameters to path as [SaveParams] does: a
// run that starts from them (regnb's -init) with the same hidden sizes
// continues from this network (to fine-tune a pruned network, say).
func (n *Network) SaveParams(path string) error {
	if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
		return fmt.Errorf("network: %w", err)
	}
	return fileutil.WriteAtomic(path, func(w io.Writer) error { return SaveParams(n.Store.RootScope(), w) })
}
