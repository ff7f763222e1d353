package regnb

import (
	"context"
	"errors"
	"fmt"
	"io"
	"math"
	"math/rand/v2"
	"os"
	"path/filepath"
	"strings"
	"time"

	"github.com/gomlx/compute"
	"github.com/gomlx/compute/dtypes"
	"github.com/gomlx/gomlx/core/graph"
	"github.com/gomlx/gomlx/core/tensors"
	"github.com/gomlx/gomlx/ml/model"
	"github.com/gomlx/gomlx/ml/train"
	"github.com/gomlx/gomlx/ml/train/optimizer"

	"github.com/regnb/regnb/layers"
	"github.com/regnb/regnb/regularizers"
)

// ErrInterrupted is returned (wrapped) by Train when its context is cancelled,
// e.g. by Ctrl-C; the history and a checkpoint are written first.
var ErrInterrupted = errors.New("training interrupted")

// DivergedError reports a loss or penalty that became NaN or infinite.
type DivergedError struct {
	Step, Epoch, Batch int
	Term               string // "data loss (cross-entropy)", "total loss" or a penalty term's name.
	Value              float64
	Hint               string
}

func (e *DivergedError) Error() string {
	return fmt.Sprintf("training diverged at step %d (epoch %d, mini-batch %d): the %s became %v; %s",
		e.Step, e.Epoch, e.Batch, e.Term, e.Value, e.Hint)
}

// Option adjusts how Train runs, without changing what it computes.
type Option func(*runner)

// WithLog sends the tutorial's log lines to w (default os.Stdout); nil silences them.
func WithLog(w io.Writer) Option { return func(r *runner) { r.log = w } }

// WithData trains on already loaded data instead of reading Config.DataDir.
func WithData(d *Data) Option { return func(r *runner) { r.data = d } }

// WithBackend uses backend b instead of creating one from Config.Backend.
func WithBackend(b compute.Backend) Option { return withBackend(b, "") }

// withBackend is WithBackend with the configuration b was created from, which
// the history records.
func withBackend(b compute.Backend, config string) Option {
	return func(r *runner) { r.backend, r.backendConfig = b, config }
}

// WithProgress reports progress to p instead of the automatic choice (a bar
// in GoNB, on a terminal's stderr, else nothing).
func WithProgress(p Progress) Option { return func(r *runner) { r.progress = p } }

// WithModel trains the variables of store, so the caller can inspect the
// model after training; by default a new model.Store is used.
func WithModel(store *model.Store) Option { return func(r *runner) { r.model = store } }

// WithResume continues the run saved in dir (its history.json and checkpoint);
// the configuration saved there is used and results go to dir.
func WithResume(dir string) Option { return func(r *runner) { r.resume = dir } }

// runner holds one run's state.
type runner struct {
	cfg      Config
	log      io.Writer
	data     *Data
	backend  compute.Backend
	progress Progress
	model    *model.Store
	resume   string

	backendConfig string // The configuration backend was created from, if known.

	hist       *History
	loggedExec *model.Exec // A training step that outputs every loss term.
	fastExec   *model.Exec // A training step that outputs the data loss only.
	evalExec   *model.Exec
	ckpt       *runCheckpoint
	start      time.Time
	trained    time.Duration // Training time of earlier sessions (resume).
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
	r := &runner{cfg: cfg, log: os.Stdout}
	for _, opt := range opts {
		opt(r)
	}
	if r.log == nil {
		r.log = io.Discard
	}
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

// setUp validates, loads data, creates the backend, the model and the
// output directory.
func (r *runner) setUp() error {
	if r.resume != "" {
		h, err := LoadHistory(r.resume)
		if err != nil {
			return fmt.Errorf("resume %s: %w", r.resume, err)
		}
		r.cfg = h.Config
		r.cfg.OutDir = r.resume
		r.hist = h
	}
	cfg := r.cfg
	if err := cfg.Validate(); err != nil {
		return err
	}
	if r.data == nil {
		d, err := LoadData(cfg.DataDir)
		if err != nil {
			return err
		}
		r.data = d
	}
	train := r.data.Train.Subset(cfg.TrainLimit)
	if cfg.BatchSize > train.N {
		return fmt.Errorf("batch size = %d: larger than the training set (%d examples)", cfg.BatchSize, train.N)
	}
	if cfg.OutDir != "" {
		if err := checkWritable(cfg.OutDir); err != nil {
			return err
		}
	}
	if r.backend == nil {
		b, config, err := backendFor(cfg)
		if err != nil {
			return err
		}
		r.backend, r.backendConfig = b, config
	}
	if r.model == nil {
		r.model = model.NewStore()
	}
	if r.hist == nil {
		r.hist = &History{Config: cfg}
	}
	r.hist.Backend = r.backendConfig
	if r.hist.Backend == "" { // E.g. "go" or "xla:cpu", the first word of its description.
		r.hist.Backend, _, _ = strings.Cut(r.backend.String(), " ")
	}
	r.hist.Kernels = Kernels(r.backend)
	r.hist.Status = "running"
	if cfg.OutDir != "" {
		ck, err := openCheckpoint(r.model, cfg.OutDir, r.resume != "")
		if err != nil {
			return err
		}
		r.ckpt = ck
	}
	if cfg.InitFrom != "" && r.resume == "" {
		if err := loadInit(r.model, cfg.InitFrom); err != nil {
			return err
		}
	}
	if r.progress == nil {
		r.progress = AutoProgress()
	}
	return r.buildExecs()
}

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

// buildExecs prepares the training step and the evaluation graphs.
func (r *runner) buildExecs() error {
	cfg := r.cfg
	penalty, err := cfg.Penalty()
	if err != nil {
		return err
	}
	selector := regularizers.Selector(regularizers.AllTrainable)
	if cfg.Penalize == "kernels" {
		selector = regularizers.KernelsOnly
	}
	opt := optimizer.Adam().LearningRate(cfg.LR).Betas(0.9, 0.999).Epsilon(1e-8).Done()
	mlp := func(scope *model.Scope, x *graph.Node) *graph.Node {
		return layers.MLP(scope, x).Hidden(cfg.Hidden...).Outputs(r.data.Train.NumClasses).
			Init(layers.InitPyTorch, cfg.Seed).Done()
	}
	// Two graphs train the same variables: the logged steps output the total,
	// the data loss and every penalty term; the others only the data loss, so
	// the backend never computes the penalties' values, only their gradients.
	step := func(logged bool) func(scope *model.Scope, x, labels *graph.Node) []*graph.Node {
		return func(scope *model.Scope, x, labels *graph.Node) []*graph.Node {
			g := x.Graph()
			scope.Store().SetTraining(g, true)
			data := crossEntropy(mlp(scope, x), labels)
			train.AddMainLoss(data)
			regularizers.Apply(scope, g, penalty, selector) // Adds the penalties as regularization losses.
			total := train.TotalLoss(g)
			opt.UpdateGraph(scope, g, total)
			train.ExecPerStepUpdateGraphFn(g)
			if !logged {
				return []*graph.Node{data}
			}
			outs := []*graph.Node{total, data}
			var names []string
			for _, t := range regularizers.Terms(g) {
				names = append(names, t.Name)
				outs = append(outs, t.Value)
			}
			r.hist.Terms = names
			return outs
		}
	}
	if r.loggedExec, err = model.NewExec(r.backend, r.model, step(true)); err != nil {
		return err
	}
	if r.fastExec, err = model.NewExec(r.backend, r.model, step(false)); err != nil {
		return err
	}
	r.evalExec, err = model.NewExec(r.backend, r.model, func(scope *model.Scope, x, labels *graph.Node) *graph.Node {
		predicted := graph.ArgMax(mlp(scope, x), -1, dtypes.Int32)
		return graph.ReduceAllSum(graph.ConvertDType(graph.Equal(predicted, labels), dtypes.Float32))
	})
	return err
}

// crossEntropy is the mean over the batch of −log softmax(logits)[label].
func crossEntropy(logits, labels *graph.Node) *graph.Node {
	logp := graph.LogSoftmax(logits, -1)
	onehot := graph.OneHot(labels, logits.Shape().Dimensions[1], logits.DType())
	return graph.Neg(graph.ReduceAllMean(graph.ReduceSum(graph.Mul(onehot, logp), -1)))
}

// run is the training loop.
func (r *runner) run(ctx context.Context) error {
	cfg, h := r.cfg, r.hist
	trainSet, testSet := r.data.Train.Subset(cfg.TrainLimit), r.data.Test.Subset(cfg.TestLimit)
	stepsPerEpoch := (trainSet.N + cfg.BatchSize - 1) / cfg.BatchSize
	totalSteps := stepsPerEpoch * cfg.Epochs
	if cfg.MaxSteps > 0 {
		totalSteps = min(totalSteps, cfg.MaxSteps)
	}
	h.StepsPerEpoch = stepsPerEpoch
	step := h.StepsDone
	r.trained = time.Duration(h.Summary.TrainSeconds * float64(time.Second))

	if step == 0 {
		acc, err := r.accuracy(testSet)
		if err != nil {
			return err
		}
		h.Summary.InitialAccuracy = acc
		if err := r.recordHistograms("initial"); err != nil {
			return err
		}
	}
	r.progress.Start(totalSteps)
	defer r.progress.Finish()

	x := make([]float32, cfg.BatchSize*trainSet.Rows*trainSet.Cols)
	y := make([]int32, cfg.BatchSize)
	r.start = time.Now()
	firstStep := true
	for epoch := step/stepsPerEpoch + 1; epoch <= cfg.Epochs && step < totalSteps; epoch++ {
		order := rand.New(rand.NewPCG(cfg.Seed, uint64(epoch))).Perm(trainSet.N)
		batch := step % stepsPerEpoch
		if batch == 0 {
			fmt.Fprintf(r.log, "Starting epoch %d\n", epoch)
		}
		for ; batch < stepsPerEpoch && step < totalSteps; batch++ {
			if ctx.Err() != nil {
				return r.interrupted()
			}
			idx := order[batch*cfg.BatchSize : min((batch+1)*cfg.BatchSize, trainSet.N)]
			xs, ys := gather(trainSet, idx, x, y)
			logLine := (batch+1)%cfg.LogEvery == 0
			logged := logLine || step == 0 // The first step also names the terms.
			exec := r.fastExec
			if logged {
				exec = r.loggedExec
			}
			t0 := time.Now()
			outs, err := exec.Call(xs, ys)
			if err != nil {
				return fmt.Errorf("training step %d: %w", step+1, err)
			}
			if firstStep {
				h.Summary.CompileSeconds = time.Since(t0).Seconds()
				firstStep = false
			}
			step++
			h.StepsDone = step
			values := make([]float64, len(outs))
			for i, t := range outs {
				values[i] = scalarOf(t)
			}
			if !logged { // Only the data loss: it stands for the total.
				values = []float64{values[0], values[0]}
			}
			if err := r.checkFinite(step, epoch, batch+1, values, logged); err != nil {
				h.Status = "diverged"
				r.finishTiming(step)
				r.saveHistory()
				return err
			}
			if logLine {
				if err := r.logStep(step, epoch, batch+1, values); err != nil {
					return err
				}
			}
			r.progress.Update(step, values[0])
		}
		if batch == stepsPerEpoch {
			acc, err := r.accuracy(testSet)
			if err != nil {
				return err
			}
			h.Epochs = append(h.Epochs, EpochRecord{Epoch: epoch, Step: step, TestAccuracy: acc,
				Seconds: (r.trained + time.Since(r.start)).Seconds()})
			if err := r.saveCheckpoint(); err != nil {
				return err
			}
		}
	}
	r.finishTiming(step)
	fmt.Fprintln(r.log, "Training process has finished.")
	return r.finish(testSet)
}

// finishTiming records the training time and speed.
func (r *runner) finishTiming(step int) {
	s := &r.hist.Summary
	s.TrainSeconds = (r.trained + time.Since(r.start)).Seconds()
	if s.TrainSeconds > 0 {
		s.ExamplesPerSecond = float64(step*r.cfg.BatchSize) / s.TrainSeconds
	}
	s.PeakRSSMB = peakRSSMB()
}

// finish evaluates, prints the summary and writes the outputs.
func (r *runner) finish(testSet *Dataset) error {
	h := r.hist
	acc, err := r.accuracy(testSet)
	if err != nil {
		return err
	}
	h.Summary.TestAccuracy = acc
	if h.Summary.PrunedAccuracy, err = r.prunedAccuracy(testSet); err != nil {
		return err
	}
	total, err := r.sparsity()
	if err != nil {
		return err
	}
	h.Summary.Params, h.Summary.L1Norm, h.Summary.SquaredL2 = total.Size, total.L1, total.SquaredL2
	h.Summary.Small, h.Summary.Zeros = float64(total.Small)/float64(total.Size), total.Zeros
	if err := r.recordHistograms("final"); err != nil {
		return err
	}
	h.Status = "finished"
	r.printSummary()
	if err := r.saveCheckpoint(); err != nil {
		return err
	}
	return r.writeOutputs()
}

func (r *runner) printSummary() {
	h, s := r.hist, r.hist.Summary
	w := r.log
	fmt.Fprintf(w, "Test accuracy: %.4f on %d test images (before training: %.4f)\n",
		s.TestAccuracy, r.data.Test.Subset(r.cfg.TestLimit).N, s.InitialAccuracy)
	if len(h.Steps) > 0 && len(h.Terms) > 0 {
		last := h.Steps[len(h.Steps)-1]
		var parts []string
		for i, name := range h.Terms {
			parts = append(parts, fmt.Sprintf("%s %.5f", name, last.Terms[i]))
		}
		fmt.Fprintf(w, "Last logged penalty terms: %s\n", strings.Join(parts, ", "))
	}
	fmt.Fprintf(w, "Final norms over %d parameters: Σ|w| = %.4g, Σw² = %.4g\n", s.Params, s.L1Norm, s.SquaredL2)
	fmt.Fprintf(w, "Sparsity: %.2f %% of parameters with |w| < %g, %d exactly zero; test accuracy with those set to 0: %.4f\n",
		100*s.Small, SmallWeight, s.Zeros, s.PrunedAccuracy)
	fmt.Fprintf(w, "Time: %d steps in %s (%.0f examples/s, first step with compilation %.2fs, peak memory %.0f MiB) on backend %s, kernels: %s\n",
		h.StepsDone, (time.Duration(s.TrainSeconds * float64(time.Second))).Round(100*time.Millisecond),
		s.ExamplesPerSecond, s.CompileSeconds, s.PeakRSSMB, h.Backend, h.Kernels)
}

// checkFinite returns a DivergedError if the total, the data loss or a term
// is NaN or infinite. values holds the total, the data loss and, on logged
// steps, each term; on the others the penalties are judged by the weights.
func (r *runner) checkFinite(step, epoch, batch int, values []float64, logged bool) error {
	bad := func(v float64) bool { return math.IsNaN(v) || math.IsInf(v, 0) }
	names := append([]string{"total loss", "data loss (cross-entropy)"}, r.hist.Terms...)
	culprit := -1
	for _, i := range append(seq(2, len(values)), 1, 0) { // Name a penalty term first.
		if bad(values[i]) {
			culprit = i
			break
		}
	}
	if culprit < 0 {
		return nil
	}
	term, value := names[culprit], values[culprit]
	if !logged && len(r.hist.Terms) > 0 {
		if s, err := r.sparsity(); err == nil && (bad(s.L1) || bad(s.SquaredL2)) {
			term, value = fmt.Sprintf("weights (Σ|w| = %v, Σw² = %v) and so the %s term", s.L1, s.SquaredL2,
				strings.Join(r.hist.Terms, " and ")), math.NaN()
			culprit = 2
		}
	}
	rec := r.record(step, epoch, batch, values, regularizers.VariableSparsity{})
	if !logged {
		rec.Total = math.NaN()
		rec.Terms = make([]float64, len(r.hist.Terms))
		for i := range rec.Terms {
			rec.Terms[i] = math.NaN()
		}
	}
	r.hist.Steps = append(r.hist.Steps, rec)
	hint := fmt.Sprintf("try a smaller learning rate (-lr, now %g)", r.cfg.LR)
	if culprit >= 2 {
		hint = fmt.Sprintf("try a smaller penalty strength, or a smaller learning rate (-lr, now %g)", r.cfg.LR)
	}
	if r.ckpt != nil {
		hint += "; the last good checkpoint and the history so far are in " + r.cfg.OutDir
	}
	return &DivergedError{Step: step, Epoch: epoch, Batch: batch, Term: term, Value: value, Hint: hint}
}

// logStep prints the tutorial's line and records the step.
func (r *runner) logStep(step, epoch, batch int, values []float64) error {
	total, err := r.sparsity()
	if err != nil {
		return err
	}
	r.hist.Steps = append(r.hist.Steps, r.record(step, epoch, batch, values, total))
	fmt.Fprintln(r.log, LogLine(batch, values[0], r.hist.Terms, values[2:]))
	return r.saveCheckpoint()
}

// LogLine formats the tutorial's line for a mini-batch:
//
//	Loss after mini-batch   500: 2.93772 (of which 0.63513 L1 loss)
//
// with one "%.5f NAME loss" part per penalty term, joined by "; ", and no
// parenthesis when there is no term.
func LogLine(batch int, total float64, names []string, terms []float64) string {
	line := fmt.Sprintf("Loss after mini-batch %5d: %.5f", batch, total)
	if len(names) == 0 {
		return line
	}
	parts := make([]string, len(names))
	for i, name := range names {
		parts[i] = fmt.Sprintf("%.5f %s loss", terms[i], name)
	}
	return line + " (of which " + strings.Join(parts, "; ") + ")"
}

func (r *runner) record(step, epoch, batch int, values []float64, s regularizers.VariableSparsity) StepRecord {
	rec := StepRecord{Step: step, Epoch: epoch, Batch: batch, Total: values[0], Data: values[1],
		Terms: append([]float64(nil), values[2:]...), L1Norm: s.L1, SquaredL2: s.SquaredL2, Zeros: s.Zeros}
	if s.Size > 0 {
		rec.Small = float64(s.Small) / float64(s.Size)
	}
	return rec
}

// sparsity summarizes all trainable parameters.
func (r *runner) sparsity() (regularizers.VariableSparsity, error) {
	report, err := regularizers.Sparsity(r.model.RootScope(), regularizers.AllTrainable, SmallWeight)
	if err != nil {
		return regularizers.VariableSparsity{}, err
	}
	return regularizers.Total(report), nil
}

func (r *runner) recordHistograms(stage string) error {
	for v := range r.model.IterVariables() {
		if !v.Trainable || v.Name() != "weights" {
			continue
		}
		t, err := v.Value()
		if err != nil {
			return err
		}
		values, err := regularizers.Float64s(t)
		if err != nil {
			return err
		}
		r.hist.Histograms = append(r.hist.Histograms, newHistogram(v.Path(), stage, values))
	}
	return nil
}

// accuracy evaluates the fraction of ds classified correctly.
func (r *runner) accuracy(ds *Dataset) (float64, error) {
	const evalBatch = 1000
	correct := 0.0
	pixels := ds.Rows * ds.Cols
	buf := make([]float32, 0, evalBatch*pixels)
	for start := 0; start < ds.N; start += evalBatch {
		end := min(start+evalBatch, ds.N)
		x := tensors.FromFlatDataAndDimensions(ds.Images(start, end, buf), end-start, pixels)
		y := tensors.FromFlatDataAndDimensions(ds.Labels[start:end], end-start)
		out, err := r.evalExec.Call(x, y)
		if err != nil {
			return 0, fmt.Errorf("evaluating: %w", err)
		}
		correct += scalarOf(out[0])
	}
	return correct / float64(ds.N), nil
}

// prunedAccuracy evaluates the model with every parameter |w| < SmallWeight
// set to 0, then restores the parameters.
func (r *runner) prunedAccuracy(ds *Dataset) (float64, error) {
	saved := map[*model.Variable]*tensors.Tensor{}
	defer func() {
		for v, t := range saved {
			_ = v.SetValue(t)
		}
	}()
	for v := range r.model.IterVariables() {
		if !v.Trainable {
			continue
		}
		t, err := v.Value()
		if err != nil {
			return 0, err
		}
		original, err := t.LocalClone() // SetValue releases t.
		if err != nil {
			return 0, err
		}
		pruned, err := t.LocalClone()
		if err != nil {
			return 0, err
		}
		tensors.MustMutableFlatData(pruned, func(flat []float32) {
			for i, w := range flat {
				if math.Abs(float64(w)) < SmallWeight {
					flat[i] = 0
				}
			}
		})
		saved[v] = original
		if err := v.SetValue(pruned); err != nil {
			return 0, err
		}
	}
	return r.accuracy(ds)
}

// gather copies the examples idx into the batch buffers and returns tensors.
func gather(ds *Dataset, idx []int, x []float32, y []int32) (*tensors.Tensor, *tensors.Tensor) {
	pixels := ds.Rows * ds.Cols
	for i, j := range idx {
		for k, p := range ds.Pixels[j*pixels : (j+1)*pixels] {
			x[i*pixels+k] = float32(p) / 255
		}
		y[i] = ds.Labels[j]
	}
	n := len(idx)
	return tensors.FromFlatDataAndDimensions(x[:n*pixels], n, pixels), tensors.FromFlatDataAndDimensions(y[:n], n)
}

func scalarOf(t *tensors.Tensor) float64 {
	switch v := t.Value().(type) {
	case float32:
		return float64(v)
	case float64:
		return v
	}
	return math.NaN()
}

// interrupted saves what there is and returns ErrInterrupted.
func (r *runner) interrupted() error {
	r.hist.Status = "interrupted"
	r.finishTiming(r.hist.StepsDone)
	if err := r.saveCheckpoint(); err != nil {
		return errors.Join(ErrInterrupted, err)
	}
	where := ""
	if r.cfg.OutDir != "" {
		where = fmt.Sprintf("; history and checkpoint saved in %s (continue with -resume %s)", r.cfg.OutDir, r.cfg.OutDir)
	}
	return fmt.Errorf("%w at step %d%s", ErrInterrupted, r.hist.StepsDone, where)
}

// saveCheckpoint writes the model and the history, if there is an output
// directory.
func (r *runner) saveCheckpoint() error {
	if r.ckpt == nil {
		return nil
	}
	if err := r.ckpt.save(); err != nil {
		return err
	}
	return r.saveHistory()
}

// saveHistory writes history.json atomically (a crash never leaves half a file).
func (r *runner) saveHistory() error {
	if r.cfg.OutDir == "" {
		return nil
	}
	return writeFileAtomic(filepath.Join(r.cfg.OutDir, "history.json"), func(w io.Writer) error {
		return r.hist.WriteJSON(w)
	})
}

// seq returns from, from+1, …, to−1.
func seq(from, to int) []int {
	var s []int
	for i := from; i < to; i++ {
		s = append(s, i)
	}
	return s
}

// peakRSSMB returns the process's peak resident set size in MiB, from
// /proc/self/status (0 where that is not available).
func peakRSSMB() float64 {
	data, err := os.ReadFile("/proc/self/status")
	if err != nil {
		return 0
	}
	for _, line := range strings.Split(string(data), "\n") {
		if rest, ok := strings.CutPrefix(line, "VmHWM:"); ok {
			var kb float64
			if _, err := fmt.Sscanf(strings.TrimSpace(rest), "%f kB", &kb); err == nil {
				return kb / 1024
			}
		}
	}
	return 0
}
