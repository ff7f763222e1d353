// Command pjrt-install installs GoMLX's XLA PJRT plugin at build time (the
// workshop image runs it), so that nothing is downloaded at run time.
//
//	go run ./scripts/pjrt-install -variant cpu     # or cuda (cuda13), cuda12
//
// It uses go-xla's installer (github.com/gomlx/go-xla/installer, go-xla
// v0.4.1) and its layout: the plugin goes into the "go-xla" subdirectory of a
// library directory (-lib, default installer.DefaultHomeLibPath(), that is
// ~/.local/lib on Linux), the same place installer.AutoInstall uses and where
// go-xla's pjrt package looks for plugins (~/.local/lib/go-xla, its nvidia/
// subdirectory for CUDA, /usr/local/lib/go-xla, …). The CUDA plugin and
// NVIDIA's libraries go into go-xla/nvidia.
//
// Built with -tags xla (as in the workshop image, which sets GOFLAGS=-tags=xla),
// it then asks go-xla (pjrt.AvailablePlugins, cgo) whether it finds the plugin
// there, and fails if it does not: a plugin installed where go-xla does not
// look is no plugin at all.
//
// It needs network access (GitHub for the CPU plugin, PyPI for CUDA), which
// the image build has.
package main

import (
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"runtime"

	"github.com/gomlx/go-xla/installer"
)

// goxlaSubdir is the subdirectory of a library directory that holds go-xla's
// plugins: installer.AutoInstall(installPath, …) installs into
// installPath/go-xla, and the pjrt package searches ~/.local/lib/go-xla and
// /usr/local/lib/go-xla (and their nvidia/ subdirectories).
const goxlaSubdir = "go-xla"

func main() {
	variant := flag.String("variant", "cpu", `plugin to install: "cpu", "cuda" (CUDA 13) or "cuda12"`)
	lib := flag.String("lib", "", `library directory; the plugin goes into its "go-xla" subdirectory (default ~/.local/lib on Linux, as go-xla's AutoInstall)`)
	version := flag.String("version", "", `plugin version (default: for cpu the version go-xla was tested with, for cuda JAX's latest)`)
	flag.Parse()

	dir, err := installDir(*lib)
	if err != nil {
		fail(err)
	}

	var name string // The plugin's name for go-xla.
	switch *variant {
	case "cpu":
		name = "cpu"
		if *version == "" {
			err = installer.CPUAutoInstall(dir, true, installer.Normal)
		} else {
			err = installer.CPUInstall(runtime.GOOS+"_"+runtime.GOARCH, *version, dir, true, installer.Normal)
		}
	case "cuda", "cuda13", "cuda12":
		name = "cuda"
		plugin := *variant
		if plugin == "cuda" {
			plugin = "cuda13"
		}
		err = installCUDA(plugin, *version, dir)
	default:
		err = fmt.Errorf("unknown -variant %q: want cpu, cuda, cuda13 or cuda12", *variant)
	}
	if err != nil {
		fail(err)
	}
	if err := verify(name, dir); err != nil {
		fail(err)
	}
	fmt.Printf("pjrt-install: %s plugin installed under %s\n", *variant, dir)
}

// installDir returns the absolute directory the plugins go into: the go-xla
// subdirectory of libDir, default installer.DefaultHomeLibPath().
func installDir(libDir string) (string, error) {
	var err error
	if libDir == "" {
		if libDir, err = installer.DefaultHomeLibPath(); err != nil {
			return "", err
		}
	}
	if libDir, err = installer.ReplaceTildeInDir(libDir); err != nil {
		return "", err
	}
	if libDir, err = filepath.Abs(libDir); err != nil {
		return "", err
	}
	return filepath.Join(libDir, goxlaSubdir), nil
}

func fail(err error) {
	fmt.Fprintf(os.Stderr, "pjrt-install: %v\n", err)
	os.Exit(1)
}
