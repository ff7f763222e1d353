package experiment

import (
	"errors"
	"fmt"
	"io"
	"math"
	"os"
	"path/filepath"
	"slices"

	"github.com/gomlx/gomlx/core/tensors"
	"github.com/gomlx/gomlx/ml/model"
	"github.com/gomlx/gomlx/ml/model/checkpoint"

	"github.com/regnb/regnb/layers"
)

// Network is a trained MLP as layers.MLP builds it — variables
// "/dense_<i>/weights" shaped [out, in] and "/dense_<i>/biases" — with its
// sizes: what inference and pruning need, without the optimizer's state.
type Network struct {
	Store   *model.Store
	Inputs  int
	Hidden  []int // Units of each hidden layer.
	Outputs int
}

// LoadNetwork reads the MLP of the run saved in dir (a Train output
// directory) from the checkpoint its history names.
func LoadNetwork(dir string) (*Network, error) {
	h, err := LoadHistory(dir)
	if err != nil {
		return nil, err
	}
	ckDir := filepath.Join(dir, "checkpoint")
	names, err := checkpointNames(ckDir)
	if err != nil || len(names) == 0 {
		return nil, fmt.Errorf("network of %s: no checkpoint there (%v)", dir, err)
	}
	if h.Checkpoint != "" && names[len(names)-1] != h.Checkpoint {
		return nil, fmt.Errorf("network of %s: its history names checkpoint %s but %s is newer (an interrupted save): resume the run first",
			dir, h.Checkpoint, names[len(names)-1])
	}
	loaded := model.NewStore()
	if _, err := checkpoint.Load(loaded).Dir(ckDir).Immediate().Done(); err != nil {
		return nil, fmt.Errorf("network of %s: %w", dir, err)
	}
	// Only the MLP's variables, in a store of their own (not attached to the
	// checkpoint directory, so nothing is ever saved back there).
	store := model.NewStore()
	for i := range len(h.Config.Hidden) + 1 {
		for _, name := range []string{"weights", "biases"} {
			path := fmt.Sprintf("/dense_%d/%s", i, name)
			v := loaded.GetVariable(path)
			if v == nil {
				return nil, fmt.Errorf("network of %s: its checkpoint has no %s", dir, path)
			}
			t, err := v.Value()
			if err != nil {
				return nil, fmt.Errorf("network of %s: %s: %w", dir, path, err)
			}
			local, err := t.LocalClone()
			if err != nil {
				return nil, fmt.Errorf("network of %s: %s: %w", dir, path, err)
			}
			store.VariableWithValue(path, local)
		}
	}
	return NetworkOf(store)
}

// NetworkOf returns the MLP whose variables are in store (e.g. the store
// given to Train with WithModel), its sizes read from the variables' shapes.
func NetworkOf(store *model.Store) (*Network, error) {
	n := &Network{Store: store}
	var sizes []int
	for i := 0; ; i++ {
		wv := store.GetVariable(fmt.Sprintf("/dense_%d/weights", i))
		if wv == nil {
			break
		}
		dims := wv.Shape().Dimensions
		if len(dims) != 2 {
			return nil, fmt.Errorf("network: %s has shape %v, want [out, in]", wv.Path(), dims)
		}
		if i == 0 {
			n.Inputs = dims[1]
		} else if dims[1] != sizes[i-1] {
			return nil, fmt.Errorf("network: %s takes %d inputs, the layer before has %d units", wv.Path(), dims[1], sizes[i-1])
		}
		sizes = append(sizes, dims[0])
	}
	if len(sizes) == 0 {
		return nil, errors.New("network: no /dense_0/weights in the store: not an MLP built by layers.MLP")
	}
	n.Hidden, n.Outputs = sizes[:len(sizes)-1], sizes[len(sizes)-1]
	return n, nil
}

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

// Prune returns the smaller network without the dead hidden units of n
// (incoming weights and bias all exactly 0; see layers.Prune): it computes
// the same function, in a new store. n is not changed.
func (n *Network) Prune() (*Network, error) {
	store := model.NewStore()
	kept, err := layers.Prune(n.Store.RootScope(), store.RootScope())
	if err != nil {
		return nil, err
	}
	return &Network{Store: store, Inputs: n.Inputs, Hidden: kept, Outputs: n.Outputs}, nil
}

// InputsUsed returns the number of inputs (pixels) with a weight other than
// exactly 0 into at least one hidden unit that is alive (or into an output,
// for a network without hidden layers).
func (n *Network) InputsUsed() (int, error) {
	w, b, err := layerValues(n.Store, 0)
	if err != nil {
		return 0, err
	}
	if w == nil {
		return 0, errors.New("network: no dense_0/weights or biases")
	}
	wf, bf := tensors.MustCopyFlatData[float32](w), tensors.MustCopyFlatData[float32](b)
	units, inputs := w.Shape().Dimensions[0], w.Shape().Dimensions[1]
	used := make([]bool, inputs)
	for j := range units {
		row := wf[j*inputs : (j+1)*inputs]
		if len(n.Hidden) > 0 && bf[j] == 0 && allZero(row) {
			continue // A dead unit.
		}
		for p, x := range row {
			if x != 0 {
				used[p] = true
			}
		}
	}
	count := 0
	for _, u := range used {
		if u {
			count++
		}
	}
	return count, nil
}

// ZeroSmallUnits returns a copy of n in which every hidden unit whose
// incoming weights and bias have a Euclidean norm below eps is set to
// exactly 0 (incoming weights and bias), so that Prune removes it. Unlike
// Prune this changes the function: measure the result. It is how units that a
// subgradient group lasso drove close to 0, without reaching it, are
// removed. n is not changed.
func (n *Network) ZeroSmallUnits(eps float64) (*Network, error) {
	store := model.NewStore()
	for i := range len(n.Hidden) + 1 {
		w, b, err := layerValues(n.Store, i)
		if err != nil {
			return nil, err
		}
		if w == nil {
			return nil, fmt.Errorf("network: no dense_%d/weights or biases", i)
		}
		wf, bf := tensors.MustCopyFlatData[float32](w), tensors.MustCopyFlatData[float32](b)
		units, inputs := w.Shape().Dimensions[0], w.Shape().Dimensions[1]
		if i < len(n.Hidden) {
			for j := range units {
				row := wf[j*inputs : (j+1)*inputs]
				sq := float64(bf[j]) * float64(bf[j])
				for _, x := range row {
					sq += float64(x) * float64(x)
				}
				if math.Sqrt(sq) < eps {
					clear(row)
					bf[j] = 0
				}
			}
		}
		store.VariableWithValue(fmt.Sprintf("/dense_%d/weights", i), tensors.FromFlatDataAndDimensions(wf, units, inputs))
		store.VariableWithValue(fmt.Sprintf("/dense_%d/biases", i), tensors.FromFlatDataAndDimensions(bf, units))
	}
	return &Network{Store: store, Inputs: n.Inputs, Hidden: slices.Clone(n.Hidden), Outputs: n.Outputs}, nil
}

// SaveParams writes the network's parameters to path as layers.SaveParams
// does: a run with Config.InitFrom = path and Config.Hidden = n.Hidden starts
// from them (to fine-tune a pruned network, say).
func (n *Network) SaveParams(path string) error {
	if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
		return fmt.Errorf("network: %w", err)
	}
	return writeFileAtomic(path, func(w io.Writer) error { return layers.SaveParams(n.Store.RootScope(), w) })
}
