package run

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"reflect"
	"slices"
	"strings"

	"github.com/gomlx/gomlx/ml/model"
	"github.com/gomlx/gomlx/ml/model/checkpoint"
	"github.com/gomlx/gomlx/ml/train/optimizer"
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
// names, checks its global step against the history's, and removes the one
// newer checkpoint such a crash can leave.

// CheckpointDir is the directory of a run's checkpoints in its output directory.
const CheckpointDir = "checkpoint"

// afterCheckpointHook runs between the two writes; tests use it to crash there.
var afterCheckpointHook = func(step int) {}

// checkpointer keeps a run's model in GoMLX's checkpoint format.
type checkpointer struct {
	handler *checkpoint.Handler
}

// openCheckpoint attaches OUT/checkpoint to store; on resume (the history
// read from disk), after keeping only the checkpoint it names (see
// keepCommitted). Checkpoints are
// written uncompressed: GoMLX v0.28.2's gzip writer closes its gzip layer but
// not the file (bench/README.md, upstream cases), which leaves a file
// descriptor open per save; uncompressed, its writer closes the file.
func openCheckpoint(store *model.Store, outDir string, resume *history.History) (*checkpointer, error) {
	dir := filepath.Join(outDir, CheckpointDir)
	if resume != nil {
		if err := keepCommitted(dir, resume.Checkpoint, resume.Status); err != nil {
			return nil, fmt.Errorf("resume %s: %w", outDir, err)
		}
	}
	// Variables are loaded lazily, as the graphs create them, so that each keeps
	// the attributes its creator gives it (trainable or not).
	h, err := checkpoint.Build(store).Dir(dir).Keep(2).WithCompression(checkpoint.BinUncompressed).Done()
	if err != nil {
		return nil, fmt.Errorf("checkpoint in %s: %w", dir, err)
	}
	return &checkpointer{handler: h}, nil
}

// keepCommitted checks the checkpoints of a run to resume: the one the
// history names (committed; the latest if it names none) must be there, and
// at most one newer, which a crash between the two writes of a save leaves
// (its history still says "running") and which is removed. Anything else is
// not such a crash's leftover (a history copied from an older state of the
// run, say): the resume is refused and nothing is removed.
func keepCommitted(dir, committed, status string) error {
	names, err := listCheckpoints(dir)
	if err != nil || len(names) == 0 {
		return fmt.Errorf("no checkpoint there (%v)", err)
	}
	if committed == "" {
		return nil
	}
	i := slices.Index(names, committed)
	if i < 0 {
		return fmt.Errorf("the checkpoint %s that the history names is missing", committed)
	}
	newer := names[i+1:]
	if len(newer) > 0 && status != history.Running {
		return fmt.Errorf("the history (status %s) names checkpoint %s but a newer one is there (%s): not what an interrupted save leaves; "+
			"was the history copied from an older state of the run?", status, committed, strings.Join(newer, ", "))
	}
	if len(newer) > 1 {
		return fmt.Errorf("the history names checkpoint %s but %d newer ones are there (%s): not what an interrupted save leaves; "+
			"was the history copied from an older state of the run?", committed, len(newer), strings.Join(newer, ", "))
	}
	for _, name := range newer { // Written after the history was: never committed.
		for _, suffix := range []string{checkpoint.JsonNameSuffix, checkpoint.BinDataSuffix} {
			if err := os.Remove(filepath.Join(dir, name+suffix)); err != nil && !errors.Is(err, os.ErrNotExist) {
				return err
			}
		}
	}
	return nil
}

// listCheckpoints lists the checkpoints in dir, oldest first, as GoMLX's
// Handler.ListCheckpoints does (whose Handler loads the latest on creation:
// too early for keepCommitted).
func listCheckpoints(dir string) ([]string, error) {
	entries, err := os.ReadDir(dir)
	if err != nil {
		return nil, fileutil.Unwrap(err)
	}
	var names []string
	for _, e := range entries {
		if name, ok := strings.CutSuffix(e.Name(), checkpoint.JsonNameSuffix); ok && !e.IsDir() {
			names = append(names, name)
		}
	}
	slices.Sort(names) // GoMLX numbers them: checkpoint-n0000003-….
	return names, nil
}

// save writes a new checkpoint and returns its name.
func (c *checkpointer) save() (string, error) {
	if err := c.handler.Save(); err != nil {
		return "", fmt.Errorf("saving checkpoint in %s: %w", c.handler.Dir(), err)
	}
	names, err := c.handler.ListCheckpoints()
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

// interrupted saves what there is and returns ErrInterrupted.
func (r *runner) interrupted() error {
	r.hist.Status = history.Interrupted
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
	h, err := history.Load(r.out.Path)
	if err == nil {
		err = h.Check()
	}
	if err != nil {
		return fmt.Errorf("resume %s: %w", dir, err)
	}
	if h.Status == history.Diverged {
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
	if err := cfg.Validate(); err != nil {
		return fmt.Errorf("resume %s: %w", dir, err)
	}
	h.Config = cfg
	h.Histograms = slices.DeleteFunc(h.Histograms, func(w history.WeightHistogram) bool { return w.Stage == "final" })
	onDisk := *h
	r.cfg, r.hist, r.resumed = cfg, h, &onDisk
	// The plots of a finished run describe its old end: the run rewrites them
	// when it ends again.
	return r.out.Remove(func(name string) bool { return filepath.Ext(name) == ".svg" || filepath.Ext(name) == ".png" })
}

// checkResumeLength refuses settings that would end a resumed run before
// the steps it already did (its history would contradict itself).
func (r *runner) checkResumeLength() error {
	if p := r.plan(); p.totalSteps < r.hist.StepsDone {
		return fmt.Errorf("resume %s: epochs = %d, max-steps = %d end the run at step %d, before the %d steps it already did",
			r.resume, r.cfg.Epochs, r.cfg.MaxSteps, p.totalSteps, r.hist.StepsDone)
	}
	return nil
}

// checkGlobalStep cross-checks the global step of the checkpoint a resume
// loaded with its history's.
func (r *runner) checkGlobalStep() error {
	if step := int(optimizer.GetGlobalStep(r.model)); step != r.hist.CheckpointStep {
		return fmt.Errorf("resume %s: its checkpoint %s is at step %d, its history at step %d",
			r.resume, r.hist.Checkpoint, step, r.hist.CheckpointStep)
	}
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
