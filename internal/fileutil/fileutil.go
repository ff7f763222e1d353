// Package fileutil writes files so that a reader, or a crash, never sees
// half of one: each is written to a temporary file in the same directory and
// renamed into place.
package fileutil

import (
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
)

// Perm is the mode of the files WriteAtomic writes: readable by everyone,
// as a plot or a history should be (a temporary file is created 0600).
const Perm fs.FileMode = 0o644

// TempPrefix starts the names of WriteAtomic's temporary files, ".NAME.*";
// RemoveTemps removes those a killed process left.
const TempPrefix = "."

// WriteAtomic writes path through write, into a temporary file renamed into
// place: path holds either its old content or all of the new, never a part.
func WriteAtomic(path string, write func(io.Writer) error) error {
	tmp, err := os.CreateTemp(filepath.Dir(path), TempPrefix+filepath.Base(path)+".*")
	if err != nil {
		return fmt.Errorf("writing %s: %w", path, Unwrap(err))
	}
	defer os.Remove(tmp.Name())
	if err := write(tmp); err != nil {
		tmp.Close()
		return fmt.Errorf("writing %s: %w", path, err)
	}
	if err := tmp.Chmod(Perm); err != nil {
		tmp.Close()
		return fmt.Errorf("writing %s: %w", path, Unwrap(err))
	}
	if err := tmp.Close(); err != nil {
		return fmt.Errorf("writing %s: %w", path, Unwrap(err))
	}
	if err := os.Rename(tmp.Name(), path); err != nil {
		return fmt.Errorf("writing %s: %w", path, Unwrap(err))
	}
	return nil
}

// RemoveTemps removes the temporary files that WriteAtomic would have made
// for the files names in dir (left by a process killed while writing).
func RemoveTemps(dir string, names ...string) error {
	entries, err := os.ReadDir(dir)
	if err != nil {
		return err
	}
	var errs []error
	for _, e := range entries {
		for _, name := range names {
			if strings.HasPrefix(e.Name(), TempPrefix+name+".") && !e.IsDir() {
				errs = append(errs, os.Remove(filepath.Join(dir, e.Name())))
			}
		}
	}
	return errors.Join(errs...)
}

// Unwrap returns the error inside an *os.PathError (its path is said by the
// caller), or err.
func Unwrap(err error) error {
	var pe *os.PathError
	if errors.As(err, &pe) {
		return pe.Err
	}
	return err
}

// CheckWritable creates dir if needed and checks that a file can be written
// in it: the error says which of the two failed, and why.
func CheckWritable(dir string) error {
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return fmt.Errorf("output directory %s: cannot create it: %w", dir, Unwrap(err))
	}
	f, err := os.CreateTemp(dir, ".regnb-write-test-*")
	if err != nil {
		return fmt.Errorf("output directory %s: cannot write in it: %w", dir, Unwrap(err))
	}
	name := f.Name()
	f.Close()
	return os.Remove(name)
}
