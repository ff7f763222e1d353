//go:build xla

package main

import (
	"fmt"
	"os"
	"path/filepath"
	"strings"

	"github.com/gomlx/go-xla/pjrt"
)

// verify checks that go-xla's own plugin search (pjrt.AvailablePlugins: the
// directories in $PJRT_PLUGIN_LIBRARY_PATH, else its default list) finds the
// plugin called name ("cpu" also matches "cpu_v0.114.0") under dir.
func verify(name, dir string) error {
	plugins := pjrt.AvailablePlugins()
	for n, p := range plugins {
		if (n == name || strings.HasPrefix(n, name+"_")) && strings.HasPrefix(p, dir+string(filepath.Separator)) {
			fmt.Printf("pjrt-install: go-xla finds the %q plugin at %s\n", n, p)
			return nil
		}
	}
	if name == "cuda" {
		// Loading the CUDA plugin may need NVIDIA's driver, absent from an image
		// build: only warn.
		fmt.Fprintf(os.Stderr, "pjrt-install: warning: go-xla does not (yet) load the cuda plugin under %s; plugins found: %v\n", dir, plugins)
		return nil
	}
	return fmt.Errorf("go-xla does not find the %s plugin installed under %s (plugins found: %v): "+
		"install it into a directory go-xla searches (see -lib) or set PJRT_PLUGIN_LIBRARY_PATH", name, dir, plugins)
}
