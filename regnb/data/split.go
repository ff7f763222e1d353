package data

import (
	"fmt"
	"math/rand/v2"
)

// splitStream is the PCG stream of the split's shuffle, apart from the
// training loop's epoch shuffles (streams 1, 2, … of the same seed).
const splitStream = 0x5eed5

// Split divides ds into a training part and a validation part of n
// examples: ds is shuffled by a permutation drawn from seed, and the last n
// examples of the shuffled set are the validation part, the others the
// training part, in that order. The same ds, n and seed always give the same
// parts; the parts are copies (ds is unchanged). It returns an error unless
// 0 < n < ds.N.
func (ds *Set) Split(n int, seed uint64) (train, validation *Set, err error) {
	if n <= 0 || n >= ds.N {
		return nil, nil, fmt.Errorf("validation split of %d examples: want between 1 and %d (the set has %d)", n, ds.N-1, ds.N)
	}
	order := rand.New(rand.NewPCG(seed, splitStream)).Perm(ds.N)
	return ds.pick(order[:ds.N-n]), ds.pick(order[ds.N-n:]), nil
}

// pick returns a new set of the examples idx of ds, in that order.
func (ds *Set) pick(idx []int) *Set {
	pixels := ds.Rows * ds.Cols
	out := &Set{N: len(idx), Rows: ds.Rows, Cols: ds.Cols, NumClasses: ds.NumClasses,
		Pixels: make([]uint8, 0, len(idx)*pixels), Labels: make([]int32, len(idx))}
	for i, j := range idx {
		out.Pixels = append(out.Pixels, ds.Pixels[j*pixels:(j+1)*pixels]...)
		out.Labels[i] = ds.Labels[j]
	}
	return out
}
