//go:build !xla

package main

import (
	"fmt"
	"os"
	"path/filepath"
	"strings"
)

// verify, without XLA linked (no -tags xla), checks only that a plugin file is
// where it was installed (dir, or dir/nvidia for CUDA).
func verify(name, dir string) error {
	if name == "cuda" {
		dir = filepath.Join(dir, "nvidia")
	}
	entries, err := os.ReadDir(dir)
	if err != nil {
		return err
	}
	for _, e := range entries {
		if !e.IsDir() && strings.HasPrefix(e.Name(), "pjrt_c_api_"+name) {
			return nil
		}
	}
	return fmt.Errorf("no %s PJRT plugin file in %s after installing", name, dir)
}
