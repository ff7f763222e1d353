package regnb

import (
	"errors"
	"fmt"
	"html"
	"os"
	"path/filepath"
	"strings"

	"github.com/janpfeifer/gonb/gonbui"
	"gonum.org/v1/plot"

	"github.com/regnb/regnb/regnb/history"
	"github.com/regnb/regnb/regnb/plots"
	"github.com/regnb/regnb/regnb/run"
)

// InNotebook reports whether the program runs inside a GoNB notebook cell.
// It is the one place where regnb decides between notebook and terminal.
func InNotebook() bool { return gonbui.IsNotebook }

// QuickEnv names the environment variable that selects the notebooks' quick
// mode: REGNB_QUICK=1 runs every cell with a few hundred steps instead of the
// tutorial's 5 epochs (tests and CI use it).
const QuickEnv = "REGNB_QUICK"

// Quick settings.
const (
	QuickSteps     = 300
	QuickLogEvery  = 100
	QuickTestLimit = 2000
)

// QuickMode reports whether REGNB_QUICK is set to a non-empty value other than 0.
func QuickMode() bool {
	v := os.Getenv(QuickEnv)
	return v != "" && v != "0"
}

// ForNotebook returns cfg as a notebook should run it: unchanged normally,
// shortened to QuickSteps mini-batches (logging every QuickLogEvery, testing
// on QuickTestLimit images) in quick mode.
func ForNotebook(cfg Config) Config {
	if QuickMode() {
		cfg.MaxSteps = QuickSteps
		cfg.LogEvery = QuickLogEvery
		cfg.TestLimit = QuickTestLimit
	}
	return cfg
}

// RunsEnv names the environment variable that moves the notebooks' runs:
// RunDir(name) is $REGNB_RUNS/<name> when it is set (scripts/run-notebooks.sh
// sets it to OUTDIR/runs, so that two executions never share run directories).
const RunsEnv = "REGNB_RUNS"

// RunDir returns the directory for a notebook's run named name: runs/<name>
// next to the notebook ($GONB_DIR), or under the current directory, or
// $REGNB_RUNS/<name>.
func RunDir(name string) string {
	if dir := os.Getenv(RunsEnv); dir != "" {
		return filepath.Join(dir, name)
	}
	base := os.Getenv("GONB_DIR")
	if base == "" {
		base = "."
	}
	return filepath.Join(base, "runs", name)
}

// FullOrQuick returns full, or quick in quick mode (QuickMode): a cell's
// own count of steps, shortened for tests as ForNotebook shortens a run.
func FullOrQuick(full, quick int) int {
	if QuickMode() {
		return quick
	}
	return full
}

// Shown is how a notebook's output names the run directory dir: from the
// notebook's folder ("runs/small") when dir is under RunDir's root, so that a
// saved notebook holds no path of the machine that ran it; dir otherwise.
func Shown(dir string) string {
	rel, err := filepath.Rel(RunDir(""), dir)
	if err != nil || rel == ".." || strings.HasPrefix(rel, ".."+string(filepath.Separator)) {
		return dir
	}
	return filepath.ToSlash(filepath.Join("runs", rel))
}

// Check ends the program with a one-line message, and no stack trace, if err
// is not nil: in a notebook the message is shown in a red box. Use it for the
// errors of a notebook cell.
func Check(err error) {
	if err == nil {
		return
	}
	msg := err.Error()
	var d *run.DivergedError
	if errors.As(err, &d) {
		msg = "regnb: " + msg
	}
	if InNotebook() {
		gonbui.DisplayHTML(`<pre style="color:#b00;background:#fee;padding:0.5em">` + html.EscapeString(msg) + `</pre>`)
		gonbui.Sync()
	}
	fmt.Fprintln(os.Stderr, msg)
	os.Exit(1)
}

// Show displays plots inline in a GoNB notebook, as SVG in HTML (which
// survives saving and HTML export). Outside a notebook it does nothing; use
// plots.Save there.
func Show(figures ...*plot.Plot) {
	if !InNotebook() {
		return
	}
	for _, p := range figures {
		svg, err := plots.SVG(p)
		Check(err)
		gonbui.DisplayHTML(`<div class="regnb-plot">` + string(svg) + `</div>`)
	}
	// GoNB does not wait for pending display output when a cell's program
	// ends: without this, a plot shown last in a cell can be lost.
	gonbui.Sync()
}

// MustLoad reads the history of the notebook's run named name (RunDir); a
// missing or unreadable history stops the cell.
func MustLoad(name string) *History {
	h, err := history.Load(RunDir(name))
	Check(err)
	return h
}
