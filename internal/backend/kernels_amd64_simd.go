//go:build goexperiment.simd && amd64

package backend

import (
	"simd/archsimd"

	"github.com/gomlx/compute/support/envutil"
)

// goKernels names the matrix-product kernels the pure-Go backend registers,
// with the CPU test and the environment switches of compute v0.1.3
// (internal/gobackend/dot/matmul: AVX-512 before AVX2).
func goKernels() string {
	on := func(env string) bool {
		v, err := envutil.ReadBool(env, true)
		return err != nil || v
	}
	switch {
	case !on("GOMLX_DOT_MATMUL"):
		return "simd build, matmul kernels off"
	case archsimd.X86.AVX512() && on(envutil.SIMD_AVX512_Env):
		return "simd/avx512"
	case archsimd.X86.AVX2() && on(envutil.SIMD_AVX2_Env):
		return "simd/avx2"
	}
	return "simd build, no avx2 on this cpu"
}
