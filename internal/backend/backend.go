// Package backend selects the GoMLX backend a run computes on: the embedded
// pure-Go backend (with the executor that suits the batch size) or XLA/PJRT
// with a CPU or CUDA plugin found on this machine, falling back to pure Go
// with a one-line notice. It also names the kernels a backend runs with
// (SIMD or not). Nothing is ever downloaded.
package backend

import (
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"

	"github.com/gomlx/compute"
	_ "github.com/gomlx/compute/gobackend" // The embedded default, registered as "go".
)

// DefaultBackend is the configuration used when none is given: GoMLX's
// pure-Go backend (github.com/gomlx/compute/gobackend) with its ops run one
// after the other, the fastest of its executors at small batches on two
// cores (bench/README.md). TestDefaultBackendDoesNotDeadlock checks it.
const DefaultBackend = "go:ops_sequential"

// LargeBatchBackend is the default configuration for mini-batches of
// LargeBatch examples or more: the pure-Go backend with its default executor,
// which runs independent ops in parallel when only one graph executes (as in
// regnb's loop), about 1.2–1.35× faster than ops_sequential there and slower
// below (bench/README.md). With compute v0.1.3 the backend picks its
// matrix-product kernels itself (SIMD where the build and the CPU allow; see
// Kernels), so there is no kernel option any more.
const LargeBatchBackend = "go"

// LargeBatch is the batch size from which LargeBatchBackend is the default.
const LargeBatch = 64

// DefaultBackendFor returns the backend configuration used for a run with the
// given batch size when none is given: $GOMLX_BACKEND if set, else
// DefaultBackend or, for large batches, LargeBatchBackend.
func DefaultBackendFor(batchSize int) string {
	if env := os.Getenv(compute.ConfigEnvVar); env != "" {
		return env
	}
	if batchSize >= LargeBatch {
		return LargeBatchBackend
	}
	return DefaultBackend
}

// ForRun creates the backend for a run: config if given, else
// DefaultBackendFor(batchSize). A fallback notice is printed on stderr. It
// also returns the configuration actually used.
func ForRun(config string, batchSize int) (compute.Backend, string, error) {
	if config == "" {
		config = DefaultBackendFor(batchSize)
	}
	b, notice, err := New(config)
	if notice != "" {
		fmt.Fprintln(os.Stderr, notice)
		config = DefaultBackend // The fallback.
	}
	return b, config, err
}

// Kernels describes the kernels backend b runs with: for the pure-Go backend
// whether this binary was built with SIMD (GOEXPERIMENT=simd) and which
// instruction set its matrix products use, e.g. "go (simd/avx512)",
// "go (simd/avx2)" or "go (no simd)"; for XLA its plugin, e.g. "xla:cpu" or
// "xla:xla_cuda_plugin.so".
func Kernels(b compute.Backend) string {
	if b == nil {
		return ""
	}
	if b.String() == "go" {
		return "go (" + goKernels() + ")"
	}
	// E.g. "xla:cpu - …": the name and the plugin, without its directory.
	name, _, _ := strings.Cut(b.String(), " ")
	if backend, plugin, ok := strings.Cut(name, ":"); ok && strings.Contains(plugin, "/") {
		name = backend + ":" + filepath.Base(plugin)
	}
	return name
}

// PJRTCUDAEnv names the environment variable that may hold the path of a
// CUDA PJRT plugin (xla_cuda_plugin.so) for -backend xla:cuda.
const PJRTCUDAEnv = "REGNB_PJRT_CUDA"

// xlaLinked is set by xla.go when the binary is built with -tags xla.
var xlaLinked bool

// New returns the GoMLX backend for config:
//
//	""               $GOMLX_BACKEND if set, else DefaultBackend
//	"go", "go:OPTS"  the pure-Go backend (compute/gobackend); OPTS among
//	                 ops_sequential, ops_parallel, parallelism=N,
//	                 dependency_order, creation_order
//	"xla:cpu"        XLA with its CPU PJRT plugin, if installed
//	"xla:cuda"       XLA with a CUDA PJRT plugin: $REGNB_PJRT_CUDA, else JAX's
//	                 jax_plugins/xla_cuda*/xla_cuda_plugin.so found by python3
//	"xla:/abs/path"  XLA with the PJRT plugin at that path
//	"xla:P,OPTS"     any of these with go-xla's options (e.g. preallocate=false)
//
// Nothing is ever downloaded (GOMLX_NO_AUTO_INSTALL is set). When an XLA
// plugin is asked for but none is found, or XLA is not built into the
// binary, it falls back to the pure-Go backend and says so in notice; an
// unknown backend name is an error.
func New(config string) (b compute.Backend, notice string, err error) {
	_ = os.Setenv("GOMLX_NO_AUTO_INSTALL", "1")
	_ = os.Setenv("GOPJRT_CUDA_CHECKS", "0")
	if config == "" {
		config = os.Getenv(compute.ConfigEnvVar)
	}
	if config == "" {
		config = DefaultBackend
	}
	name, opts, _ := strings.Cut(config, ":")
	switch name {
	case "go", "simplego":
		// GoMLX v0.26's kernel option: compute v0.1.3 picks the kernels itself,
		// so it is dropped (histories saved before the port still resume).
		opts = strings.Join(slices.DeleteFunc(strings.Split(opts, ","),
			func(o string) bool { return o == "dotgeneral_large" }), ",")
		b, err = compute.NewWithConfig("go:" + opts)
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
func newXLA(plugin string) (compute.Backend, string, error) {
	fallback := func(why string) (compute.Backend, string, error) {
		b, _, err := New(DefaultBackend)
		return b, fmt.Sprintf("regnb: %s; using the pure-Go backend (%s)", why, DefaultBackend), err
	}
	if !xlaLinked {
		return fallback("XLA is not built into this program (build with -tags xla)")
	}
	plugin, xlaOpts, _ := strings.Cut(plugin, ",") // e.g. xla:cuda,preallocate=false
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
	config := "xla:" + plugin
	if xlaOpts != "" {
		config += "," + xlaOpts
	}
	b, err := compute.NewWithConfig(config)
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

// Names lists the backends registered in this binary.
func Names() []string {
	names := compute.List()
	slices.Sort(names)
	return names
}

func firstLine(err error) string {
	s, _, _ := strings.Cut(err.Error(), "\n")
	return s
}
