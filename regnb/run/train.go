package run

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"strings"

	"github.com/gomlx/compute"
	"github.com/gomlx/gomlx/ml/model"

	"github.com/regnb/regnb/internal/backend"
	"github.com/regnb/regnb/internal/rundir"
	"github.com/regnb/regnb/regnb/data"
	"github.com/regnb/regnb/regnb/history"
	"github.com/regnb/regnb/regnb/settings"
	"github.com/regnb/regnb/regularizers"
)

// ErrInterrupted is returned (wrapped) by Train when its context is cancelled,
// e.g. by Ctrl-C; the history and a checkpoint are written first.
var ErrInterrupted = errors.New("training interrupted")

// Option adjusts how Train runs, without changing what it computes.
type Option func(*runner)

// WithLog sends the tutorial's log lines to w (default os.Stdout); nil silences them.
func WithLog(w io.Writer) Option { return func(r *runner) { r.log = w } }

// WithData trains on already loaded data instead of reading Config.DataDir.
func WithData(d *data.TrainTest) Option { return func(r *runner) { r.data = d } }

// WithBackend uses backend b instead of creating one from Config.Backend.
func WithBackend(b compute.Backend) Option {
	return withBackend(b, backend.Selection{Kernels: backend.Kernels(b)})
}

// withBackend is WithBackend with what backend.New said of b, which the
// history records.
func withBackend(b compute.Backend, sel backend.Selection) Option {
	return func(r *runner) { r.backend, r.selection = b, sel }
}

// WithProgress reports progress to p instead of AutoProgress().
func WithProgress(p Progress) Option { return func(r *runner) { r.progress = p } }

// WithModel trains the variables of store, so the caller can inspect the
// model after training; by default a new model.Store is used.
func WithModel(store *model.Store) Option { return func(r *runner) { r.model = store } }

// WithOutputs has write add files (plots, say) to the output directory of a
// run that finishes, after its history.
func WithOutputs(write func(h *history.History, dir string) error) Option {
	return func(r *runner) { r.outputs = append(r.outputs, write) }
}

// WithStepsPerCall runs up to k training steps per call of the compiled
// graph (k ≥ 1): fewer calls, and fewer round trips to an accelerator. On
// XLA the graph runs them as a loop, compiled once for every call of up to
// k steps; on the pure-Go backend it holds them unrolled. It overrides
// Config.StepsPerCall; the default is DefaultStepsPerCall for the run's
// backend. Results do not depend on it.
func WithStepsPerCall(k int) Option { return func(r *runner) { r.stepsPerCall = max(k, 1) } }

// WithResume continues the run saved in dir from its checkpoint; results go
// to dir. The configuration given to Train must be the one saved there
// (ResumeConfig), changed at most in the settings that a resume can honour
// (Resumable); a zero Config means the saved one. A diverged run is not
// resumed: its checkpoint would diverge again.
func WithResume(dir string) Option { return func(r *runner) { r.resume = dir } }

// runner holds one run's state.
type runner struct {
	cfg          settings.Config
	log          io.Writer
	data         *data.TrainTest
	backend      compute.Backend
	selection    backend.Selection        // What backend.New said of backend (its Config is empty if unknown).
	penalty      regularizers.Regularizer // From WithPenalty, else Penalty(cfg).
	progress     Progress
	model        *model.Store
	resume       string
	outputs      []func(*history.History, string) error
	comparison   func([]*history.History, string) error // Compare's own outputs.
	stepsPerCall int                                    // 0: DefaultStepsPerCall.

	sets  sets // The data, split as cfg asks.
	hist  *history.History
	execs *execs
	eval  *evaluator
	out   *rundir.Dir // The output directory, owned while the run lasts (nil: none).
	saved bool        // Whether the run saved a consistent state in out.
	// resumed is the history a resume read, as it was on disk.
	resumed *history.History
	ckpt    *checkpointer
	clock   clock
}

// Train runs cfg and returns its history.History. The log lines are the tutorial's:
// "Starting epoch N", every cfg.LogEvery mini-batches
// "Loss after mini-batch %5d: %.5f (of which %.5f L1 loss)" (one part per
// penalty term), then "Training process has finished." and a summary the
// tutorial never printed (test accuracy, final norms, sparsity, time).
//
// On error the returned history.History holds everything recorded so far: a
// *DivergedError stops at the step that produced a NaN or infinity, and a
// cancelled ctx returns ErrInterrupted after writing the history and a
// checkpoint to cfg.OutDir.
func Train(ctx context.Context, cfg settings.Config, opts ...Option) (hist *history.History, err error) {
	r := newRunner(cfg, opts)
	defer func() {
		// GoMLX reports graph errors by panicking; nothing escapes as a panic.
		if p := recover(); p != nil {
			err = fmt.Errorf("internal error: %v", p)
			hist = r.hist
		}
	}()
	defer func() { err = r.release(err) }()
	if err := r.setUp(ctx); err != nil {
		return r.hist, err
	}
	return r.hist, r.run(ctx)
}

func newRunner(cfg settings.Config, opts []Option) *runner {
	r := &runner{cfg: cfg, log: os.Stdout}
	for _, opt := range opts {
		opt(r)
	}
	if r.log == nil {
		r.log = io.Discard
	}
	return r
}

// setUp validates, takes the output directory, loads data, creates the
// backend, the model and the graphs.
func (r *runner) setUp(ctx context.Context) error {
	if r.resume == "" {
		if err := r.cfg.Validate(); err != nil {
			return err
		}
	}
	if err := r.openOut(); err != nil {
		return err
	}
	if r.resume != "" {
		if err := r.loadResume(); err != nil {
			return err
		}
	}
	if err := r.loadData(ctx); err != nil {
		return err
	}
	if r.resume != "" {
		if err := r.checkResumeLength(); err != nil {
			return err
		}
	}
	if err := r.startHistory(); err != nil {
		return err
	}
	if err := r.openOutputs(); err != nil {
		return err
	}
	if r.progress == nil {
		r.progress = AutoProgress()
	}
	return r.build()
}

// loadData reads the data set, unless given; a cancelled ctx (Ctrl-C)
// stops the wait even if a read blocks (a FIFO as an idx file, say).
func (r *runner) loadData(ctx context.Context) error {
	if r.data == nil {
		type loaded struct {
			d   *data.TrainTest
			err error
		}
		done := make(chan loaded, 1)
		go func() { d, err := data.Load(r.cfg.DataDir); done <- loaded{d, err} }()
		select {
		case <-ctx.Done():
			return fmt.Errorf("%w while reading the data set", ErrInterrupted)
		case l := <-done:
			if l.err != nil {
				return l.err
			}
			r.data = l.d
		}
	}
	var err error
	r.sets, err = newSets(r.cfg, r.data)
	return err
}

// startHistory creates the backend and the model and starts (or continues)
// the history.
func (r *runner) startHistory() error {
	if r.backend == nil {
		b, sel, err := backend.ForRun(r.cfg.Backend, r.cfg.BatchSize)
		if err != nil {
			return err
		}
		r.backend, r.selection = b, sel
		if notice := sel.Notice(); notice != "" {
			fmt.Fprintln(r.log, "regnb: "+notice)
		}
	}
	if r.model == nil {
		r.model = model.NewStore()
	}
	if r.hist == nil {
		r.hist = &history.History{Config: r.cfg}
		if r.cfg.Dropout != 0 { // Dropout's masks drawn from the seed; a resume takes their state from the checkpoint.
			r.model.SetRNGStateFromSeed(int64(r.cfg.Seed))
		}
	}
	h := r.hist
	h.Backend, h.Kernels, h.BackendFallback = r.selection.Config, r.selection.Kernels, r.selection.Fallback
	if h.Backend == "" { // E.g. "go" or "xla:cpu", the first word of its description.
		h.Backend, _, _ = strings.Cut(r.backend.String(), " ")
	}
	h.Status = history.Running
	if r.stepsPerCall == 0 {
		r.stepsPerCall = r.cfg.StepsPerCall
	}
	if r.stepsPerCall <= 0 {
		r.stepsPerCall = DefaultStepsPerCall(h.Backend)
	}
	return nil
}

// DefaultStepsPerCall is the number of training steps per executable call
// for a backend configuration: on XLA (an accelerator, or XLA's CPU client)
// each call costs a launch and a round trip, so up to 20 steps run as a
// compiled loop (2–3× faster than one step per call at batch 10 on XLA's CPU
// client, as fast as 50); the pure-Go backend runs operations one by one on
// the host, where one step per call with the mini-batch from the host is
// fastest (bench/README.md).
func DefaultStepsPerCall(backendConfig string) int {
	if onDevice(backendConfig) {
		return 20
	}
	return 1
}

// onDevice tells whether a backend configuration computes on a device of its
// own (XLA, the CPU client included, whose buffers it manages), where the
// data sets are kept and a mini-batch is gathered in the graph; the pure-Go
// backend computes on the host, and one step per call takes its mini-batch
// from the host.
func onDevice(backendConfig string) bool { return strings.HasPrefix(backendConfig, "xla") }
