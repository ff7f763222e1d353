package sweep_test

import (
	"testing"

	"github.com/stretchr/testify/assert"

	"github.com/regnb/regnb/regnb/history"
	"github.com/regnb/regnb/regnb/sweep"
)

// point returns a sweep point of path at λ whose validation accuracy over
// its finished seeds has the mean and standard deviation given.
func point(path string, lambda, mean, sd float64, finished, runs int) history.SweepPoint {
	return history.SweepPoint{Path: path, Lambda: lambda, Dirs: make([]string, runs), Finished: finished, Diverged: runs - finished,
		Figures: []history.FigureStat{{Name: history.FigValidationAccuracy, Stat: history.Stat{Mean: mean, SD: sd, N: finished}}}}
}

func chosen(s *history.Sweep) map[string]float64 {
	out := map[string]float64{}
	for _, p := range s.Points {
		for _, rule := range p.Chosen {
			out[p.Path+" "+rule] = p.Lambda
		}
	}
	return out
}

// TestChooseByBothRules: on each path, the best mean, and the largest λ
// within one SE (sd/√n) of it.
func TestChooseByBothRules(t *testing.T) {
	s := &history.Sweep{Points: []history.SweepPoint{
		// Path a, 4 seeds: the best is 1e-4 (0.920, SE 0.02/√4 = 0.01); 1e-3
		// (0.911 ≥ 0.910) is within one SE, 1e-2 (0.905) is not; 1e-1 has a
		// diverged seed and is no candidate, whatever its mean.
		point("a", 1e-2, 0.905, 0.01, 4, 4),
		point("a", 1e-5, 0.900, 0.01, 4, 4),
		point("a", 1e-4, 0.920, 0.02, 4, 4),
		point("a", 1e-3, 0.911, 0.01, 4, 4),
		point("a", 1e-1, 0.990, 0.01, 3, 4),
		// Path b, one seed: SE is 0, both rules pick the best, a tie goes to the larger λ.
		point("b", 0, 0.80, 0, 1, 1),
		point("b", 1, 0.85, 0, 1, 1),
		point("b", 2, 0.85, 0, 1, 1),
		point("b", 3, 0.84999, 0, 1, 1),
		// Path c: every configuration diverged somewhere: no choice.
		point("c", 1, 0.5, 0, 0, 2),
	}}
	sweep.Choose(s)
	assert.Equal(t, map[string]float64{
		"a " + history.ChosenBest: 1e-4, "a " + history.ChosenOneSE: 1e-3,
		"b " + history.ChosenBest: 2, "b " + history.ChosenOneSE: 2,
	}, chosen(s))

	// Choosing again gives the same marks, not twice as many.
	sweep.Choose(s)
	assert.Equal(t, []string{history.ChosenBest}, s.Points[2].Chosen)
}
