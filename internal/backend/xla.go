//go:build xla

package backend

import (
	"bufio"
	"fmt"
	"os"
	"path/filepath"
	"strings"

	"github.com/gomlx/compute"
	"github.com/gomlx/go-xla/compute/xla" // XLA/PJRT, with cgo.
	"github.com/gomlx/go-xla/pjrt"
)

// XLALinked reports whether this binary can use XLA (built with -tags xla).
const XLALinked = true

func init() {
	// Never download a plugin at run time: go-xla's init reads
	// GOMLX_NO_AUTO_INSTALL before regnb could set it, so switch it off here.
	xla.EnableAutoInstall(false)
}

// newXLA creates an XLA backend for a plugin name or path (with go-xla's
// options after a comma); a plugin that cannot be used is a Fallback.
func newXLA(plugin string) (compute.Backend, Selection, error) {
	plugin, xlaOpts, _ := strings.Cut(plugin, ",") // e.g. xla:cuda,preallocate=false
	if plugin == "" {
		plugin = "cpu"
	}
	if plugin == "cuda" {
		path, err := FindCUDAPlugin()
		if err != nil {
			return nil, Selection{Fallback: err.Error()}, nil
		}
		plugin = path
	}
	info, err := pluginInfo(plugin)
	if err != nil {
		return nil, Selection{Fallback: err.Error()}, nil
	}
	if err := info.check(); err != nil {
		return nil, Selection{Fallback: err.Error()}, nil
	}
	config := "xla:" + plugin
	if xlaOpts != "" {
		config += "," + xlaOpts
	}
	b, err := compute.NewWithConfig(config)
	if err != nil {
		return nil, Selection{Fallback: fmt.Sprintf("the XLA PJRT plugin %s could not be used (%s)", info.path, firstLine(err))}, nil
	}
	return b, Selection{Config: config, Kernels: "xla:" + plugin + " (" + info.String() + ")"}, nil
}

// pluginInfo loads the PJRT plugin named (e.g. "cpu": pjrt_c_api_cpu_plugin.so
// where go-xla looks) or at an absolute path, and reads its versions.
func pluginInfo(plugin string) (Plugin, error) {
	if filepath.IsAbs(plugin) {
		if _, err := os.Stat(plugin); err != nil {
			return Plugin{}, fmt.Errorf("no PJRT plugin at %s", plugin)
		}
	} else if _, found := pjrt.AvailablePlugins()[plugin]; !found {
		if plugin == "cpu" {
			return Plugin{}, fmt.Errorf("no XLA CPU plugin (pjrt_c_api_cpu_plugin.so) in ~/.local/lib/go-xla, /usr/local/lib/go-xla or $PJRT_PLUGIN_LIBRARY_PATH: %s", InstallHint)
		}
		return Plugin{}, fmt.Errorf("no XLA PJRT plugin %q (pjrt_c_api_%s_plugin.so) where go-xla looks", plugin, plugin)
	}
	p, err := pjrt.GetPlugin(plugin)
	if err != nil {
		return Plugin{}, fmt.Errorf("the XLA PJRT plugin %q could not be loaded (%s)", plugin, firstLine(err))
	}
	info := Plugin{path: p.Path()}
	info.Major, info.Minor = p.Version()
	info.Package, info.Version = wheelOf(p.Path())
	return info, nil
}

// wheelOf returns the Python distribution and version that installed the
// plugin at path, when it is (or links to) a file inside site-packages
// (PKG/plugin.so next to PKG-VERSION.dist-info); else "", "".
func wheelOf(path string) (name, version string) {
	real, err := filepath.EvalSymlinks(path)
	if err != nil {
		return "", ""
	}
	pkgDir := filepath.Dir(real)
	matches, _ := filepath.Glob(filepath.Join(filepath.Dir(pkgDir), filepath.Base(pkgDir)+"-*.dist-info", "METADATA"))
	if len(matches) != 1 {
		return "", ""
	}
	f, err := os.Open(matches[0])
	if err != nil {
		return "", ""
	}
	defer f.Close()
	sc := bufio.NewScanner(f)
	for sc.Scan() && sc.Text() != "" { // The headers end at the first empty line.
		if v, ok := strings.CutPrefix(sc.Text(), "Name: "); ok {
			name = v
		} else if v, ok := strings.CutPrefix(sc.Text(), "Version: "); ok {
			version = v
		}
	}
	return name, version
}
