package main

import (
	"bytes"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/regnb/regnb/internal/rundir"
)

// TestMain lets a test run this binary as the regnb command itself
// (REGNB_TEST_CLI=1), as a second process.
func TestMain(m *testing.M) {
	if os.Getenv("REGNB_TEST_CLI") == "1" {
		os.Exit(execute(os.Args[1:], os.Stdout, os.Stderr))
	}
	os.Exit(m.Run())
}

// regnbProcess starts the regnb command as a process of its own.
func regnbProcess(t *testing.T, args ...string) (*exec.Cmd, *bytes.Buffer) {
	t.Helper()
	cmd := exec.Command(os.Args[0], args...)
	cmd.Env = append(os.Environ(), "REGNB_TEST_CLI=1")
	var out bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &out
	require.NoError(t, cmd.Start())
	return cmd, &out
}

// Two processes on one -out never both succeed: the second is refused at
// once, naming the first's PID, and the first's run is whole.
func TestTwoRunsOnOneOutDir(t *testing.T) {
	out := filepath.Join(t.TempDir(), "R")
	first, firstOut := regnbProcess(t, "train", "-example", "l1", "-l1", "1e-4", "-max-steps", "3000", "-log-every", "500",
		"-test-limit", "200", "-out", out)
	lock := filepath.Join(out, rundir.LockFile)
	for deadline := time.Now().Add(2 * time.Minute); ; time.Sleep(10 * time.Millisecond) {
		if pid, err := os.ReadFile(lock); err == nil && strings.TrimSpace(string(pid)) == fmt.Sprint(first.Process.Pid) {
			break
		}
		require.True(t, time.Now().Before(deadline), "the first run never took %s: %s", out, firstOut)
	}
	second, secondOut := regnbProcess(t, "train", "-example", "l2", "-max-steps", "1500", "-out", out)
	err := second.Wait()
	var exit *exec.ExitError
	require.ErrorAs(t, err, &exit, "%s", secondOut)
	assert.Equal(t, 1, exit.ExitCode())
	assert.Equal(t, fmt.Sprintf("regnb: output directory %s is in use by another regnb run (process %d): wait for it to end, or choose another -out\n",
		out, first.Process.Pid), secondOut.String())
	require.NoError(t, first.Wait(), "%s", firstOut)
	assert.Contains(t, firstOut.String(), "Wrote the history, plots and checkpoint to "+out)
	raw, err := os.ReadFile(filepath.Join(out, "history.json"))
	require.NoError(t, err)
	assert.Contains(t, string(raw), `"example": "l1"`)
	assert.NotContains(t, string(raw), `"example": "l2"`)
}
