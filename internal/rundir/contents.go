package rundir

import (
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strings"

	"github.com/regnb/regnb/internal/fileutil"
)

// contents says what a directory holds.
type contents int

const (
	empty        contents = iota // Nothing (but a lock).
	regnbRun                     // A regnb run: its marker, or a history.json of a run from before markers.
	foreignFiles                 // Files, and no sign of regnb.
)

// classify says what dir holds and lists the entries regnb did not write.
func classify(dir string) (contents, []string, error) {
	entries, err := os.ReadDir(dir)
	if err != nil {
		return 0, nil, fmt.Errorf("output directory %s: %w", dir, fileutil.Unwrap(err))
	}
	entries = slices.DeleteFunc(entries, func(e os.DirEntry) bool { return e.Name() == LockFile })
	if len(entries) == 0 {
		return empty, nil, nil
	}
	m, err := readMarker(dir)
	isRun := err == nil
	owned := func(e os.DirEntry) bool { return slices.Contains(m.Files, e.Name()) || regnbDotfile(e.Name()) }
	if !isRun && legacyHistory(dir) {
		isRun = true
		owned = func(e os.DirEntry) bool { return ownEntry(dir, e) || regnbDotfile(e.Name()) }
	}
	var foreign []string
	for _, e := range entries {
		if !isRun || !owned(e) {
			name := e.Name()
			if e.IsDir() {
				name += "/"
			}
			foreign = append(foreign, name)
		}
	}
	if !isRun {
		return foreignFiles, foreign, nil
	}
	return regnbRun, foreign, nil
}

// ownEntry tells whether an entry of the run directory dir is one regnb
// writes: the history, tables, plots, the checkpoint directory, or a run of
// a comparison or of several seeds (a directory with its own marker).
func ownEntry(dir string, e os.DirEntry) bool {
	if e.IsDir() {
		if e.Name() == "checkpoint" {
			return true
		}
		_, err := os.Stat(filepath.Join(dir, e.Name(), MarkerFile))
		return err == nil
	}
	return ownFile(e.Name())
}

// ownFile tells whether a file has a name regnb gives its files.
func ownFile(name string) bool {
	switch filepath.Ext(name) {
	case ".svg", ".png":
		return true
	}
	return slices.Contains([]string{"history.json", "history.csv", "summary.md", "summary.csv", "summary.json"}, name)
}

// regnbDotfile tells whether a hidden file is this package's or a temporary
// file of fileutil.WriteAtomic (left by a killed process).
func regnbDotfile(name string) bool {
	return name == MarkerFile || name == LockFile || strings.HasPrefix(name, fileutil.TempPrefix) &&
		ownFile(strings.TrimSuffix(strings.TrimPrefix(name, fileutil.TempPrefix), filepath.Ext(name)))
}

// legacyHistory tells whether dir holds the history.json of a regnb run
// written before run directories had a marker.
func legacyHistory(dir string) bool {
	raw, err := os.ReadFile(filepath.Join(dir, "history.json"))
	if err != nil {
		return false
	}
	var h struct {
		Config    map[string]any `json:"config"`
		StepsDone *int           `json:"steps_done"`
	}
	return json.Unmarshal(raw, &h) == nil && h.Config != nil && h.StepsDone != nil
}
