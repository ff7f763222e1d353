//go:build unix

package run

import (
	"runtime"
	"syscall"
)

// peakRSSMB returns the process's peak resident set size in MiB.
func peakRSSMB() float64 {
	var u syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &u); err != nil {
		return 0
	}
	if runtime.GOOS == "darwin" || runtime.GOOS == "ios" {
		return float64(u.Maxrss) / (1 << 20) // Bytes there, KiB elsewhere.
	}
	return float64(u.Maxrss) / (1 << 10)
}
