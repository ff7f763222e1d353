//go:build xla

package regnb

import _ "github.com/gomlx/gomlx/backends/xla" // XLA/PJRT, with cgo.

func init() { xlaLinked = true }
