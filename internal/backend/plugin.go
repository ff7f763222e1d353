package backend

import (
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
)

// RequiredPJRT is the PJRT C API version of the header go-xla v0.4.1 is
// built against (its pjrt/pjrt_c_api.h; TestRequiredPJRTMatchesGoXLA reads
// it): a plugin must have the same major version and at least this minor
// version, since go-xla calls every function of that API table and an older
// plugin's table is shorter.
var RequiredPJRT = [2]int{0, 104}

// Plugin describes a PJRT plugin: where it is, the PJRT C API version it
// reports and, when pip installed it, its Python distribution and version.
type Plugin struct {
	path             string
	Major, Minor     int
	Package, Version string
}

// String names the plugin, e.g. "lammps-jax-pjrt-cpu 0.11.2, PJRT C API
// 0.115" or "PJRT C API 0.115".
func (p Plugin) String() string {
	api := fmt.Sprintf("PJRT C API %d.%d", p.Major, p.Minor)
	if p.Package == "" {
		return api
	}
	return p.Package + " " + p.Version + ", " + api
}

// check tells whether go-xla can drive the plugin's PJRT C API.
func (p Plugin) check() error {
	if p.Major != RequiredPJRT[0] || p.Minor < RequiredPJRT[1] {
		return fmt.Errorf("the XLA PJRT plugin %s has PJRT C API %d.%d; go-xla v0.4.1 needs %d.%d or newer within major version %d: %s",
			p.path, p.Major, p.Minor, RequiredPJRT[0], RequiredPJRT[1], RequiredPJRT[0], InstallHint)
	}
	return nil
}

// PluginInfo loads the PJRT plugin for an XLA configuration's plugin part
// ("cpu", "cuda" or an absolute path) and describes it; an error says why
// it cannot be used.
func PluginInfo(plugin string) (Plugin, error) {
	if plugin == "cuda" {
		path, err := FindCUDAPlugin()
		if err != nil {
			return Plugin{}, err
		}
		plugin = path
	}
	p, err := pluginInfo(plugin)
	if err != nil {
		return p, err
	}
	return p, p.check()
}

// FindCUDAPlugin looks for a CUDA PJRT plugin: $REGNB_PJRT_CUDA, else JAX's
// plugin in the python3 environment on PATH (jax_plugins.xla_cuda13, then
// xla_cuda12). The plugin must be loaded from its real path, where its
// RPATH finds NVIDIA's libraries.
func FindCUDAPlugin() (string, error) {
	if p := os.Getenv(PJRTCUDAEnv); p != "" {
		return p, nil
	}
	for _, mod := range []string{"jax_plugins.xla_cuda13", "jax_plugins.xla_cuda12"} {
		out, err := exec.Command("python3", "-c",
			"import os, "+mod+" as m; print(os.path.dirname(m.__file__))").Output()
		if err != nil {
			continue
		}
		p := filepath.Join(strings.TrimSpace(string(out)), "xla_cuda_plugin.so")
		if _, err := os.Stat(p); err == nil {
			return p, nil
		}
	}
	return "", errors.New("no CUDA PJRT plugin found (set " + PJRTCUDAEnv + ", or install JAX's CUDA plugin jax-cuda13-pjrt for python3)")
}
