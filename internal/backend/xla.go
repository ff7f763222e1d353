//go:build xla

package backend

import "github.com/gomlx/go-xla/compute/xla" // XLA/PJRT, with cgo.

func init() {
	xlaLinked = true
	// Never download a plugin at run time: the variable GOMLX_NO_AUTO_INSTALL
	// is read by go-xla's init (compute/xla), before regnb could set it.
	xla.EnableAutoInstall(false)
}
