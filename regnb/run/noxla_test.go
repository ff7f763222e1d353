//go:build !xla

package run_test

import (
	"testing"

	"github.com/gomlx/compute"
)

// xlaCPU skips the test: XLA is built in only with -tags xla (and cgo).
func xlaCPU(t *testing.T) compute.Backend {
	t.Skip("XLA is not built into this test (go test -tags xla)")
	return nil
}
