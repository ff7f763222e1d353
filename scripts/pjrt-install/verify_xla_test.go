//go:build xla

package main

import (
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/stretchr/testify/require"
)

// TestVerifyUsesGoXLASearch installs a stand-in plugin (a C library with a
// GetPjrtApi function) into installDir("") and into a directory go-xla does not
// search, and checks that verify accepts only the first. go-xla reads its
// search paths at start-up (HOME included), so it runs in a subprocess.
func TestVerifyUsesGoXLASearch(t *testing.T) {
	if os.Getenv("PJRT_INSTALL_VERIFY_CHILD") != "" {
		dir, err := installDir(os.Getenv("PJRT_INSTALL_VERIFY_LIB"))
		require.NoError(t, err)
		if err := verify("cpu", dir); err != nil {
			os.Stderr.WriteString(err.Error() + "\n")
			os.Exit(3)
		}
		return
	}
	cc, err := exec.LookPath("cc")
	if err != nil {
		t.Skip("no C compiler for a stand-in plugin")
	}
	tmp := t.TempDir()
	src := filepath.Join(tmp, "fake.c")
	require.NoError(t, os.WriteFile(src, []byte("static char api[4096];\nvoid *GetPjrtApi(void) { return api; }\n"), 0o644))
	home, elsewhere := filepath.Join(tmp, "home"), filepath.Join(tmp, "elsewhere")
	for _, lib := range []string{filepath.Join(home, ".local", "lib"), elsewhere} {
		dir := filepath.Join(lib, goxlaSubdir)
		require.NoError(t, os.MkdirAll(dir, 0o755))
		out, err := exec.Command(cc, "-shared", "-fPIC", "-o", filepath.Join(dir, "pjrt_c_api_cpu_v0.0.1_plugin.so"), src).CombinedOutput()
		require.NoError(t, err, string(out))
	}
	run := func(lib string) error {
		cmd := exec.Command(os.Args[0], "-test.run=^TestVerifyUsesGoXLASearch$")
		var env []string
		for _, kv := range os.Environ() {
			if !strings.HasPrefix(kv, "PJRT_PLUGIN_LIBRARY_PATH=") { // Set, it replaces go-xla's default search.
				env = append(env, kv)
			}
		}
		cmd.Env = append(env, "HOME="+home, "PJRT_INSTALL_VERIFY_CHILD=1", "PJRT_INSTALL_VERIFY_LIB="+lib)
		out, err := cmd.CombinedOutput()
		t.Logf("-lib %q:\n%s", lib, out)
		return err
	}
	require.NoError(t, run(""), "a plugin in ~/.local/lib/go-xla is found")
	require.Error(t, run(elsewhere), "a plugin where go-xla does not look is refused")
}
