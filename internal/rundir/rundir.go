// Package rundir gives a run's output directory one owner and one run's
// files at every moment.
//
//   - Ownership: Open takes an advisory lock (flock) on the directory, held
//     until Close; a second process on the same directory is refused at once,
//     with the holder's PID. The lock dies with its process, even under
//     SIGKILL.
//   - What may be written into: a directory that is new, empty, or holds a
//     regnb run (its marker file, written first; or, from before markers, a
//     history.json); anything else is refused by name, and nothing regnb did
//     not write is ever deleted.
//   - Replacing a run: a new run into a directory that holds one writes into
//     a fresh hidden sibling, which takes the name only when Commit is called
//     (when the run has something consistent to show), by an atomic exchange
//     of the two directories on Linux; the old run is then removed. At every
//     moment the name holds one run's files, never a mix.
package rundir

import (
	"encoding/json"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"

	"github.com/gofrs/flock"

	"github.com/regnb/regnb/internal/fileutil"
)

// The files of a run directory that belong to this package.
const (
	MarkerFile = ".regnb-run"  // Written first; lists the files regnb wrote.
	LockFile   = ".regnb-lock" // Locked while a process owns the directory; holds its PID.
)

// siblingPrefix starts the name of a replacing run's sibling directory.
const siblingPrefix = ".regnb-new-"

// marker is the content of MarkerFile.
type marker struct {
	Regnb int      `json:"regnb"` // The marker's format, 1.
	Files []string `json:"files"` // Entries regnb wrote (top level; a directory as a whole).
}

// Dir is a run's output directory, owned by this process until Close.
type Dir struct {
	// Name is the directory the user named.
	Name string
	// Path is where the run writes: Name, or until Commit a fresh sibling
	// that will take the name.
	Path string

	locks []*flock.Flock
}

// Mode says how Open treats a directory that already holds a run.
type Mode int

const (
	// Replace writes a new run beside one already there, which it replaces
	// at Commit.
	Replace Mode = iota
	// Continue writes into the run already there (a resume); the directory
	// must hold one.
	Continue
	// InPlace writes into the directory as it is (a directory of runs, whose
	// own files are each replaced whole): it must be new, empty or regnb's.
	InPlace
)

// Open creates the directory name if needed, takes ownership of it and
// returns where to write.
func Open(name string, mode Mode) (*Dir, error) {
	if err := os.MkdirAll(name, 0o755); err != nil {
		return nil, fmt.Errorf("output directory %s: cannot create it: %w", name, fileutil.Unwrap(err))
	}
	d := &Dir{Name: name, Path: name}
	if err := d.lock(name); err != nil {
		return nil, err
	}
	kind, foreign, err := classify(name)
	if err == nil {
		err = d.prepare(kind, foreign, mode)
	}
	if err != nil {
		if kind != regnbRun { // Leave a directory that is not regnb's as it was.
			_ = os.Remove(filepath.Join(name, LockFile))
		}
		d.Close()
		return nil, err
	}
	return d, nil
}

// prepare decides where the run writes, given what the directory holds.
func (d *Dir) prepare(kind contents, foreign []string, mode Mode) error {
	switch {
	case kind == foreignFiles:
		return fmt.Errorf("output directory %s holds files regnb did not write (%s): choose another -out, or empty it",
			d.Name, listOf(foreign))
	case mode == Continue && kind != regnbRun:
		return fmt.Errorf("resume %s: no regnb run there", d.Name)
	case kind == regnbRun && len(foreign) > 0:
		return fmt.Errorf("output directory %s holds a regnb run and files regnb did not write (%s): move them, or choose another -out",
			d.Name, listOf(foreign))
	case kind == regnbRun && mode == Replace:
		return d.openSibling()
	}
	if err := fileutil.RemoveTemps(d.Path, "history.json", "history.csv", MarkerFile); err != nil {
		return fmt.Errorf("output directory %s: %w", d.Name, err)
	}
	return d.UpdateMarker()
}

// openSibling creates and locks the fresh sibling the new run writes into,
// after removing siblings that killed processes left.
func (d *Dir) openSibling() error {
	parent, base := filepath.Split(filepath.Clean(d.Name))
	stale, _ := filepath.Glob(filepath.Join(parent, "."+base+siblingPrefix+"*"))
	for _, s := range stale {
		if l := flock.New(filepath.Join(s, LockFile)); tryLock(l) {
			_ = os.RemoveAll(s) // Its process is gone: it never took the name.
			_ = l.Close()
		}
	}
	s, err := os.MkdirTemp(parent, "."+base+siblingPrefix)
	if err != nil {
		return fmt.Errorf("output directory %s: cannot create a directory beside it: %w", d.Name, fileutil.Unwrap(err))
	}
	if err := d.lock(s); err != nil {
		return err
	}
	d.Path = s
	return d.UpdateMarker()
}

func tryLock(l *flock.Flock) bool {
	ok, err := l.TryLock()
	return err == nil && ok
}

// lock takes dir's lock, or says who holds it.
func (d *Dir) lock(dir string) error {
	path := filepath.Join(dir, LockFile)
	l := flock.New(path)
	ok, err := l.TryLock()
	if err != nil {
		return fmt.Errorf("output directory %s: cannot lock it: %w", d.Name, fileutil.Unwrap(err))
	}
	if !ok {
		holder := "another process"
		if pid, err := os.ReadFile(path); err == nil && len(strings.TrimSpace(string(pid))) > 0 {
			holder = "process " + strings.TrimSpace(string(pid))
		}
		return fmt.Errorf("output directory %s is in use by another regnb run (%s): wait for it to end, or choose another -out", d.Name, holder)
	}
	d.locks = append(d.locks, l)
	if err := os.WriteFile(path, []byte(strconv.Itoa(os.Getpid())+"\n"), 0o644); err != nil {
		return fmt.Errorf("output directory %s: %w", d.Name, fileutil.Unwrap(err))
	}
	return nil
}

// UpdateMarker records in the marker the files now in Path that regnb
// wrote (regnb's names only: a file a user added never counts as regnb's).
func (d *Dir) UpdateMarker() error {
	entries, err := os.ReadDir(d.Path)
	if err != nil {
		return fmt.Errorf("output directory %s: %w", d.Name, fileutil.Unwrap(err))
	}
	m := marker{Regnb: 1}
	if old, err := readMarker(d.Path); err == nil {
		m.Files = old.Files
	}
	for _, e := range entries {
		if ownEntry(d.Path, e) && !slices.Contains(m.Files, e.Name()) {
			m.Files = append(m.Files, e.Name())
		}
	}
	slices.Sort(m.Files)
	return fileutil.WriteAtomic(filepath.Join(d.Path, MarkerFile), func(w io.Writer) error {
		return json.NewEncoder(w).Encode(m)
	})
}

// Commit gives the name to the run written in the sibling (if any), in one
// step where the system allows, and removes the run it replaces.
func (d *Dir) Commit() error {
	if d.Path == d.Name {
		return nil
	}
	if err := d.UpdateMarker(); err != nil {
		return err
	}
	if err := exchange(d.Path, d.Name); err != nil {
		return fmt.Errorf("output directory %s: cannot replace the run there: %w", d.Name, err)
	}
	old := d.Path
	d.Path = d.Name
	return removeRun(old)
}

// Discard removes the sibling of a run that has nothing to show; the run in
// the directory stays as it was.
func (d *Dir) Discard() error {
	if d.Path == d.Name {
		return nil
	}
	old := d.Path
	d.Path = d.Name
	return os.RemoveAll(old)
}

// Close releases the directory.
func (d *Dir) Close() {
	for _, l := range d.locks {
		_ = l.Close()
	}
	d.locks = nil
}

// removeRun removes a replaced run: the files its marker lists, then the
// directory, which must then be empty (a file regnb did not write stops it).
func removeRun(dir string) error {
	m, err := readMarker(dir)
	if err != nil {
		return err
	}
	for _, name := range append(m.Files, MarkerFile, LockFile) {
		if err := os.RemoveAll(filepath.Join(dir, name)); err != nil {
			return err
		}
	}
	if err := os.Remove(dir); err != nil {
		return fmt.Errorf("the replaced run is kept in %s: %w", dir, fileutil.Unwrap(err))
	}
	return nil
}

func readMarker(dir string) (marker, error) {
	var m marker
	raw, err := os.ReadFile(filepath.Join(dir, MarkerFile))
	if err != nil {
		return m, err
	}
	if err := json.Unmarshal(raw, &m); err != nil || m.Regnb < 1 {
		return m, fmt.Errorf("%s: not a regnb marker", filepath.Join(dir, MarkerFile))
	}
	return m, nil
}

func listOf(names []string) string {
	if len(names) > 5 {
		return strings.Join(names[:5], ", ") + fmt.Sprintf(" and %d more", len(names)-5)
	}
	return strings.Join(names, ", ")
}

// Remove removes the entries of Path that regnb wrote and match reports.
func (d *Dir) Remove(match func(name string) bool) error {
	m, err := readMarker(d.Path)
	if err != nil {
		return err
	}
	var kept []string
	for _, name := range m.Files {
		if !match(name) {
			kept = append(kept, name)
			continue
		}
		if err := os.RemoveAll(filepath.Join(d.Path, name)); err != nil {
			return fmt.Errorf("output directory %s: %w", d.Name, fileutil.Unwrap(err))
		}
	}
	m.Files = kept
	return fileutil.WriteAtomic(filepath.Join(d.Path, MarkerFile), func(w io.Writer) error {
		return json.NewEncoder(w).Encode(m)
	})
}
