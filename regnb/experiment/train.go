package experiment

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
	"github.com/regnb/regnb/layers"
	"github.com/regnb/regnb/regnb/data"
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
func WithBackend(b compute.Backend) Option { return withBackend(b, "") }

// withBackend is WithBackend with the configuration b was created from, which
// the history records.
func withBackend(b compute.Backend, config string) Option {
	return func(r *runner) { r.backend, r.backendConfig = b, config }
}

// WithProgress reports progress to p instead of AutoProgress().
func WithProgress(p Progress) Option { return func(r *runner) { r.progress = p } }

// WithModel trains the variables of store, so the caller can inspect the
// model after training; by default a new model.Store is used.
func WithModel(store *model.Store) Option { return func(r *runner) { r.model = store } }

// WithOutputs has write add files (plots, say) to the output directory of a
// run that finishes, after its history.
func WithOutputs(write func(h *History, dir string) error) Option {
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
	cfg           Config
	log           io.Writer
	data          *data.TrainTest
	backend       compute.Backend
	backendConfig string // The configuration backend was created from, if known.
	progress      Progress
	model         *model.Store
	resume        string
	outputs       []func(*History, string) error
	stepsPerCall  int // 0: DefaultStepsPerCall.

	hist  *History
	execs *execs
	ckpt  *checkpointer
	clock clock
}

// Train runs cfg and returns its History. The log lines are the tutorial's:
// "Starting epoch N", every cfg.LogEvery mini-batches
// "Loss after mini-batch %5d: %.5f (of which %.5f L1 loss)" (one part per
// penalty term), then "Training process has finished." and a summary the
// tutorial never printed (test accuracy, final norms, sparsity, time).
//
// On error the returned History holds everything recorded so far: a
// *DivergedError stops at the step that produced a NaN or infinity, and a
// cancelled ctx returns ErrInterrupted after writing the history and a
// checkpoint to cfg.OutDir.
func Train(ctx context.Context, cfg Config, opts ...Option) (hist *History, err error) {
	r := newRunner(cfg, opts)
	defer func() {
		// GoMLX reports graph errors by panicking; nothing escapes as a panic.
		if p := recover(); p != nil {
			err = fmt.Errorf("internal error: %v", p)
			hist = r.hist
		}
	}()
	if err := r.setUp(); err != nil {
		return r.hist, err
	}
	return r.hist, r.run(ctx)
}

func newRunner(cfg Config, opts []Option) *runner {
	r := &runner{cfg: cfg, log: os.Stdout}
	for _, opt := range opts {
		opt(r)
	}
	if r.log == nil {
		r.log = io.Discard
	}
	return r
}

// setUp validates, loads data, creates the backend, the model, the output
// directory and the graphs.
func (r *runner) setUp() error {
	if r.resume != "" {
		if err := r.loadResume(); err != nil {
			return err
		}
	}
	if err := r.cfg.Validate(); err != nil {
		return err
	}
	if err := r.loadData(); err != nil {
		return err
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
	var err error
	r.execs, err = newExecs(r.backend, r.model, r.cfg, r.data.Train.NumClasses, !onDevice(r.hist.Backend),
		loopSteps(r.hist.Backend, r.stepsPerCall))
	return err
}

func (r *runner) loadData() error {
	if r.data == nil {
		d, err := data.Load(r.cfg.DataDir)
		if err != nil {
			return err
		}
		r.data = d
	}
	if n := r.data.Train.Subset(r.cfg.TrainLimit).N; r.cfg.BatchSize > n {
		return fmt.Errorf("batch size = %d: larger than the training set (%d examples)", r.cfg.BatchSize, n)
	}
	return nil
}

// startHistory creates the backend and the model and starts (or continues)
// the history.
func (r *runner) startHistory() error {
	if r.cfg.OutDir != "" {
		if err := checkWritable(r.cfg.OutDir); err != nil {
			return err
		}
	}
	if r.backend == nil {
		b, config, err := backend.ForRun(r.cfg.Backend, r.cfg.BatchSize)
		if err != nil {
			return err
		}
		r.backend, r.backendConfig = b, config
	}
	if r.model == nil {
		r.model = model.NewStore()
	}
	if r.hist == nil {
		r.hist = &History{Config: r.cfg}
	}
	h := r.hist
	h.Backend = r.backendConfig
	if h.Backend == "" { // E.g. "go" or "xla:cpu", the first word of its description.
		h.Backend, _, _ = strings.Cut(r.backend.String(), " ")
	}
	h.Kernels = backend.Kernels(r.backend)
	h.Status = "running"
	if r.stepsPerCall == 0 {
		r.stepsPerCall = r.cfg.StepsPerCall
	}
	if r.stepsPerCall <= 0 {
		r.stepsPerCall = DefaultStepsPerCall(h.Backend)
	}
	return nil
}

// openOutputs attaches the checkpoint (loading it on resume) or the initial
// parameters to the model.
func (r *runner) openOutputs() error {
	if r.cfg.OutDir != "" {
		ck, err := openCheckpoint(r.model, r.cfg.OutDir, r.hist.Checkpoint, r.resume != "", r.hist.StepsDone)
		if err != nil {
			return err
		}
		r.ckpt = ck
	}
	if r.cfg.InitFrom != "" && r.resume == "" {
		return loadInit(r.model, r.cfg.InitFrom)
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

// loadInit loads initial parameters from a file written by layers.SaveParams
// (or bench/torch_train.py --save-init).
func loadInit(store *model.Store, path string) error {
	f, err := os.Open(path)
	if err != nil {
		return fmt.Errorf("init file %s: %w", path, unwrapPath(err))
	}
	defer f.Close()
	if err := layers.LoadParams(store.RootScope(), f); err != nil {
		return fmt.Errorf("init file %s: %w", path, err)
	}
	return nil
}

// checkWritable creates dir and checks a file can be written in it.
func checkWritable(dir string) error {
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return fmt.Errorf("output directory %s: cannot create it: %w", dir, unwrapPath(err))
	}
	f, err := os.CreateTemp(dir, ".regnb-write-test-*")
	if err != nil {
		return fmt.Errorf("output directory %s: cannot write in it: %w", dir, unwrapPath(err))
	}
	name := f.Name()
	f.Close()
	return os.Remove(name)
}

func unwrapPath(err error) error {
	var pe *os.PathError
	if errors.As(err, &pe) {
		return pe.Err
	}
	return err
}
