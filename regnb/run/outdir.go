package run

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"

	"github.com/gomlx/gomlx/ml/model"
	"github.com/regnb/regnb/internal/fileutil"
	"github.com/regnb/regnb/internal/rundir"
	"github.com/regnb/regnb/layers"
	"github.com/regnb/regnb/regnb/history"
)

// openOut takes the run's output directory (see package rundir): a new run
// into one that holds a run writes beside it and takes its name at the end;
// a resume continues the run there. Until release, no other process can
// write there.
func (r *runner) openOut() error {
	name, mode := r.cfg.OutDir, rundir.Replace
	if r.resume != "" {
		name, mode = r.resume, rundir.Continue
	}
	if name == "" {
		return nil
	}
	d, err := rundir.Open(name, mode)
	if err != nil {
		return err
	}
	r.out = d
	return nil
}

// release gives up the output directory at the end of a run: the run takes
// the directory's name if it saved something consistent (finished,
// interrupted, diverged), else the run that was there stays whole.
func (r *runner) release(err error) error {
	if r.out == nil {
		return err
	}
	defer r.out.Close()
	if !r.saved {
		return errors.Join(err, r.out.Discard())
	}
	if markErr := r.out.UpdateMarker(); markErr != nil {
		return errors.Join(err, markErr)
	}
	return errors.Join(err, r.out.Commit())
}

// path is where the run's file name goes now.
func (r *runner) path(name string) string { return filepath.Join(r.out.Path, name) }

// openOutputs attaches the checkpoint (loading it on resume) or the initial
// parameters to the model.
func (r *runner) openOutputs() error {
	if r.out != nil {
		ck, err := openCheckpoint(r.model, r.out.Path, r.resumed)
		if err != nil {
			return err
		}
		r.ckpt = ck
		if r.resume != "" {
			if err := r.checkGlobalStep(); err != nil {
				return err
			}
			r.loadRNGState()
		}
	}
	if r.cfg.InitFrom != "" && r.resume == "" {
		return r.loadInit()
	}
	return nil
}

// loadRNGState takes the state of the store's random number generator
// (dropout's masks) from the checkpoint a resume loads: GoMLX creates that
// variable without asking the checkpoint, which would start it afresh (and,
// loaded later, as a trainable variable).
func (r *runner) loadRNGState() {
	if r.cfg.Dropout == 0 {
		return
	}
	var fresh [3]uint64
	r.model.RootScope().VariableWithValue(model.RNGStateVariableName, fresh[:]).SetTrainable(false)
}

// loadInit loads initial parameters from a file written by layers.SaveParams
// (or bench/torch_train.py --save-init): exactly the MLP's, or an error
// naming what does not fit.
func (r *runner) loadInit() error {
	path := r.cfg.InitFrom
	f, err := os.Open(path)
	if err != nil {
		return fmt.Errorf("init file %s: %w", path, fileutil.Unwrap(err))
	}
	defer f.Close()
	train := r.data.Train
	if err := layers.LoadMLPParams(r.model.RootScope(), f, train.Rows*train.Cols, r.cfg.Hidden, train.NumClasses); err != nil {
		return fmt.Errorf("init file %s: %w", path, err)
	}
	return nil
}

// saveHistory writes history.json (and history.csv, so that the two always
// describe the same run) in one rename each, and records them as the run's.
func (r *runner) saveHistory() error {
	if r.out == nil {
		return nil
	}
	if err := fileutil.WriteAtomic(r.path(history.File), r.hist.WriteJSON); err != nil {
		return err
	}
	if err := fileutil.WriteAtomic(r.path(history.CSVFile), r.hist.WriteCSV); err != nil {
		return err
	}
	r.saved = true
	return r.out.UpdateMarker()
}
