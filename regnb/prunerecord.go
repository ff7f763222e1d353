package regnb

import (
	"fmt"
	"path/filepath"
	"slices"

	"github.com/regnb/regnb/regnb/history"
)

// SeedRuns returns the directories dir/seed-N of runs made with each seed
// (TrainEach, TrainSeeds).
func SeedRuns(dir string, seeds []uint64) []string {
	out := make([]string, len(seeds))
	for i, seed := range seeds {
		out[i] = filepath.Join(dir, fmt.Sprintf("seed-%d", seed))
	}
	return out
}

// RecordPruning records (Record) the figures of a run that pruned, then
// fine-tuned, under prefix: .units (hidden units kept), .removed (units
// removed), .before and .after (validation accuracy before and after
// pruning) and .final (after fine-tuning).
func RecordPruning(prefix string, h *History) {
	if h.Pruning == nil {
		Check(fmt.Errorf("%s: the run did not prune", h.Config.OutDir))
	}
	Record(prefix+".units", float64(sumInts(h.Pruning.Kept)))
	Record(prefix+".removed", float64(sumInts(h.Pruning.Hidden)-sumInts(h.Pruning.Kept)))
	Record(prefix+".before", h.Pruning.Before.ValidationAccuracy)
	Record(prefix+".after", h.Pruning.After.ValidationAccuracy)
	Record(prefix+".final", h.Summary.ValidationAccuracy)
}

// RecordPoint records the figures of a sweep's configuration under prefix:
// .lambda, .units (hidden units kept, mean over the seeds) and .validation
// (mean validation accuracy) with .validation_sd.
func RecordPoint(prefix string, p SweepPoint) {
	Record(prefix+".lambda", p.Lambda)
	Record(prefix+".units", units(p))
	if f, ok := p.Figure(history.FigValidationAccuracy); ok {
		Record(prefix+".validation", f.Mean)
		Record(prefix+".validation_sd", f.SD)
	}
}

// RecordChoices records (RecordPoint) each configuration of the sweep s
// that rule chose, under prefix.<path> (prefix alone for a sweep of λ alone).
func RecordChoices(prefix string, s *SweepResult, rule string) {
	for _, p := range s.Points {
		if slices.Contains(p.Chosen, rule) {
			name := prefix
			if p.Path != "" {
				name += "." + p.Path
			}
			RecordPoint(name, p)
		}
	}
}

// RecordTested records each contender's figures under prefix.<Name>:
// .accuracy and .sd (test accuracy over the seeds, in %), .below (how many
// points below the first contender's mean), .units and .nonzero.
func RecordTested(prefix string, ts []Tested) {
	for _, t := range ts {
		p := prefix + "." + t.Name
		Record(p+".accuracy", 100*t.Test.Mean)
		Record(p+".sd", 100*t.Test.SD)
		Record(p+".below", 100*(ts[0].Test.Mean-t.Test.Mean))
		Record(p+".units", t.Units.Mean)
		Record(p+".nonzero", t.NonZero.Mean)
	}
}

// RecordSpeed records, for each batch size B and each network but the
// first, its speed-up over the first (median of the pass-by-pass ratios)
// under prefix.bB.<label>, and whether it is beyond the noise (1 or 0) under
// prefix.bB.<label>_beyond.
func RecordSpeed(prefix string, s *Speed) {
	for b, batch := range s.Batches {
		for n := 1; n < len(s.Nets); n++ {
			p := fmt.Sprintf("%s.b%d.%s", prefix, batch, s.Labels[n])
			up := s.SpeedUp(b, n)
			Record(p, up.Median)
			beyond := 0.0
			if up.BeyondNoise() {
				beyond = 1
			}
			Record(p+"_beyond", beyond)
		}
	}
}
