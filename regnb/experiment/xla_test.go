//go:build xla

package experiment_test

import (
	"testing"

	"github.com/gomlx/compute"
	"github.com/gomlx/go-xla/compute/xla"
)

func init() { xla.EnableAutoInstall(false) } // Never download a plugin.

// xlaCPU returns XLA's CPU backend, or skips the test when its PJRT plugin
// is not installed.
func xlaCPU(t *testing.T) compute.Backend {
	b, err := compute.NewWithConfig("xla:cpu")
	if err != nil {
		t.Skipf("XLA's CPU PJRT plugin is not installed (scripts/setup.sh installs it): %v", err)
	}
	return b
}
