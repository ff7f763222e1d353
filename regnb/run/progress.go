package run

import (
	"fmt"
	"io"
	"os"
	"time"

	"github.com/mattn/go-isatty"
	"github.com/schollz/progressbar/v3"
)

// Progress receives a run's progress.
type Progress interface {
	Start(totalSteps int)
	Update(step int, loss float64)
	Finish()
}

// AutoProgress returns a TerminalProgress on stderr when stderr is a terminal
// (the log lines stay on stdout), and NoProgress otherwise. (Package regnb
// shows a bar of its own in a notebook.)
func AutoProgress() Progress {
	if isatty.IsTerminal(os.Stderr.Fd()) {
		return TerminalProgress(os.Stderr)
	}
	return NoProgress{}
}

// NoProgress reports nothing.
type NoProgress struct{}

func (NoProgress) Start(int)           {}
func (NoProgress) Update(int, float64) {}
func (NoProgress) Finish()             {}

// TerminalProgress draws a one-line progress bar on w, with the speed, the
// time left and the latest loss (github.com/schollz/progressbar).
func TerminalProgress(w io.Writer) Progress { return &terminalBar{w: w} }

type terminalBar struct {
	w   io.Writer
	bar *progressbar.ProgressBar
}

func (t *terminalBar) Start(total int) {
	t.bar = progressbar.NewOptions(total,
		progressbar.OptionSetWriter(t.w),
		progressbar.OptionSetWidth(30),
		progressbar.OptionShowCount(),
		progressbar.OptionShowIts(),
		progressbar.OptionSetItsString("steps"),
		progressbar.OptionSetPredictTime(true),
		progressbar.OptionShowDescriptionAtLineEnd(),
		progressbar.OptionThrottle(250*time.Millisecond),
	)
}

func (t *terminalBar) Update(step int, loss float64) {
	t.bar.Describe(fmt.Sprintf("loss %.4g", loss))
	_ = t.bar.Set(step)
}

func (t *terminalBar) Finish() {
	_ = t.bar.Exit()
	fmt.Fprintln(t.w)
}
