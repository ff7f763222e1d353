package regnb

import (
	"fmt"
	"time"

	"github.com/janpfeifer/gonb/gonbui"
)

// htmlProgress updates an HTML <progress> element in the notebook cell (at
// most 4 times a second), with the speed, the time left and the latest loss,
// while a run trains; it is removed when the run ends.
type htmlProgress struct {
	id         string
	total      int
	start, due time.Time
}

func (p *htmlProgress) Start(total int) {
	p.total, p.start, p.due = total, time.Now(), time.Time{}
	p.id = "regnb-progress-" + gonbui.UniqueID()
	gonbui.UpdateHTML(p.id, p.html(0, 0))
}

func (p *htmlProgress) Update(step int, loss float64) {
	now := time.Now()
	if step < p.total && now.Before(p.due) {
		return
	}
	p.due = now.Add(250 * time.Millisecond)
	gonbui.UpdateHTML(p.id, p.html(step, loss))
}

// Finish removes the bar: the log lines and the summary stay, and a saved
// notebook keeps no speed or time left of the machine that ran it.
func (p *htmlProgress) Finish() { gonbui.UpdateHTML(p.id, "") }

func (p *htmlProgress) html(step int, loss float64) string {
	perSec := float64(step) / max(time.Since(p.start).Seconds(), 1e-9)
	eta := time.Duration(float64(p.total-step) / max(perSec, 1e-9) * float64(time.Second))
	return fmt.Sprintf(`<div><progress value="%d" max="%d" style="width:30em"></progress> <code>%d/%d steps · %.0f steps/s · loss %.4g · ETA %s</code></div>`,
		step, p.total, step, p.total, perSec, loss, eta.Round(time.Second))
}
