//go:build !linux

package rundir

// exchange swaps the directories a and b, in three renames: for a moment
// the name b is absent, never mixed.
func exchange(a, b string) error { return exchangeByRenames(a, b) }
