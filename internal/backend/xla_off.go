//go:build !xla

package backend

import (
	"errors"

	"github.com/gomlx/compute"
)

// XLALinked reports whether this binary can use XLA (built with -tags xla).
const XLALinked = false

func newXLA(string) (compute.Backend, Selection, error) {
	return nil, Selection{Fallback: "XLA is not built into this program (build it with CGO_ENABLED=1 go build -tags xla)"}, nil
}

func pluginInfo(string) (Plugin, error) {
	return Plugin{}, errors.New("XLA is not built into this program (build it with CGO_ENABLED=1 go build -tags xla)")
}
