//go:build xla

package backend_test

import (
	"os"
	"path/filepath"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/regnb/regnb/internal/backend"
)

// cpuPlugin returns the path of the installed XLA CPU plugin, or skips.
func cpuPlugin(t *testing.T) string {
	home, err := os.UserHomeDir()
	require.NoError(t, err)
	path := filepath.Join(home, ".local", "lib", "go-xla", "pjrt_c_api_cpu_plugin.so")
	if _, err := os.Stat(path); err != nil {
		t.Skipf("no XLA CPU plugin at %s (%s)", path, backend.InstallHint)
	}
	return path
}

func TestXLACPU(t *testing.T) {
	cpuPlugin(t)
	b, sel, err := backend.New("xla:cpu")
	require.NoError(t, err)
	require.Empty(t, sel.Fallback)
	defer b.Finalize()
	assert.Equal(t, "xla:cpu", sel.Config)
	assert.Regexp(t, `^xla:cpu \((.+ \d+\.\d+\.\d+, )?PJRT C API 0\.\d+\)$`, sel.Kernels)
	info, err := backend.PluginInfo("cpu")
	require.NoError(t, err)
	assert.GreaterOrEqual(t, info.Minor, backend.RequiredPJRT[1])
}

// A plugin older than go-xla's header is refused, naming both versions.
func TestXLAPluginTooOld(t *testing.T) {
	cpuPlugin(t)
	saved := backend.RequiredPJRT
	t.Cleanup(func() { backend.RequiredPJRT = saved })
	backend.RequiredPJRT = [2]int{0, 10000}
	b, sel, err := backend.New("xla:cpu")
	require.NoError(t, err)
	assert.Equal(t, "go", b.String())
	assert.Regexp(t, `has PJRT C API 0\.\d+; go-xla v0\.4\.1 needs 0\.10000 or newer within major version 0`, sel.Fallback)
}
