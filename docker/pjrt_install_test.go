package docker

import (
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"runtime"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// scripts/pjrt-install.sh (run by scripts/setup.sh and by the image's plugin
// step) with a stand-in for pip: REGNB_PYTHON is a script that, asked for
// `-m pip install … --target DIR -r REQ`, lays out DIR as the variant's wheel
// does (the file named by files[variant], built by build), and otherwise runs
// python3 (the script's own check of the plugin). It returns the script's
// output and error.
func runPJRTInstall(t *testing.T, home, variant string, build func(dest string)) (string, error) {
	t.Helper()
	if runtime.GOOS != "linux" || runtime.GOARCH != "amd64" {
		t.Skip("PyPI has the plugins for linux/amd64 only, and the script refuses other platforms")
	}
	py, err := exec.LookPath("python3")
	if err != nil {
		t.Skip("no python3")
	}
	tmp := t.TempDir()
	plugin := filepath.Join(tmp, "plugin.so")
	build(plugin)
	fake := filepath.Join(tmp, "python")
	require.NoError(t, os.WriteFile(fake, []byte(`#!/bin/sh
if [ "$1 $2 $3" = "-m pip install" ]; then
  echo "$@" >"$FAKE_PIP_ARGS"
  while [ $# -gt 0 ]; do
    [ "$1" = --target ] && dest=$2
    shift
  done
  mkdir -p "$dest/$FAKE_PLUGIN_DIR" && cp "$FAKE_PLUGIN" "$dest/$FAKE_PLUGIN_DIR/$FAKE_PLUGIN_NAME"
  exit 0
fi
exec `+py+` "$@"
`), 0o755))
	dirs := map[string][2]string{
		"cpu":    {"lammps_jax_pjrt_cpu", "pjrt_c_api_cpu_plugin.so"},
		"cuda13": {"jax_plugins/xla_cuda13", "xla_cuda_plugin.so"},
	}
	cmd := exec.Command(filepath.Join("..", "scripts", "pjrt-install.sh"), variant)
	cmd.Env = append(os.Environ(), "HOME="+home, "REGNB_PYTHON="+fake, "REGNB_PJRT_LIB=",
		"FAKE_PIP_ARGS="+filepath.Join(tmp, "pip-args"), "FAKE_PLUGIN="+plugin,
		"FAKE_PLUGIN_DIR="+dirs[variant][0], "FAKE_PLUGIN_NAME="+dirs[variant][1])
	out, err := cmd.CombinedOutput()
	if args, readErr := os.ReadFile(filepath.Join(tmp, "pip-args")); readErr == nil {
		// Never a wheel's dependencies, never a file whose hash is not pinned.
		for _, flag := range []string{"--no-deps", "--require-hashes", "--only-binary=:all:", "--target", "-r"} {
			assert.Contains(t, string(args), flag)
		}
		assert.Contains(t, string(args), "scripts/requirements/xla-"+variant+".txt")
	}
	return string(out), err
}

// The CPU plugin ends up where go-xla v0.4.1 looks for the plugin "cpu"
// (~/.local/lib/go-xla/pjrt_c_api_cpu_plugin.so), and the script loads it
// and reads the PJRT C API version it reports; a library that is no PJRT
// plugin fails the install.
func TestPJRTInstallCPULinksThePluginWhereGoXLALooks(t *testing.T) {
	cc, err := exec.LookPath("cc")
	if err != nil {
		t.Skip("no C compiler for a stand-in plugin")
	}
	compile := func(src string) func(string) {
		return func(dest string) {
			c := filepath.Join(filepath.Dir(dest), "plugin.c")
			require.NoError(t, os.WriteFile(c, []byte(src), 0o644))
			out, err := exec.Command(cc, "-shared", "-fPIC", "-o", dest, c).CombinedOutput()
			require.NoError(t, err, string(out))
		}
	}
	home := t.TempDir()
	// PJRT_Api begins with struct_size, extension_start and PJRT_Api_Version
	// {struct_size, extension_start, major_version, minor_version}.
	out, err := runPJRTInstall(t, home, "cpu", compile(`#include <stddef.h>
struct version { size_t size; void *ext; int major, minor; };
static struct { size_t size; void *ext; struct version v; } api = {0, 0, {0, 0, 0, 115}};
void *GetPjrtApi(void) { return &api; }
`))
	require.NoError(t, err, out)
	assert.Contains(t, out, "PJRT C API 0.115")
	link := filepath.Join(home, ".local", "lib", "go-xla", "pjrt_c_api_cpu_plugin.so")
	target, err := os.Readlink(link)
	require.NoError(t, err, "a link named as go-xla's search wants it")
	assert.Equal(t, filepath.Join(home, ".local", "lib", "go-xla", "pypi", "cpu", "lammps_jax_pjrt_cpu", "pjrt_c_api_cpu_plugin.so"), target)

	out, err = runPJRTInstall(t, t.TempDir(), "cpu", compile("int not_a_plugin(void) { return 0; }\n"))
	assert.Error(t, err, out)
}

// regnb's xla:cuda finds the CUDA plugin through REGNB_PJRT_CUDA, which the
// Dockerfile sets to the file scripts/pjrt-install.sh cuda installs: JAX's
// plugin where pip put it, beside NVIDIA's libraries that its RPATH finds.
func TestCUDAPluginPathIsWhereTheInstallPutsIt(t *testing.T) {
	m := regexp.MustCompile(`REGNB_PJRT_CUDA=(\S+)`).FindStringSubmatch(dockerfile(t))
	require.NotNil(t, m)
	home := "/home/jovyan"
	want := strings.ReplaceAll(m[1], "${NB_USER}", "jovyan")
	require.True(t, strings.HasPrefix(want, home+"/"), want)

	tmpHome := t.TempDir()
	out, err := runPJRTInstall(t, tmpHome, "cuda13", func(dest string) {
		require.NoError(t, os.WriteFile(dest, []byte("not loaded without a GPU"), 0o644))
	})
	require.NoError(t, err, out)
	got := regexp.MustCompile(`REGNB_PJRT_CUDA=(\S+)`).FindStringSubmatch(out)
	require.NotNil(t, got, out)
	assert.Equal(t, filepath.Join(tmpHome, strings.TrimPrefix(want, home+"/")), got[1])
	assert.FileExists(t, got[1])
}
