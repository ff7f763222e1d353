package run

import (
	"errors"
	"fmt"
	"math"
	"strings"

	"github.com/regnb/regnb/regnb/history"
	"github.com/regnb/regnb/regularizers"
)

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

func notFinite(v float64) bool { return math.IsNaN(v) || math.IsInf(v, 0) }

// checkFinite returns a DivergedError, and records the step, if a penalty
// term, the data loss or the total is NaN or infinite (named in that order).
// On unlogged steps, which compute the data loss only, the penalties are
// judged by the weights.
func (r *runner) checkFinite(at position, out stepOutputs) error {
	penalty := true
	term, value := "", 0.0
	for i, v := range out.Terms {
		if notFinite(v) {
			term, value = r.hist.Terms[i], v
			break
		}
	}
	if term == "" {
		penalty = false
		switch {
		case notFinite(out.Data):
			term, value = "data loss (cross-entropy)", out.Data
		case notFinite(out.Total):
			term, value = "total loss", out.Total
		default:
			return nil
		}
	}
	if !out.Logged && len(r.hist.Terms) > 0 {
		if s, err := r.sparsity(); err == nil && (notFinite(s.L1) || notFinite(s.SquaredL2)) {
			term, value = fmt.Sprintf("weights (Σ|w| = %v, Σw² = %v) and so the %s term", s.L1, s.SquaredL2,
				strings.Join(r.hist.Terms, " and ")), math.NaN()
			penalty = true
		}
	}
	r.hist.Steps = append(r.hist.Steps, r.divergedRecord(at, out))
	hint := fmt.Sprintf("try a smaller learning rate (-lr, now %g)", r.cfg.LR)
	if penalty {
		hint = fmt.Sprintf("try a smaller penalty strength, or a smaller learning rate (-lr, now %g)", r.cfg.LR)
	}
	switch {
	case r.ckpt != nil && r.hist.Checkpoint != "":
		hint += "; the last good checkpoint (step " + fmt.Sprint(r.hist.CheckpointStep) + ") and the history so far are in " + r.cfg.OutDir
	case r.ckpt != nil:
		hint += "; the history so far is in " + r.cfg.OutDir + " (no checkpoint was saved before this step)"
	}
	return &DivergedError{Step: at.Step, Epoch: at.Epoch, Batch: at.Batch, Term: term, Value: value, Hint: hint}
}

// divergedRecord is the record of a step that diverged: what was computed,
// NaN for what was not (the norms of its weights are not read).
func (r *runner) divergedRecord(at position, out stepOutputs) history.StepRecord {
	rec := record(at, out, regularizers.VariableSparsity{L1: math.NaN(), SquaredL2: math.NaN()})
	rec.Small = math.NaN()
	if !out.Logged {
		rec.Total = math.NaN()
		rec.Terms = make([]float64, len(r.hist.Terms))
		for i := range rec.Terms {
			rec.Terms[i] = math.NaN()
		}
	}
	return rec
}

// joinSaveError adds the error of saving after a failure, if any.
func joinSaveError(err, saveErr error) error {
	if saveErr == nil {
		return err
	}
	return errors.Join(err, saveErr)
}
