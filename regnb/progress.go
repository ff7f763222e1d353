package regnb

import (
	"fmt"
	"io"
	"os"
	"strings"
	"time"

	"github.com/janpfeifer/gonb/gonbui"
	"github.com/mattn/go-isatty"
)

// Progress receives a run's progress.
type Progress interface {
	Start(totalSteps int)
	Update(step int, loss float64)
	Finish()
}

// InNotebook reports whether the program runs inside a GoNB notebook cell.
// It is the one place where regnb decides between notebook and terminal.
func InNotebook() bool { return gonbui.IsNotebook }

// AutoProgress returns a live HTML progress bar in a GoNB notebook, a bar on
// stderr when stderr is a terminal (the log lines stay on stdout), and
// nothing otherwise.
func AutoProgress() Progress {
	switch {
	case InNotebook():
		return &htmlProgress{}
	case isatty.IsTerminal(os.Stderr.Fd()):
		return &textProgress{w: os.Stderr}
	}
	return NoProgress{}
}

// NoProgress reports nothing.
type NoProgress struct{}

func (NoProgress) Start(int)           {}
func (NoProgress) Update(int, float64) {}
func (NoProgress) Finish()             {}

// rate limits updates and computes speed and ETA.
type rate struct {
	total      int
	start, due time.Time
}

func (r *rate) begin(total int) { r.total, r.start, r.due = total, time.Now(), time.Time{} }

// ready reports whether an update is due (at most 4 a second, and the last).
func (r *rate) ready(step int) bool {
	now := time.Now()
	if step < r.total && now.Before(r.due) {
		return false
	}
	r.due = now.Add(250 * time.Millisecond)
	return true
}

func (r *rate) status(step int, loss float64) string {
	elapsed := time.Since(r.start)
	perSec := float64(step) / max(elapsed.Seconds(), 1e-9)
	eta := time.Duration(float64(r.total-step) / max(perSec, 1e-9) * float64(time.Second))
	return fmt.Sprintf("%d/%d steps · %.0f steps/s · loss %.4g · ETA %s", step, r.total, perSec, loss, eta.Round(time.Second))
}

// textProgress draws a one-line bar with carriage returns.
type textProgress struct {
	w io.Writer
	rate
	drawn bool
}

func (p *textProgress) Start(total int) { p.begin(total) }

func (p *textProgress) Update(step int, loss float64) {
	if !p.ready(step) {
		return
	}
	const width = 30
	done := width * step / max(p.total, 1)
	fmt.Fprintf(p.w, "\r[%s%s] %s ", strings.Repeat("=", done), strings.Repeat(" ", width-done), p.status(step, loss))
	p.drawn = true
}

func (p *textProgress) Finish() {
	if p.drawn {
		fmt.Fprintln(p.w)
	}
}

// htmlProgress updates an HTML <progress> element in the notebook cell; its
// last state is kept when the notebook is saved.
type htmlProgress struct {
	rate
	id string
}

func (p *htmlProgress) Start(total int) {
	p.begin(total)
	p.id = "regnb-progress-" + gonbui.UniqueID()
	gonbui.UpdateHTML(p.id, p.html(0, 0))
}

func (p *htmlProgress) html(step int, loss float64) string {
	return fmt.Sprintf(`<div><progress value="%d" max="%d" style="width:30em"></progress> <code>%s</code></div>`,
		step, p.total, p.status(step, loss))
}

func (p *htmlProgress) Update(step int, loss float64) {
	if p.ready(step) {
		gonbui.UpdateHTML(p.id, p.html(step, loss))
	}
}

func (p *htmlProgress) Finish() {}
