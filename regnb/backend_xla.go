//go:build xla

package regnb

import "github.com/gomlx/gomlx/backends/xla" // XLA/PJRT, with cgo.

func init() {
	xlaLinked = true
	// Never download a plugin at run time: the variable GOMLX_NO_AUTO_INSTALL
	// is read by GoMLX's init, before regnb could set it.
	xla.EnableAutoInstall(false)
}
