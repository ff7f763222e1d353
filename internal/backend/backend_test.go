package backend_test

import (
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/regnb/regnb/internal/backend"
)

func TestBackends(t *testing.T) {
	t.Setenv("GOMLX_BACKEND", "")
	b, sel, err := backend.New("")
	require.NoError(t, err)
	assert.Empty(t, sel.Fallback)
	assert.Equal(t, backend.DefaultBackend, sel.Config)
	assert.Equal(t, "go", b.String(), "the pure-Go backend")
	_, _, err = backend.New("go:no_such_option")
	assert.ErrorContains(t, err, `backend "go:no_such_option"`)
	_, _, err = backend.New("tpu")
	assert.EqualError(t, err, `unknown backend "tpu": want go, go:OPTIONS, xla:cpu, xla:cuda or xla:/path/to/pjrt_plugin.so`)
	assert.Equal(t, backend.DefaultBackend, backend.DefaultBackendFor(10))
	assert.Equal(t, backend.LargeBatchBackend, backend.DefaultBackendFor(backend.LargeBatch))
	// A configuration saved before the port (GoMLX v0.26's kernel option).
	b, sel, err = backend.New("go:ops_sequential,dotgeneral_large")
	require.NoError(t, err)
	assert.Empty(t, sel.Fallback)
	assert.Equal(t, "go", b.String())
	assert.Contains(t, backend.Names(), "go")
}

// A plugin path that does not exist, or (without -tags xla) any XLA
// configuration, falls back to the pure-Go backend with one line saying why.
func TestXLAFallback(t *testing.T) {
	b, sel, err := backend.New("xla:/no/such/pjrt_c_api_cpu_plugin.so")
	require.NoError(t, err)
	assert.Equal(t, "go", b.String())
	assert.Equal(t, backend.DefaultBackend, sel.Config)
	if backend.XLALinked {
		assert.Equal(t, "no PJRT plugin at /no/such/pjrt_c_api_cpu_plugin.so", sel.Fallback)
	} else {
		assert.Contains(t, sel.Fallback, "XLA is not built into this program")
	}
	assert.Equal(t, sel.Fallback+"; using the pure-Go backend (go:ops_sequential)", sel.Notice())
	assert.NotContains(t, sel.Notice(), "\n")
}

// Asking for XLA's CPU plugin where none is installed says how to install
// it. go-xla reads its search paths once, from $HOME at start: the check
// runs in a child process with an empty home.
func TestXLAMissingPluginSaysHowToInstall(t *testing.T) {
	if !backend.XLALinked {
		t.Skip("built without -tags xla")
	}
	if _, err := os.Stat("/usr/local/lib/go-xla/pjrt_c_api_cpu_plugin.so"); err == nil {
		t.Skip("a CPU plugin is installed system-wide")
	}
	if os.Getenv("REGNB_TEST_CHILD") == "1" {
		_, sel, err := backend.New("xla:cpu")
		require.NoError(t, err)
		fmt.Print(sel.Fallback)
		return
	}
	cmd := exec.Command(os.Args[0], "-test.run=^TestXLAMissingPluginSaysHowToInstall$")
	cmd.Env = append(os.Environ(), "REGNB_TEST_CHILD=1", "HOME="+t.TempDir(), "PJRT_PLUGIN_LIBRARY_PATH="+t.TempDir())
	out, err := cmd.Output()
	require.NoError(t, err, "%s", out)
	assert.Contains(t, string(out), "no XLA CPU plugin (pjrt_c_api_cpu_plugin.so) in ~/.local/lib/go-xla")
	assert.Contains(t, string(out), backend.InstallHint)
}

func TestKernelsNameTheSIMDBuild(t *testing.T) {
	b, sel, err := backend.New("go")
	require.NoError(t, err)
	assert.Regexp(t, `^go \(.+\)$`, sel.Kernels)
	assert.Equal(t, sel.Kernels, backend.Kernels(b))
	if backend.SIMDBuild {
		assert.Contains(t, sel.Kernels, "simd")
		assert.NotContains(t, sel.Kernels, "no simd")
	} else {
		assert.Equal(t, "go (no simd)", sel.Kernels)
	}
}

// RequiredPJRT is the version of go-xla's own header: this fails the day
// go.mod moves to a go-xla with another PJRT C API.
func TestRequiredPJRTMatchesGoXLA(t *testing.T) {
	out, err := exec.Command("go", "list", "-m", "-f", "{{.Dir}}", "github.com/gomlx/go-xla").Output()
	require.NoError(t, err)
	header, err := os.ReadFile(filepath.Join(strings.TrimSpace(string(out)), "pjrt", "pjrt_c_api.h"))
	require.NoError(t, err)
	version := func(macro string) int {
		m := regexp.MustCompile(`#define ` + macro + ` (\d+)`).FindSubmatch(header)
		require.NotNil(t, m, macro)
		v, err := strconv.Atoi(string(m[1]))
		require.NoError(t, err)
		return v
	}
	assert.Equal(t, [2]int{version("PJRT_API_MAJOR"), version("PJRT_API_MINOR")}, backend.RequiredPJRT)
}
