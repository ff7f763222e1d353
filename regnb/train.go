package regnb

import (
	"context"
	"fmt"
	"os"

	"github.com/gomlx/compute"

	"github.com/regnb/regnb/internal/backend"
	"github.com/regnb/regnb/regnb/plots"
	"github.com/regnb/regnb/regnb/run"
)

// Train runs cfg as run.Train does — the tutorial's log lines, a
// History, and history, checkpoint and plots in cfg.OutDir — with a live
// progress bar in the notebook cell (on a terminal, on its stderr).
//
// In quick mode (ForNotebook) it says so first, so that the output of a
// quick run is never taken for the tutorial's.
func Train(ctx context.Context, cfg Config, opts ...Option) (*History, error) {
	if QuickMode() {
		fmt.Printf("(quick mode: this run stops after %d mini-batches)\n", cfg.MaxSteps)
	}
	defaults := []Option{run.WithProgress(autoProgress()), run.WithOutputs(plots.WriteRun)}
	return run.Train(ctx, cfg, append(defaults, opts...)...)
}

// NewBackend returns the GoMLX backend for config ("": $GOMLX_BACKEND, else
// the pure-Go backend; "xla:cpu", "xla:cuda", …; see backend.New). When XLA
// is asked for but cannot be used, it says why on stderr and returns the
// pure-Go backend.
func NewBackend(config string) (compute.Backend, error) {
	b, sel, err := backend.New(config)
	if notice := sel.Notice(); notice != "" {
		fmt.Fprintln(os.Stderr, "regnb: "+notice)
	}
	return b, err
}

// autoProgress is the HTML bar in a notebook shown in a browser, nothing
// in one executed headless (REGNB_HEADLESS=1: nobody watches, and the saved
// outputs stay free of it), else run.AutoProgress.
func autoProgress() run.Progress {
	if InNotebook() {
		if os.Getenv(HeadlessEnv) == "1" {
			return run.NoProgress{}
		}
		return &htmlProgress{}
	}
	return run.AutoProgress()
}
