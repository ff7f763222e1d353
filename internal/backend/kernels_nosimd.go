//go:build !goexperiment.simd

package backend

// SIMDBuild reports whether this binary was built with GOEXPERIMENT=simd,
// which lets the pure-Go backend use its SIMD kernels (on amd64).
const SIMDBuild = false
