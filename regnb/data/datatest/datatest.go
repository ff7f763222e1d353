// Package datatest writes small MNIST-format data sets for tests: idx files
// encoded by hand, and a synthetic set a model can learn in a few steps.
package datatest

import (
	"bytes"
	"compress/gzip"
	"encoding/binary"
	"math/rand/v2"
	"os"
	"path/filepath"
	"testing"

	"github.com/regnb/regnb/regnb/data"
)

// IDX encodes an idx file of unsigned bytes.
func IDX(dims []int, values []byte) []byte {
	var b bytes.Buffer
	b.Write([]byte{0, 0, 8, byte(len(dims))})
	for _, d := range dims {
		_ = binary.Write(&b, binary.BigEndian, uint32(d))
	}
	b.Write(values)
	return b.Bytes()
}

// Gzip compresses raw.
func Gzip(raw []byte) []byte {
	var b bytes.Buffer
	w := gzip.NewWriter(&b)
	_, _ = w.Write(raw)
	_ = w.Close()
	return b.Bytes()
}

// Write writes a small MNIST-format data set to a new directory and returns
// it: n training and n/2 test images of size×size pixels whose label is
// encoded in their brightest pixel, so that a model can learn it. The
// training images are gzipped, the labels are not (both work).
func Write(t testing.TB, n, size int) string {
	t.Helper()
	dir := t.TempDir()
	rng := rand.New(rand.NewPCG(1, 1))
	write := func(imagesFile, labelsFile string, count int) {
		pixels := make([]byte, count*size*size)
		labels := make([]byte, count)
		for i := range count {
			labels[i] = byte(rng.IntN(10))
			for j := range size * size {
				pixels[i*size*size+j] = byte(rng.IntN(60))
			}
			pixels[i*size*size+int(labels[i])] = 255
		}
		if err := os.WriteFile(filepath.Join(dir, imagesFile+".gz"), Gzip(IDX([]int{count, size, size}, pixels)), 0o644); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(filepath.Join(dir, labelsFile), IDX([]int{count}, labels), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	write(data.TrainImagesFile, data.TrainLabelsFile, n)
	write(data.TestImagesFile, data.TestLabelsFile, n/2)
	return dir
}

// Load is Write followed by data.Load.
func Load(t testing.TB, n, size int) *data.TrainTest {
	t.Helper()
	d, err := data.Load(Write(t, n, size))
	if err != nil {
		t.Fatal(err)
	}
	return d
}
