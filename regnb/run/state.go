package run

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"reflect"
	"regexp"
	"slices"
	"strconv"
	"strings"

	"github.com/gomlx/gomlx/ml/model"
	"github.com/gomlx/gomlx/ml/model/checkpoint"
	"github.com/regnb/regnb/internal/fileutil"
	"github.com/regnb/regnb/regnb/history"
	"github.com/regnb/regnb/regnb/settings"
)

// A run's saved state is its GoMLX checkpoint (weights, optimizer state,
// global step) in OUT/checkpoint and its history in OUT/history.json. Saving
// writes a new checkpoint next to the previous one (two are kept), then
// history.json, naming the new checkpoint, renamed into place: that rename
// switches both at once. A crash before it leaves the previous history, which
// names the previous checkpoint; a resume loads the checkpoint the history
// names and removes any newer one.

// CheckpointDir is the directory of a run's checkpoints in its output directory.
const CheckpointDir = "checkpoint"

// afterCheckpointHook runs between the two writes; tests use it to crash there.
var afterCheckpointHook = func(step int) {}

// checkpointer keeps a run's model in GoMLX's checkpoint format.
type checkpointer struct {
	handler *checkpoint.Handler
}

// openCheckpoint attaches OUT/checkpoint to store. A new run removes any
// checkpoint there first; a resume loads the checkpoint named committed (or,
// for a history that names none, the latest, which must be from step
// stepsDone).
func openCheckpoint(store *model.Store, outDir, committed string, resume bool, stepsDone int) (*checkpointer, error) {
	dir := filepath.Join(outDir, CheckpointDir)
	if !resume {
		if err := os.RemoveAll(dir); err != nil {
			return nil, fmt.Errorf("output directory %s: cannot clear the old checkpoint: %w", outDir, err)
		}
	} else if err := keepCommitted(dir, committed, stepsDone); err != nil {
		return nil, fmt.Errorf("resume %s: %w", outDir, err)
	}
	// Variables are loaded lazily, as the graphs create them, so that each keeps
	// the attributes its creator gives it (trainable or not).
	h, err := checkpoint.Build(store).Dir(dir).Keep(2).Done()
	if err != nil {
		return nil, fmt.Errorf("checkpoint in %s: %w", dir, err)
	}
	return &checkpointer{handler: h}, nil
}

// keepCommitted removes the checkpoints in dir newer than committed, which
// must exist. With no committed name, the latest checkpoint must be from
// step stepsDone.
func keepCommitted(dir, committed string, stepsDone int) error {
	names, err := checkpointNames(dir)
	if err != nil {
		return fmt.Errorf("no checkpoint there (%w)", fileutil.Unwrap(err))
	}
	if committed == "" {
		if len(names) == 0 {
			return errors.New("no checkpoint there")
		}
		if step := checkpointStep(names[len(names)-1]); step != stepsDone {
			return fmt.Errorf("the history is at step %d but the checkpoint at step %d", stepsDone, step)
		}
		return nil
	}
	if !slices.Contains(names, committed) {
		return fmt.Errorf("the checkpoint %s that the history names is missing", committed)
	}
	for _, name := range names {
		if name > committed { // Written after the history was: never committed.
			for _, suffix := range []string{checkpoint.JsonNameSuffix, checkpoint.BinDataSuffix} {
				if err := os.Remove(filepath.Join(dir, name+suffix)); err != nil && !errors.Is(err, os.ErrNotExist) {
					return err
				}
			}
		}
	}
	return nil
}

// checkpointNames lists the checkpoints in dir, oldest first.
func checkpointNames(dir string) ([]string, error) {
	entries, err := os.ReadDir(dir)
	if err != nil {
		return nil, err
	}
	var names []string
	for _, e := range entries {
		if name, ok := strings.CutSuffix(e.Name(), checkpoint.JsonNameSuffix); ok && strings.HasPrefix(name, "checkpoint-") {
			names = append(names, name)
		}
	}
	slices.Sort(names) // GoMLX numbers them: checkpoint-n0000003-….
	return names, nil
}

var stepSuffix = regexp.MustCompile(`-step-(\d+)$`)

// checkpointStep returns the global step in a checkpoint's name (-1 if none).
func checkpointStep(name string) int {
	m := stepSuffix.FindStringSubmatch(name)
	if m == nil {
		return -1
	}
	step, _ := strconv.Atoi(m[1])
	return step
}

// save writes a new checkpoint and returns its name.
func (c *checkpointer) save() (string, error) {
	if err := c.handler.Save(); err != nil {
		return "", fmt.Errorf("saving checkpoint in %s: %w", c.handler.Dir(), err)
	}
	names, err := checkpointNames(c.handler.Dir())
	if err != nil || len(names) == 0 {
		return "", fmt.Errorf("saving checkpoint in %s: not found after saving (%v)", c.handler.Dir(), err)
	}
	return names[len(names)-1], nil
}

// saveState writes a checkpoint and then the history that names it, if there
// is an output directory.
func (r *runner) saveState() error {
	if r.ckpt == nil {
		return nil
	}
	name, err := r.ckpt.save()
	if err != nil {
		return err
	}
	afterCheckpointHook(r.hist.StepsDone)
	r.hist.Checkpoint, r.hist.CheckpointStep = name, r.hist.StepsDone
	return r.saveHistory()
}

// saveHistory writes history.json in one rename (a crash never leaves half a file).
func (r *runner) saveHistory() error {
	if r.cfg.OutDir == "" {
		return nil
	}
	return fileutil.WriteAtomic(filepath.Join(r.cfg.OutDir, history.File), r.hist.WriteJSON)
}

// interrupted saves what there is and returns ErrInterrupted.
func (r *runner) interrupted() error {
	r.hist.Status = "interrupted"
	r.finishTiming()
	if err := r.saveState(); err != nil {
		return errors.Join(ErrInterrupted, err)
	}
	where := ""
	if r.cfg.OutDir != "" {
		where = fmt.Sprintf("; history and checkpoint saved in %s (continue with -resume %s)", r.cfg.OutDir, r.cfg.OutDir)
	}
	return fmt.Errorf("%w at step %d%s", ErrInterrupted, r.hist.StepsDone, where)
}

// ResumeConfig returns the configuration of the run saved in dir, to be
// changed at most in the resumable settings (settings.Resumable) and passed
// to Train with WithResume(dir).
func ResumeConfig(dir string) (settings.Config, error) {
	h, err := history.Load(dir)
	if err != nil {
		return settings.Config{}, fmt.Errorf("resume %s: %w", dir, err)
	}
	cfg := h.Config
	cfg.OutDir = dir
	return cfg, nil
}

// loadResume reads the history saved in r.resume and checks that the run can
// continue with r.cfg.
func (r *runner) loadResume() error {
	dir := r.resume
	h, err := history.Load(dir)
	if err != nil {
		return fmt.Errorf("resume %s: %w", dir, err)
	}
	if h.Status == "diverged" {
		return fmt.Errorf("resume %s: the run diverged at step %d; continuing from its last checkpoint (step %d) "+
			"with the same settings would diverge again: start a new run with a smaller learning rate or penalty",
			dir, h.StepsDone, h.CheckpointStep)
	}
	if h.Checkpoint != "" && h.CheckpointStep != h.StepsDone {
		return fmt.Errorf("resume %s: the history is at step %d but its checkpoint at step %d", dir, h.StepsDone, h.CheckpointStep)
	}
	cfg, err := resumeConfig(h.Config, r.cfg, dir)
	if err != nil {
		return fmt.Errorf("resume %s: %w", dir, err)
	}
	h.Config = cfg
	h.Histograms = slices.DeleteFunc(h.Histograms, func(w history.WeightHistogram) bool { return w.Stage == "final" })
	r.cfg, r.hist = cfg, h
	return nil
}

// resumeConfig returns given (saved if given is zero) with its output
// directory set to dir, or an error naming each setting it changes that a
// resume cannot honour, with both values.
func resumeConfig(saved, given settings.Config, dir string) (settings.Config, error) {
	if reflect.ValueOf(given).IsZero() {
		given = saved
	}
	var refused []string
	if given.OutDir != "" && filepath.Clean(given.OutDir) != filepath.Clean(dir) && given.OutDir != saved.OutDir {
		refused = append(refused, fmt.Sprintf("out (the run is in %s, given %s)", dir, given.OutDir))
	}
	given.OutDir = saved.OutDir
	for _, s := range settings.Changes(saved, given) {
		if !s.Resumable {
			refused = append(refused, fmt.Sprintf("%s (saved %s, given %s)", s.Name(), s.Format(saved), s.Format(given)))
		}
	}
	if len(refused) > 0 {
		return settings.Config{}, fmt.Errorf("cannot change %s of a saved run (a resume may change %s)",
			strings.Join(refused, ", "), strings.Join(settings.Resumable(), ", "))
	}
	given.OutDir = dir
	return given, nil
}
