//go:build !(goexperiment.simd && amd64)

package backend

// goKernels names the kernels of the pure-Go backend: without
// GOEXPERIMENT=simd on amd64 they are plain Go.
func goKernels() string {
	if SIMDBuild {
		return "simd build, no simd kernels on this architecture"
	}
	return "no simd"
}
