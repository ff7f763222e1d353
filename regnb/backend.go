package regnb

import (
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"

	"github.com/gomlx/gomlx/backends"
	_ "github.com/gomlx/gomlx/backends/simplego" // The embedded default.
)

// DefaultBackend is the configuration used when none is given: GoMLX's
// pure-Go backend, with its ops run one after the other. Its default
// parallel executor was seen to deadlock on training graphs; this mode never
// did, and TestDefaultBackendDoesNotDeadlock checks it.
const DefaultBackend = "go:ops_sequential"

// LargeBatchBackend is the default configuration for mini-batches of
// LargeBatch examples or more: the pure-Go backend with its kernel for large
// matrix products, about 1.35× faster there and slower below (bench/README.md).
const LargeBatchBackend = "go:ops_sequential,dotgeneral_large"

// LargeBatch is the batch size from which LargeBatchBackend is the default.
const LargeBatch = 64

// DefaultBackendFor returns the backend configuration used for a run with the
// given batch size when none is given: $GOMLX_BACKEND if set, else
// DefaultBackend or, for large batches, LargeBatchBackend.
func DefaultBackendFor(batchSize int) string {
	if env := os.Getenv(backends.ConfigEnvVar); env != "" {
		return env
	}
	if batchSize >= LargeBatch {
		return LargeBatchBackend
	}
	return DefaultBackend
}

// backendFor creates the backend a run of cfg uses (cfg.Backend, else
// DefaultBackendFor its batch size) and prints a fallback notice on stderr.
func backendFor(cfg Config) (backends.Backend, error) {
	config := cfg.Backend
	if config == "" {
		config = DefaultBackendFor(cfg.BatchSize)
	}
	b, notice, err := NewBackend(config)
	if notice != "" {
		fmt.Fprintln(os.Stderr, notice)
	}
	return b, err
}

// PJRTCUDAEnv names the environment variable that may hold the path of a
// CUDA PJRT plugin (xla_cuda_plugin.so) for -backend xla:cuda.
const PJRTCUDAEnv = "REGNB_PJRT_CUDA"

// xlaLinked is set by backend_xla.go when the binary is built with -tags xla.
var xlaLinked bool

// NewBackend returns the GoMLX backend for config:
//
//	""               $GOMLX_BACKEND if set, else DefaultBackend
//	"go", "go:OPTS"  the pure-Go backend (simplego); OPTS as GoMLX documents
//	"xla:cpu"        XLA with its CPU PJRT plugin, if installed
//	"xla:cuda"       XLA with a CUDA PJRT plugin: $REGNB_PJRT_CUDA, else JAX's
//	                 jax_plugins/xla_cuda*/xla_cuda_plugin.so found by python3
//	"xla:/abs/path"  XLA with the PJRT plugin at that path
//
// Nothing is ever downloaded (GOMLX_NO_AUTO_INSTALL is set). When an XLA
// plugin is asked for but none is found, or XLA is not built into the
// binary, it falls back to the pure-Go backend and says so in notice; an
// unknown backend name is an error.
func NewBackend(config string) (b backends.Backend, notice string, err error) {
	_ = os.Setenv("GOMLX_NO_AUTO_INSTALL", "1")
	_ = os.Setenv("GOPJRT_CUDA_CHECKS", "0")
	if config == "" {
		config = os.Getenv(backends.ConfigEnvVar)
	}
	if config == "" {
		config = DefaultBackend
	}
	name, opts, _ := strings.Cut(config, ":")
	switch name {
	case "go", "simplego":
		b, err = backends.NewWithConfig("go:" + opts)
		if err != nil {
			return nil, "", fmt.Errorf("backend %q: %w", config, err)
		}
		return b, "", nil
	case "xla", "cpu", "cuda":
		if name != "xla" {
			opts = name
		}
		return newXLA(opts)
	}
	return nil, "", fmt.Errorf("unknown backend %q: want go, go:OPTIONS, xla:cpu, xla:cuda or xla:/path/to/pjrt_plugin.so", config)
}

// newXLA creates an XLA backend for a plugin name or path, falling back to
// the default backend when it cannot.
func newXLA(plugin string) (backends.Backend, string, error) {
	fallback := func(why string) (backends.Backend, string, error) {
		b, _, err := NewBackend(DefaultBackend)
		return b, fmt.Sprintf("regnb: %s; using the pure-Go backend (%s)", why, DefaultBackend), err
	}
	if !xlaLinked {
		return fallback("XLA is not built into this program (build with -tags xla)")
	}
	if plugin == "" {
		plugin = "cpu"
	}
	if plugin == "cuda" {
		path, err := FindCUDAPlugin()
		if err != nil {
			return fallback(err.Error())
		}
		plugin = path
	}
	if strings.Contains(plugin, "/") {
		if _, err := os.Stat(plugin); err != nil {
			return fallback(fmt.Sprintf("no PJRT plugin at %s", plugin))
		}
	}
	b, err := backends.NewWithConfig("xla:" + plugin)
	if err != nil {
		return fallback(fmt.Sprintf("no usable XLA PJRT plugin %q (%v)", plugin, firstLine(err)))
	}
	return b, "", nil
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
	return "", fmt.Errorf("no CUDA PJRT plugin found (set %s, or install JAX's CUDA plugin for python3)", PJRTCUDAEnv)
}

// BackendNames lists the backends registered in this binary.
func BackendNames() []string {
	names := backends.List()
	slices.Sort(names)
	return names
}

func firstLine(err error) string {
	s, _, _ := strings.Cut(err.Error(), "\n")
	return s
}
