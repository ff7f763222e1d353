// Command pjrt-install installs GoMLX's XLA PJRT plugin at build time (the
// workshop image runs it), so that nothing is downloaded at run time.
//
//	go run ./scripts/pjrt-install -variant cpu     # or cuda
//
// The plugin goes where GoMLX's XLA backend looks for it (~/.local/lib on
// Linux, or -path). It needs network access, which the image build has.
package main

import (
	"flag"
	"fmt"
	"os"

	"github.com/gomlx/go-xla/pkg/installer"
)

func main() {
	variant := flag.String("variant", "cpu", `plugin to install: "cpu" or "cuda"`)
	path := flag.String("path", "", "installation directory (default ~/.local/lib on Linux)")
	flag.Parse()
	dir := *path
	if dir == "" {
		var err error
		if dir, err = installer.DefaultHomeLibPath(); err != nil {
			fail(err)
		}
	}
	var err error
	switch *variant {
	case "cpu":
		err = installer.CPUAutoInstall(dir, true, installer.Normal)
	case "cuda":
		err = installer.CudaAutoInstall(dir, true, installer.Normal)
	default:
		err = fmt.Errorf("unknown -variant %q: want cpu or cuda", *variant)
	}
	if err != nil {
		fail(err)
	}
	fmt.Printf("pjrt-install: %s plugin installed under %s\n", *variant, dir)
}

func fail(err error) {
	fmt.Fprintf(os.Stderr, "pjrt-install: %v\n", err)
	os.Exit(1)
}
