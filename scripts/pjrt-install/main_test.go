package main

import (
	"path/filepath"
	"runtime"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// The plugin must go where go-xla looks (~/.local/lib/go-xla on Linux, as
// installer.AutoInstall), not into ~/.local/lib itself as this tool did with
// go-xla v0.1.4.
func TestInstallDirIsWhereGoXLALooks(t *testing.T) {
	if runtime.GOOS != "linux" {
		t.Skip("the default directory is checked on Linux")
	}
	home := t.TempDir()
	t.Setenv("HOME", home)
	dir, err := installDir("")
	require.NoError(t, err)
	assert.Equal(t, filepath.Join(home, ".local", "lib", "go-xla"), dir)

	dir, err = installDir("/usr/local/lib")
	require.NoError(t, err)
	assert.Equal(t, "/usr/local/lib/go-xla", dir)
}
