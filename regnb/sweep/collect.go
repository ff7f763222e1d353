package sweep

import (
	"fmt"
	"path/filepath"
	"strings"

	"github.com/regnb/regnb/regnb/history"
)

// Collect reads the runs of the plan from their directories into a
// history.Sweep and chooses λ on each path (Choose). Every run must have
// finished (or diverged): otherwise the error names each one that has not,
// and what its directory holds.
func Collect(p *Plan) (*history.Sweep, error) {
	g := p.Grid
	s := &history.Sweep{Seeds: g.Seeds, Validation: g.Base.Validation}
	if g.Vary.Setting != "" {
		s.Axis = g.Vary.Setting
	}
	var missing []string
	for _, pt := range p.Points {
		sp := history.SweepPoint{Label: pt.Label, Path: pt.Path, Lambda: pt.Lambda}
		var finished []*history.History
		for _, i := range pt.Jobs {
			j := p.Jobs[i]
			rel, err := filepath.Rel(g.Dir, j.Config.OutDir)
			if err != nil {
				rel = j.Config.OutDir
			}
			sp.Dirs = append(sp.Dirs, rel)
			state, h, err := jobState(j)
			switch {
			case err != nil:
				return nil, err
			case state == stateNew:
				missing = append(missing, j.Config.OutDir+" (no run)")
			case state == stateResume:
				missing = append(missing, fmt.Sprintf("%s (%s at step %d)", j.Config.OutDir, h.Status, h.StepsDone))
			case h.Status == history.Diverged:
				sp.Diverged++
			default:
				finished = append(finished, h)
			}
		}
		sp.Finished = len(finished)
		sp.Figures = history.Aggregate(finished)
		s.Points = append(s.Points, sp)
	}
	if len(missing) > 0 {
		return nil, fmt.Errorf("sweep: %d of %d runs have not finished: %s", len(missing), len(p.Jobs), strings.Join(missing, ", "))
	}
	Choose(s)
	return s, nil
}
