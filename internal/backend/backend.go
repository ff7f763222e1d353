// Package backend selects the GoMLX backend a run computes on: the embedded
// pure-Go backend (with the executor that suits the batch size) or XLA/PJRT
// with a CPU or CUDA plugin installed on this machine, falling back to pure
// Go with a one-line reason. It names the kernels a backend runs with (SIMD
// or not; the XLA plugin and its version). Nothing is ever downloaded, and
// nothing here prints or changes the environment: the caller decides what to
// do with a Selection's Fallback.
package backend

import (
	"fmt"
	"os"
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
// Selection.Kernels), so there is no kernel option any more.
const LargeBatchBackend = "go"

// LargeBatch is the batch size from which LargeBatchBackend is the default.
const LargeBatch = 64

// Selection describes the backend New returned.
type Selection struct {
	// Config is the configuration the backend was created from, e.g.
	// "go:ops_sequential" or "xla:cpu" (the fallback's when there was one).
	Config string
	// Kernels names what the backend computes with, e.g. "go (simd/avx512)",
	// "go (no simd)" or "xla:cpu (lammps-jax-pjrt-cpu 0.11.2, PJRT C API
	// 0.115)".
	Kernels string
	// Fallback is empty when the backend asked for is the one returned;
	// otherwise one line saying why XLA could not be used (and how to install
	// it), the pure-Go backend DefaultBackend being returned instead.
	Fallback string
}

// Notice is the line to show a user for s's fallback ("" if none).
func (s Selection) Notice() string {
	if s.Fallback == "" {
		return ""
	}
	return fmt.Sprintf("%s; using the pure-Go backend (%s)", s.Fallback, s.Config)
}

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
// DefaultBackendFor(batchSize).
func ForRun(config string, batchSize int) (compute.Backend, Selection, error) {
	if config == "" {
		config = DefaultBackendFor(batchSize)
	}
	return New(config)
}

// New returns the GoMLX backend for config:
//
//	""               $GOMLX_BACKEND if set, else DefaultBackend
//	"go", "go:OPTS"  the pure-Go backend (compute/gobackend); OPTS among
//	                 ops_sequential, ops_parallel, parallelism=N,
//	                 dependency_order, creation_order
//	"xla:cpu"        XLA with its CPU PJRT plugin, pjrt_c_api_cpu_plugin.so,
//	                 found where go-xla looks (~/.local/lib/go-xla,
//	                 /usr/local/lib/go-xla, $PJRT_PLUGIN_LIBRARY_PATH)
//	"xla:cuda"       XLA with a CUDA PJRT plugin: $REGNB_PJRT_CUDA, else JAX's
//	                 jax_plugins/xla_cuda*/xla_cuda_plugin.so found by python3
//	"xla:/abs/path"  XLA with the PJRT plugin at that path
//	"xla:P,OPTS"     any of these with go-xla's options (e.g. preallocate=false)
//
// XLA needs a binary built with cgo and -tags xla, and a plugin whose PJRT C
// API is one go-xla can drive (RequiredPJRT). When XLA is asked for but
// cannot be used, New returns the pure-Go backend DefaultBackend and says why
// in the Selection's Fallback; an unknown backend name or bad options are an
// error.
func New(config string) (compute.Backend, Selection, error) {
	if config == "" {
		config = os.Getenv(compute.ConfigEnvVar)
	}
	if config == "" {
		config = DefaultBackend
	}
	name, opts, _ := strings.Cut(config, ":")
	switch name {
	case "go", "simplego":
		return newGo(config, opts)
	case "xla", "cpu", "cuda":
		if name != "xla" {
			opts = name
		}
		b, sel, err := newXLA(opts)
		if sel.Fallback == "" || err != nil {
			return b, sel, err
		}
		b, goSel, err := newGo(DefaultBackend, strings.TrimPrefix(DefaultBackend, "go:"))
		goSel.Fallback = sel.Fallback
		return b, goSel, err
	}
	return nil, Selection{}, fmt.Errorf("unknown backend %q: want go, go:OPTIONS, xla:cpu, xla:cuda or xla:/path/to/pjrt_plugin.so", config)
}

// newGo creates the pure-Go backend with options opts.
func newGo(config, opts string) (compute.Backend, Selection, error) {
	// GoMLX v0.26's kernel option: compute v0.1.3 picks the kernels itself,
	// so it is dropped (histories saved before the port still resume).
	opts = strings.Join(slices.DeleteFunc(strings.Split(opts, ","),
		func(o string) bool { return o == "dotgeneral_large" }), ",")
	b, err := compute.NewWithConfig("go:" + opts)
	if err != nil {
		return nil, Selection{}, fmt.Errorf("backend %q: %w", config, err)
	}
	return b, Selection{Config: config, Kernels: "go (" + goKernels() + ")"}, nil
}

// PJRTCUDAEnv names the environment variable that may hold the path of a
// CUDA PJRT plugin (xla_cuda_plugin.so) for -backend xla:cuda.
const PJRTCUDAEnv = "REGNB_PJRT_CUDA"

// InstallHint says how to install the XLA CPU plugin (scripts/setup.sh, from
// PyPI, pinned in scripts/requirements/xla-cpu.txt).
const InstallHint = "install it with scripts/setup.sh --xla (the PyPI wheel lammps-jax-pjrt-cpu, pinned in scripts/requirements/xla-cpu.txt)"

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

// Kernels describes the kernels a backend created elsewhere (not by New)
// runs with: for the pure-Go backend whether this binary was built with SIMD
// and which instruction set its matrix products use, e.g. "go
// (simd/avx512)"; for XLA the first word of its description.
func Kernels(b compute.Backend) string {
	if b == nil {
		return ""
	}
	if b.String() == "go" {
		return "go (" + goKernels() + ")"
	}
	name, _, _ := strings.Cut(b.String(), " ")
	return name
}
