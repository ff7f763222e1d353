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
