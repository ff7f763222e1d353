//go:build !unix

package run

// peakRSSMB is 0 where getrusage is not available.
func peakRSSMB() float64 { return 0 }
