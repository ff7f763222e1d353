package rundir_test

import (
	"os"
	"path/filepath"
	"strconv"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/regnb/regnb/internal/rundir"
)

func write(t *testing.T, path, content string) {
	t.Helper()
	require.NoError(t, os.MkdirAll(filepath.Dir(path), 0o755))
	require.NoError(t, os.WriteFile(path, []byte(content), 0o644))
}

func read(t *testing.T, path string) string {
	t.Helper()
	b, err := os.ReadFile(path)
	require.NoError(t, err)
	return string(b)
}

func names(t *testing.T, dir string) []string {
	t.Helper()
	entries, err := os.ReadDir(dir)
	require.NoError(t, err)
	var out []string
	for _, e := range entries {
		out = append(out, e.Name())
	}
	return out
}

func TestNewDirectoryIsWrittenInPlace(t *testing.T) {
	name := filepath.Join(t.TempDir(), "a", "run")
	d, err := rundir.Open(name, rundir.Replace)
	require.NoError(t, err)
	defer d.Close()
	assert.Equal(t, name, d.Path)
	assert.FileExists(t, filepath.Join(name, rundir.MarkerFile))
	assert.Equal(t, strconv.Itoa(os.Getpid())+"\n", read(t, filepath.Join(name, rundir.LockFile)))
	require.NoError(t, d.Commit())
}

// A second owner is refused at once, naming the first's PID; once the first
// closes, the directory can be taken.
func TestOneOwner(t *testing.T) {
	name := t.TempDir()
	d, err := rundir.Open(name, rundir.Replace)
	require.NoError(t, err)
	_, err = rundir.Open(name, rundir.Replace)
	assert.EqualError(t, err, "output directory "+name+" is in use by another regnb run (process "+strconv.Itoa(os.Getpid())+
		"): wait for it to end, or choose another -out")
	d.Close()
	d, err = rundir.Open(name, rundir.Continue)
	require.NoError(t, err)
	d.Close()
}

// A directory with files regnb did not write is refused, and nothing in it
// is touched.
func TestForeignDirectoryRefused(t *testing.T) {
	name := t.TempDir()
	write(t, filepath.Join(name, "checkpoint", "important.txt"), "x")
	_, err := rundir.Open(name, rundir.Replace)
	assert.EqualError(t, err, "output directory "+name+" holds files regnb did not write (checkpoint/): choose another -out, or empty it")
	assert.Equal(t, "x", read(t, filepath.Join(name, "checkpoint", "important.txt")))
	_, err = rundir.Open(name, rundir.Continue)
	assert.Error(t, err)
}

// A new run beside an old one takes the name only at Commit; until then,
// and after Discard, the name holds the old run whole.
func TestReplaceTakesTheNameWhole(t *testing.T) {
	name := t.TempDir()
	old, err := rundir.Open(name, rundir.Replace)
	require.NoError(t, err)
	write(t, filepath.Join(name, "history.json"), "old")
	write(t, filepath.Join(name, "loss.png"), "old")
	write(t, filepath.Join(name, "checkpoint", "checkpoint-1.bin"), "old")
	require.NoError(t, old.UpdateMarker())
	old.Close()

	d, err := rundir.Open(name, rundir.Replace)
	require.NoError(t, err)
	assert.NotEqual(t, name, d.Path)
	assert.Equal(t, filepath.Dir(name), filepath.Dir(d.Path), "a sibling")
	write(t, filepath.Join(d.Path, "history.json"), "new")
	assert.Equal(t, "old", read(t, filepath.Join(name, "history.json")))
	assert.Equal(t, "old", read(t, filepath.Join(name, "loss.png")))
	require.NoError(t, d.Discard())
	d.Close()
	assert.Equal(t, "old", read(t, filepath.Join(name, "history.json")), "a run with nothing to show leaves the old one")

	d, err = rundir.Open(name, rundir.Replace)
	require.NoError(t, err)
	sibling := d.Path
	write(t, filepath.Join(d.Path, "history.json"), "new")
	require.NoError(t, d.Commit())
	d.Close()
	assert.Equal(t, name, d.Path)
	assert.Equal(t, "new", read(t, filepath.Join(name, "history.json")))
	assert.ElementsMatch(t, []string{"history.json", rundir.MarkerFile, rundir.LockFile}, names(t, name), "none of the old run's files")
	assert.NoDirExists(t, sibling)
	assert.Len(t, names(t, filepath.Dir(name)), 1, "nothing left beside it")
}

// A file a user added to a run directory is never deleted: replacing the
// run is refused, naming it.
func TestUserFileInARunIsKept(t *testing.T) {
	name := t.TempDir()
	d, err := rundir.Open(name, rundir.Replace)
	require.NoError(t, err)
	write(t, filepath.Join(name, "history.json"), "old")
	require.NoError(t, d.UpdateMarker())
	d.Close()
	write(t, filepath.Join(name, "notes.txt"), "mine")
	write(t, filepath.Join(name, "mine.png"), "mine")
	_, err = rundir.Open(name, rundir.Replace)
	assert.EqualError(t, err, "output directory "+name+" holds a regnb run and files regnb did not write (mine.png, notes.txt): move them, or choose another -out")
	assert.Equal(t, "mine", read(t, filepath.Join(name, "notes.txt")))
}

// A run written before markers (a history.json with a config) is a run;
// the siblings and temporary files of killed processes are cleared.
func TestLegacyRunAndLeftovers(t *testing.T) {
	parent := t.TempDir()
	name := filepath.Join(parent, "run")
	write(t, filepath.Join(name, "history.json"), `{"config": {"l1": 1}, "steps_done": 3}`)
	write(t, filepath.Join(name, "loss.svg"), "old")
	write(t, filepath.Join(name, ".history.json.12345"), "half")
	stale := filepath.Join(parent, ".run.regnb-new-999")
	write(t, filepath.Join(stale, "history.json"), "killed")
	d, err := rundir.Open(name, rundir.Continue)
	require.NoError(t, err)
	assert.Equal(t, name, d.Path)
	assert.NoFileExists(t, filepath.Join(name, ".history.json.12345"))
	d.Close()
	d, err = rundir.Open(name, rundir.Replace)
	require.NoError(t, err)
	assert.NoDirExists(t, stale)
	require.NoError(t, d.Commit())
	d.Close()
	assert.NoFileExists(t, filepath.Join(name, "loss.svg"))
}
