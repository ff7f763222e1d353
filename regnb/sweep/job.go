package sweep

import (
	"context"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"path/filepath"
	"strings"

	"github.com/regnb/regnb/regnb/data"
	"github.com/regnb/regnb/regnb/history"
	"github.com/regnb/regnb/regnb/run"
	"github.com/regnb/regnb/regnb/settings"
)

// The states of a job's directory.
const (
	stateNew      = "new"      // No run there yet.
	stateDone     = "done"     // A run of the job's settings finished, or diverged.
	stateResume   = "resume"   // A run of the job's settings was interrupted (or ran shorter).
	stateConflict = "conflict" // A run of other settings is there.
)

// jobState tells what the job's directory holds and, for a conflict, why.
func jobState(j Job) (string, *history.History, error) {
	h, err := history.Load(j.Config.OutDir)
	if errors.Is(err, fs.ErrNotExist) {
		return stateNew, nil, nil
	}
	if err != nil {
		return stateConflict, nil, err
	}
	saved, given := h.Config, j.Config
	saved.OutDir, given.OutDir = "", ""
	var fixed, resumable []string
	for _, s := range settings.Changes(saved, given) {
		change := fmt.Sprintf("%s (there %s, the sweep's %s)", s.Name(), s.Format(saved), s.Format(given))
		if s.Resumable {
			resumable = append(resumable, change)
		} else {
			fixed = append(fixed, change)
		}
	}
	switch {
	case len(fixed) > 0:
		return stateConflict, h, fmt.Errorf("%s holds a run of other settings: %s; use another directory or remove it",
			j.Config.OutDir, strings.Join(fixed, ", "))
	case h.Status == history.Diverged, h.Status == history.Finished && len(resumable) == 0:
		return stateDone, h, nil
	}
	return stateResume, h, nil
}

// RunJob runs job i of the plan in its directory, its log lines to log:
// nothing if a run of its settings finished or diverged there, a resume if
// one was interrupted (or, finished, may run longer: more epochs or steps),
// else a new run. A run that diverges is a result (its history says so),
// not an error. d is the data, loaded once for several jobs; nil loads it.
func RunJob(ctx context.Context, p *Plan, i int, d *data.TrainTest, log io.Writer) error {
	if i < 0 || i >= len(p.Jobs) {
		return fmt.Errorf("sweep: index = %d: the grid has runs 0 to %d", i, len(p.Jobs)-1)
	}
	j := p.Jobs[i]
	state, _, err := jobState(j)
	if err != nil || state == stateDone {
		return err
	}
	if d == nil {
		if d, err = data.Load(j.Config.DataDir); err != nil {
			return err
		}
	}
	opts := []run.Option{run.WithData(d), run.WithLog(log), run.WithProgress(run.NoProgress{})}
	if state == stateResume {
		opts = append(opts, run.WithResume(j.Config.OutDir))
	}
	_, err = run.Train(ctx, j.Config, opts...)
	var diverged *run.DivergedError
	if errors.As(err, &diverged) {
		fmt.Fprintf(log, "regnb: %v\n", err)
		return nil
	}
	return err
}

// logFile is the file of job j's log lines, in the sweep's logs directory.
func (p *Plan) logFile(j Job) string {
	return filepath.Join(p.Grid.Dir, "logs", fmt.Sprintf("%s-seed-%d.log", p.Points[j.Point].Key, j.Config.Seed))
}
