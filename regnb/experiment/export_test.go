package experiment

// SetAfterCheckpointHook makes f run between writing a checkpoint and the
// history that names it, until the returned function restores the default.
func SetAfterCheckpointHook(f func(step int)) (restore func()) {
	old := afterCheckpointHook
	afterCheckpointHook = f
	return func() { afterCheckpointHook = old }
}
