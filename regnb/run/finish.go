package run

import (
	"fmt"
	"math"
	"slices"
	"strings"
	"time"

	"github.com/gomlx/gomlx/core/tensors"
	"github.com/gomlx/gomlx/ml/model"

	"github.com/regnb/regnb/layers"
	"github.com/regnb/regnb/regnb/data"
	"github.com/regnb/regnb/regnb/history"
	"github.com/regnb/regnb/regularizers"
)

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

// logStep records the step with the size of the weights and the hidden
// units still alive, prints the tutorial's line and saves a checkpoint.
func (r *runner) logStep(at position, out stepOutputs) error {
	s, err := r.sparsity()
	if err != nil {
		return err
	}
	rec := record(at, out, s)
	if rec.UnitsKept, err = r.network().UnitsKept(); err != nil {
		return err
	}
	r.hist.Steps = append(r.hist.Steps, rec)
	fmt.Fprintln(r.log, LogLine(at.Batch, out.Total, r.hist.Terms, out.Terms))
	return r.saveState()
}

func record(at position, out stepOutputs, s regularizers.VariableSparsity) history.StepRecord {
	rec := history.StepRecord{Step: at.Step, Epoch: at.Epoch, Batch: at.Batch, Total: out.Total, Data: out.Data,
		Terms: out.Terms, L1Norm: s.L1, SquaredL2: s.SquaredL2, Zeros: s.Zeros}
	if s.Size > 0 {
		rec.Small = float64(s.Small) / float64(s.Size)
	}
	return rec
}

// finish evaluates, prints the summary and writes the outputs.
func (r *runner) finish() error {
	h, s := r.hist, &r.hist.Summary
	if err := r.evaluateEnd(); err != nil {
		return err
	}
	total, err := r.sparsity()
	if err != nil {
		return err
	}
	s.Params, s.L1Norm, s.SquaredL2 = total.Size, total.L1, total.SquaredL2
	s.Small, s.Zeros = float64(total.Small)/float64(total.Size), total.Zeros
	if err := r.recordHistograms("final"); err != nil {
		return err
	}
	if s.InputL1, err = r.network().InputL1(); err != nil {
		return err
	}
	if s.UnitsKept, err = r.network().UnitsKept(); err != nil {
		return err
	}
	if r.cfg.MaxNorm != 0 {
		norms, err := regularizers.UnitNorms(r.model.RootScope(), regularizers.KernelsOnly, regularizers.OutIn.InputAxis(), 0, r.cfg.MaxNorm)
		if err != nil {
			return err
		}
		s.MaxNormClipped = 0
		for _, n := range norms {
			s.MaxNormClipped += n.AtHi
		}
	}
	h.Status = history.Finished
	r.printSummary()
	if err := r.saveState(); err != nil {
		return err
	}
	if r.out == nil {
		return nil
	}
	for _, write := range r.outputs {
		if err := write(h, r.out.Path); err != nil {
			return err
		}
	}
	return nil
}

func (r *runner) printSummary() {
	h, s, w := r.hist, r.hist.Summary, r.log
	r.printAccuracies()
	if len(h.Steps) > 0 && len(h.Terms) > 0 {
		last := h.Steps[len(h.Steps)-1]
		var parts []string
		for i, name := range h.Terms {
			parts = append(parts, fmt.Sprintf("%s %.5f", name, last.Terms[i]))
		}
		fmt.Fprintf(w, "Last logged penalty terms: %s\n", strings.Join(parts, ", "))
	}
	fmt.Fprintf(w, "Final norms over %d parameters: Σ|w| = %.4g, Σw² = %.4g\n", s.Params, s.L1Norm, s.SquaredL2)
	pruned := ""
	if s.TestEvaluated {
		pruned = fmt.Sprintf("; test accuracy with those set to 0: %.4f", s.PrunedAccuracy)
	}
	fmt.Fprintf(w, "Sparsity: %.2f %% of parameters with |w| < %g, %d exactly zero%s\n",
		100*s.Small, history.SmallWeight, s.Zeros, pruned)
	if len(s.UnitsKept) > 0 {
		fmt.Fprintf(w, "Units kept: %s (hidden layers)\n", history.UnitsLine(s.UnitsKept, h.Config.Hidden))
	}
	if h.Config.MaxNorm != 0 {
		fmt.Fprintf(w, "Max-norm: %d units with incoming weights at the bound %g\n", s.MaxNormClipped, h.Config.MaxNorm)
	}
	fallback := ""
	if h.BackendFallback != "" {
		fallback = " (XLA not used: " + h.BackendFallback + ")"
	}
	fmt.Fprintf(w, "Time: %d steps in %s (%.0f examples/s, first step with compilation %.2fs, peak memory %.0f MiB) on backend %s%s, kernels: %s\n",
		h.StepsDone, (time.Duration(s.TrainSeconds * float64(time.Second))).Round(100*time.Millisecond),
		s.ExamplesPerSecond, s.CompileSeconds, s.PeakRSSMB, h.Backend, fallback, h.Kernels)
}

// sparsity summarizes all trainable parameters.
func (r *runner) sparsity() (regularizers.VariableSparsity, error) {
	report, err := regularizers.Sparsity(r.model.RootScope(), regularizers.AllTrainable, history.SmallWeight)
	if err != nil {
		return regularizers.VariableSparsity{}, err
	}
	return regularizers.Total(report), nil
}

// recordHistograms adds a histogram of each layer's weights to the history.
func (r *runner) recordHistograms(stage string) error {
	// A run that stopped (Ctrl-C) before its first step records them again.
	r.hist.Histograms = slices.DeleteFunc(r.hist.Histograms, func(w history.WeightHistogram) bool { return w.Stage == stage })
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
		r.hist.Histograms = append(r.hist.Histograms, history.NewHistogram(v.Path(), stage, values))
	}
	return nil
}

// prunedAccuracy evaluates the model with every parameter |w| < history.SmallWeight
// set to 0, then restores the parameters.
func (r *runner) prunedAccuracy(ds *data.Set) (float64, error) {
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
				if math.Abs(float64(w)) < history.SmallWeight {
					flat[i] = 0
				}
			}
		})
		saved[v] = original
		if err := v.SetValue(pruned); err != nil {
			return 0, err
		}
	}
	acc, _, err := r.eval.score(ds)
	return acc, err
}

// network is the run's MLP: its variables are at the root of the model.
func (r *runner) network() *layers.Network {
	return &layers.Network{Store: r.model, Hidden: r.cfg.Hidden}
}
