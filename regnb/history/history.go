// Package history is what a run leaves behind, as plain data: the settings,
// every logged step, every epoch's evaluation, weight histograms and a
// summary ([History]), read and written as JSON and CSV; tables of several
// runs; the mean and spread of a configuration's figures over its seeds
// ([Aggregate], [SeedRows]); and what a sweep leaves behind ([Sweep]). Plots are functions of a History (package plots), so a run
// read back from disk plots like a fresh one. It depends on package settings
// alone: reading a history needs neither GoMLX nor the engine.
package history

import (
	"errors"
	"fmt"
	"math"
	"slices"
	"strings"

	"github.com/regnb/regnb/regnb/settings"
)

// History is what a run leaves behind, as plain data: the settings, every
// logged step, an evaluation before training and after each epoch (train and
// validation accuracy), weight histograms before and after, and a summary
// (with the test accuracy, evaluated once at the end). Plots are functions of a History, so a run read back from disk
// plots like a fresh one.
type History struct {
	Config  settings.Config `json:"config"`
	Backend string          `json:"backend"`           // Backend configuration, e.g. "go:ops_sequential" or "xla:cpu".
	Kernels string          `json:"kernels,omitempty"` // The kernels it ran with, e.g. "go (simd/avx2)" (see backend.Selection).
	// BackendFallback says why the XLA backend asked for was not used (the
	// pure-Go backend was), if it was not.
	BackendFallback string            `json:"backend_fallback,omitempty"`
	Terms           []string          `json:"terms"` // Penalty term names, as reported by the regularizers.
	Steps           []StepRecord      `json:"steps"`
	Epochs          []EpochRecord     `json:"epochs"`
	Histograms      []WeightHistogram `json:"histograms"`
	Summary         Summary           `json:"summary"`
	Status          string            `json:"status"` // "running", "finished", "interrupted" or "diverged".
	StepsDone       int               `json:"steps_done"`
	// StepsPerEpoch is the number of mini-batches in an epoch.
	StepsPerEpoch int `json:"steps_per_epoch"`
	// Checkpoint names the checkpoint (in OUT/checkpoint) that goes with this
	// history, written after CheckpointStep steps: StepsDone, except after a
	// divergence, where the history also records the step that diverged.
	Checkpoint     string `json:"checkpoint,omitempty"`
	CheckpointStep int    `json:"checkpoint_step"`
}

// StepRecord is one logged mini-batch. Loss values are those of that
// mini-batch; norms are over all trainable parameters after its update. A
// value that is not finite (a diverged step) is NaN or ±Inf, also when read
// back from JSON.
type StepRecord struct {
	Step      int       `json:"step"`  // Global step, 1-based.
	Epoch     int       `json:"epoch"` // 1-based.
	Batch     int       `json:"batch"` // Mini-batch within the epoch, 1-based.
	Total     float64   `json:"total"` // Data loss plus every term.
	Data      float64   `json:"data"`  // Cross-entropy.
	Terms     []float64 `json:"terms"` // Weighted penalty values, in History.Terms order.
	L1Norm    float64   `json:"l1_norm"`
	SquaredL2 float64   `json:"squared_l2_norm"`
	Small     float64   `json:"frac_small"` // Fraction of parameters with |w| < SmallWeight.
	Zeros     int       `json:"zeros"`      // Parameters exactly 0.
	// UnitsKept is, for each hidden layer, the units alive after this step
	// (see Summary.UnitsKept).
	UnitsKept []int `json:"units_kept,omitempty"`
}

// EpochRecord is an evaluation of the model at the end of an epoch; the
// first record of a run (Epoch 0, Step 0) is before training. It holds the
// accuracy on TrainEvalImages of the training images (the first of the
// images the run trains on) and, with a validation split
// (settings.Config.Validation), the split's accuracy and mean cross-entropy:
// the gap between the two is what a penalty closes. The test set is never
// evaluated here; it is evaluated once, at the end of the run
// (Summary.TestAccuracy).
type EpochRecord struct {
	Epoch         int     `json:"epoch"`
	Step          int     `json:"step"`
	TrainAccuracy float64 `json:"train_accuracy"`
	// ValidationAccuracy and ValidationLoss are 0 (and left out of the JSON)
	// without a validation split.
	ValidationAccuracy float64 `json:"validation_accuracy,omitzero"`
	ValidationLoss     float64 `json:"validation_loss,omitzero"`
	Seconds            float64 `json:"seconds"` // Training time since the start of the run.
}

// TrainEvalImages is how many training images the train accuracy is
// measured on: the first TrainEvalImages of the images a run trains on (all
// of them if fewer), after the validation split and the training limit.
const TrainEvalImages = 10000

// Summary is the state at the end of the run.
type Summary struct {
	// TrainAccuracy, ValidationAccuracy and ValidationLoss are those of the
	// model at the end of the run, as an EpochRecord measures them (the last
	// record's when the run ends at an epoch's end).
	TrainAccuracy      float64 `json:"train_accuracy"`
	ValidationAccuracy float64 `json:"validation_accuracy,omitzero"`
	ValidationLoss     float64 `json:"validation_loss,omitzero"`
	// TestEvaluated tells whether the run evaluated the test set (once, at
	// its end; not with settings.Config.NoTest). TestAccuracy and
	// PrunedAccuracy are 0 when it did not.
	TestEvaluated  bool    `json:"test_evaluated"`
	TestAccuracy   float64 `json:"test_accuracy"`
	PrunedAccuracy float64 `json:"pruned_accuracy"` // Test accuracy after setting every |w| < SmallWeight to 0.
	Params         int     `json:"params"`
	L1Norm         float64 `json:"l1_norm"`
	SquaredL2      float64 `json:"squared_l2_norm"`
	Small          float64 `json:"frac_small"`
	Zeros          int     `json:"zeros"`
	TrainSeconds   float64 `json:"train_seconds"`
	CompileSeconds float64 `json:"compile_seconds"`
	// ExamplesPerSecond is the training speed over the whole run.
	ExamplesPerSecond float64 `json:"examples_per_second"`
	// SteadyStepMillis is the mean time of a training step, in ms, over the
	// executable calls that compiled nothing (each graph's first call
	// compiles it): the speed of a long run, without start-up. 0 if none.
	SteadyStepMillis float64 `json:"steady_step_ms,omitzero"`
	PeakRSSMB        float64 `json:"peak_rss_mb"` // Peak resident memory of the process, MiB.
	// InputL1 is Σ_j |W₀[j, p]| for each input p (each pixel, row-major): how
	// much the first layer still listens to it.
	InputL1 []float64 `json:"input_l1,omitempty"`
	// MaxNormClipped is the number of units whose incoming weights end at
	// the max-norm bound (settings.Config.MaxNorm): those the constraint holds.
	MaxNormClipped int `json:"max_norm_clipped,omitzero"`
	// UnitsKept is, for each hidden layer, the units not dead (a dead unit's
	// incoming weights and bias are all exactly 0; layers.Prune removes it).
	UnitsKept []int `json:"units_kept,omitempty"`
}

// WeightHistogram counts a layer's weights by order of magnitude: Counts[i]
// holds the weights with Edges[i] ≤ log10|w| < Edges[i+1]; exact zeros are
// counted apart.
type WeightHistogram struct {
	Layer  string    `json:"layer"` // Variable, e.g. "/dense_0/weights".
	Stage  string    `json:"stage"` // "initial" or "final".
	Edges  []float64 `json:"edges"`
	Counts []int     `json:"counts"`
	Zeros  int       `json:"zeros"`
}

// SmallWeight is the threshold under which a weight counts as (near) zero.
const SmallWeight = 1e-3

// histogramEdges are the log10|w| bin edges: 1e-9 … 10, four bins a decade.
var histogramEdges = func() []float64 {
	var e []float64
	for x := -9.0; x <= 1.0001; x += 0.25 {
		e = append(e, x)
	}
	return e
}()

// NewHistogram counts values (a layer's weights) by order of magnitude.
func NewHistogram(layer, stage string, values []float64) WeightHistogram {
	h := WeightHistogram{Layer: layer, Stage: stage, Edges: histogramEdges, Counts: make([]int, len(histogramEdges)-1)}
	last := len(h.Counts) - 1
	for _, w := range values {
		if w == 0 {
			h.Zeros++
			continue
		}
		i := int(math.Floor((math.Log10(math.Abs(w)) - h.Edges[0]) / 0.25))
		h.Counts[min(max(i, 0), last)]++
	}
	return h
}

// TermValue returns the value of the named term in r, and whether it exists.
func (h *History) TermValue(r StepRecord, name string) (float64, bool) {
	i := slices.Index(h.Terms, name)
	if i < 0 || i >= len(r.Terms) {
		return 0, false
	}
	return r.Terms[i], true
}

// Name returns the run's label: its regularization in words (see
// settings.Config.Label).
func (h *History) Name() string { return h.Config.Label() }

// UnitsLine describes the units kept in each hidden layer, e.g.
// "23 of 64, 11 of 32"; it is empty without hidden layers.
func UnitsLine(kept, hidden []int) string {
	parts := make([]string, len(kept))
	for i, k := range kept {
		if i < len(hidden) {
			parts[i] = fmt.Sprintf("%d of %d", k, hidden[i])
		} else {
			parts[i] = fmt.Sprint(k)
		}
	}
	return strings.Join(parts, ", ")
}

// The statuses of a run.
const (
	Running     = "running"
	Finished    = "finished"
	Interrupted = "interrupted"
	Diverged    = "diverged"
)

// Check tells whether a history read from disk (hand-edited or half-copied,
// perhaps) is one a run could have written: a known status, step counts that
// are not negative, a checkpoint no later than the steps done, logged steps
// within them.
func (h *History) Check() error {
	var errs []error
	bad := func(format string, args ...any) { errs = append(errs, fmt.Errorf(format, args...)) }
	if !slices.Contains([]string{Running, Finished, Interrupted, Diverged}, h.Status) {
		bad("status %q: want %s, %s, %s or %s", h.Status, Running, Finished, Interrupted, Diverged)
	}
	if h.StepsDone < 0 || h.CheckpointStep < 0 || h.StepsPerEpoch < 0 {
		bad("steps_done = %d, checkpoint_step = %d, steps_per_epoch = %d: want none negative", h.StepsDone, h.CheckpointStep, h.StepsPerEpoch)
	}
	if h.CheckpointStep > h.StepsDone {
		bad("checkpoint_step = %d after steps_done = %d", h.CheckpointStep, h.StepsDone)
	}
	if n := len(h.Steps); n > 0 && (h.Steps[n-1].Step > h.StepsDone || h.Steps[n-1].Step < 1) {
		bad("the last logged step is %d, with steps_done = %d", h.Steps[n-1].Step, h.StepsDone)
	}
	if len(errs) > 0 {
		return fmt.Errorf("not a history a run could have written: %w", errors.Join(errs...))
	}
	return nil
}
