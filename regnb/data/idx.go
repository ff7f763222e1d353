package data

import (
	"bufio"
	"bytes"
	"compress/gzip"
	"encoding/binary"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
)

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
	br := bytes.NewReader(raw)
	if len(raw) < 2 || raw[0] != 0x1f || raw[1] != 0x8b {
		dims, data, err = ReadIDX(br)
	} else {
		dims, data, err = readGzipIDX(br)
	}
	if err != nil {
		return nil, nil, fmt.Errorf("data file %s: %w", path, err)
	}
	return dims, data, nil
}

// readGzipIDX reads an idx file compressed in one gzip member; bytes after
// the member are an error of their own (not a truncation).
func readGzipIDX(br *bytes.Reader) (dims []int, data []byte, err error) {
	gz, err := gzip.NewReader(br)
	if err != nil {
		return nil, nil, err
	}
	gz.Multistream(false) // Reading stops at the end of the member: br holds what follows.
	if dims, data, err = ReadIDX(bufio.NewReader(gz)); err != nil {
		return nil, nil, err
	}
	if br.Len() > 0 {
		return nil, nil, fmt.Errorf("%d bytes follow the end of the compressed data: corrupt, or not one gzip file", br.Len())
	}
	return dims, data, nil
}
