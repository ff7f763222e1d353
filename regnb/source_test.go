package regnb_test

import (
	"encoding/json"
	"os"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"testing"

	"github.com/regnb/regnb/regnb"
)

// showSource matches a notebook's regnb.ShowSource("file", "from", "to").
var showSource = regexp.MustCompile(`ShowSource\(\s*("(?:[^"\\]|\\.)*")\s*,\s*("(?:[^"\\]|\\.)*")\s*,\s*("(?:[^"\\]|\\.)*")\s*\)`)

// TestNotebooksShowSourceThatExists runs in go test what a notebook's
// ShowSource would find only when the notebook runs: every excerpt of the
// repository's code that a committed notebook shows still exists, so moving
// or renaming code breaks a unit test rather than a lesson.
func TestNotebooksShowSourceThatExists(t *testing.T) {
	t.Chdir("..") // The repository's root, where ShowSource's paths start.
	paths, err := filepath.Glob("notebooks/*.ipynb")
	if err != nil || len(paths) == 0 {
		t.Fatalf("no notebooks found: %v", err)
	}
	calls := 0
	for _, p := range paths {
		raw, err := os.ReadFile(p)
		if err != nil {
			t.Fatal(err)
		}
		var nb struct {
			Cells []struct {
				CellType string   `json:"cell_type"`
				Source   []string `json:"source"`
			} `json:"cells"`
		}
		if err := json.Unmarshal(raw, &nb); err != nil {
			t.Fatalf("%s: %v", p, err)
		}
		for i, c := range nb.Cells {
			if c.CellType != "code" {
				continue
			}
			for _, m := range showSource.FindAllStringSubmatch(strings.Join(c.Source, ""), -1) {
				var args [3]string
				for k := range args {
					if args[k], err = strconv.Unquote(m[k+1]); err != nil {
						t.Fatalf("%s, cell %d: %s: %v", p, i, m[0], err)
					}
				}
				calls++
				if _, _, err := regnb.SourceLines(args[0], args[1], args[2]); err != nil {
					t.Errorf("%s, cell %d shows code that is not there: %v", p, i, err)
				}
			}
		}
	}
	if calls == 0 {
		t.Error("no notebook calls regnb.ShowSource: the pattern no longer matches how they call it")
	}
}
