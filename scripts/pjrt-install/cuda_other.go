//go:build !((linux && amd64) || pjrt_all)

package main

import (
	"fmt"
	"runtime"
)

// installCUDA: go-xla's CUDA installer exists for linux/amd64 only.
func installCUDA(plugin, version, dir string) error {
	return fmt.Errorf("the %s plugin is for linux/amd64 only, not %s/%s", plugin, runtime.GOOS, runtime.GOARCH)
}
