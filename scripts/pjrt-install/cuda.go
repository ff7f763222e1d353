//go:build (linux && amd64) || pjrt_all

package main

import "github.com/gomlx/go-xla/installer"

// installCUDA installs JAX's CUDA PJRT plugin (plugin "cuda13" or "cuda12";
// version "" for the latest) and NVIDIA's libraries into dir/nvidia.
// Not installer.CudaAutoInstall: it installs nothing where it sees no GPU, as
// in an image build.
func installCUDA(plugin, version, dir string) error {
	if version == "" {
		version = "latest"
	}
	return installer.CudaInstall(plugin, version, dir, true, installer.Normal)
}
