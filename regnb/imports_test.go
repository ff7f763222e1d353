package regnb_test

import (
	"os/exec"
	"strings"
	"testing"

	"github.com/stretchr/testify/require"
)

// TestOnlyTheDisplayLayerImportsGoNB: every package of the module other than
// regnb (the notebooks' layer) builds without GoNB, directly or not.
func TestOnlyTheDisplayLayerImportsGoNB(t *testing.T) {
	out, err := exec.Command("go", "list", "-e", "-f", `{{.ImportPath}} {{join .Deps " "}}`, "github.com/regnb/regnb/...").Output()
	require.NoError(t, err)
	checked := 0
	for _, line := range strings.Split(strings.TrimSpace(string(out)), "\n") {
		pkg, deps, _ := strings.Cut(line, " ")
		checked++
		if pkg == "github.com/regnb/regnb/regnb" || pkg == "github.com/regnb/regnb/internal/tools" {
			continue
		}
		for _, dep := range strings.Fields(deps) {
			if strings.HasPrefix(dep, "github.com/janpfeifer/gonb") {
				t.Errorf("%s imports %s: only package regnb may import GoNB", pkg, dep)
				break
			}
		}
	}
	require.Greater(t, checked, 5, "go list found the module's packages")
}

// TestRoomsImportOneWay: a history, its plots and the settings read without
// GoMLX or the engine (so a run on disk plots anywhere), and the library
// packages any GoMLX project imports know nothing of the tutorial's engine.
func TestRoomsImportOneWay(t *testing.T) {
	forbidden := map[string][]string{
		"github.com/regnb/regnb/regnb/settings": {"github.com/gomlx/", "github.com/regnb/regnb/regnb/run", "github.com/regnb/regnb/layers"},
		"github.com/regnb/regnb/regnb/history":  {"github.com/gomlx/", "github.com/regnb/regnb/regnb/run", "github.com/regnb/regnb/layers"},
		"github.com/regnb/regnb/regnb/plots":    {"github.com/gomlx/", "github.com/regnb/regnb/regnb/run", "github.com/regnb/regnb/layers"},
		"github.com/regnb/regnb/regularizers":   {"github.com/regnb/regnb/regnb", "github.com/regnb/regnb/layers"},
		"github.com/regnb/regnb/layers":         {"github.com/regnb/regnb/regnb"},
	}
	for pkg, bad := range forbidden {
		out, err := exec.Command("go", "list", "-f", `{{join .Deps " "}}`, pkg).Output()
		require.NoError(t, err, pkg)
		for _, dep := range strings.Fields(string(out)) {
			for _, b := range bad {
				if strings.HasPrefix(dep, b) {
					t.Errorf("%s depends on %s", pkg, dep)
				}
			}
		}
	}
}
