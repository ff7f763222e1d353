package sweep

import (
	"fmt"
	"path/filepath"

	"github.com/gomlx/compute"

	"github.com/regnb/regnb/regnb/data"
	"github.com/regnb/regnb/regnb/history"
	"github.com/regnb/regnb/regnb/infer"
	"github.com/regnb/regnb/regnb/run"
)

// EvaluateChosen evaluates each run of the points that a rule chose on the
// test set, once, after the choice: the network at the end of the run, read
// from its checkpoint, through infer's forward pass (the training one, bit
// for bit). It records the mean and spread in the point (Test) and each
// run's accuracy (TestBySeed); the other points' runs never see the test
// set. dir is the sweep's directory.
func EvaluateChosen(s *history.Sweep, dir string, test *data.Set, b compute.Backend) error {
	for i := range s.Points {
		p := &s.Points[i]
		p.Test, p.TestBySeed = nil, nil
		if len(p.Chosen) == 0 {
			continue
		}
		for _, rel := range p.Dirs {
			net, err := run.LoadNetwork(filepath.Join(dir, rel))
			if err != nil {
				return fmt.Errorf("sweep: test accuracy of %s: %w", p.Label, err)
			}
			acc, err := infer.AccuracyOn(b, net, test)
			if err != nil {
				return fmt.Errorf("sweep: test accuracy of %s: %w", p.Label, err)
			}
			p.TestBySeed = append(p.TestBySeed, acc)
		}
		stat := history.NewStat(p.TestBySeed)
		p.Test = &stat
	}
	return nil
}
