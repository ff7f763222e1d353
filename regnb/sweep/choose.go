package sweep

import (
	"math"

	"github.com/regnb/regnb/regnb/history"
)

// Choose marks, on each path of s (the points that differ in λ alone), the
// λ chosen by each rule, on the validation accuracy over the seeds:
//
//   - history.ChosenBest: the highest mean validation accuracy;
//   - history.ChosenOneSE: glmnet's one-standard-error rule, the largest λ —
//     the most regularized — whose mean is within one standard error of the
//     best mean: mean(λ) ≥ mean(best) − SE(best), SE = sd/√n, the sample
//     standard deviation over the n seeds divided by √n (glmnet's cvsd,
//     with seeds in place of its folds). With one seed SE is 0 and the rule
//     chooses the best λ (or a larger one that ties it).
//
// A point is a candidate only if every one of its runs finished: a λ with a
// diverged seed is not chosen. Ties go to the larger λ. A path without
// candidates has no choice.
func Choose(s *history.Sweep) {
	for i := range s.Points {
		s.Points[i].Chosen = nil
	}
	for _, path := range paths(s) {
		best := -1
		for _, i := range path {
			if candidate(s.Points[i]) && (best < 0 || mean(s.Points[i]) >= mean(s.Points[best])) {
				best = i
			}
		}
		if best < 0 {
			continue
		}
		f, _ := s.Points[best].Figure(history.FigValidationAccuracy)
		threshold, oneSE := f.Mean-f.SE(), best
		for _, i := range path {
			if candidate(s.Points[i]) && mean(s.Points[i]) >= threshold && s.Points[i].Lambda >= s.Points[oneSE].Lambda {
				oneSE = i
			}
		}
		s.Points[best].Chosen = append(s.Points[best].Chosen, history.ChosenBest)
		s.Points[oneSE].Chosen = append(s.Points[oneSE].Chosen, history.ChosenOneSE)
	}
}

// paths returns the indices of s's points by path, each path's in order of
// increasing λ (ties in mean then go to the larger λ).
func paths(s *history.Sweep) [][]int {
	var order []string
	byPath := map[string][]int{}
	for i, p := range s.Points {
		if _, seen := byPath[p.Path]; !seen {
			order = append(order, p.Path)
		}
		byPath[p.Path] = append(byPath[p.Path], i)
	}
	out := make([][]int, len(order))
	for k, path := range order {
		idx := byPath[path]
		for a := 1; a < len(idx); a++ { // Insertion sort by λ: a handful of points.
			for b := a; b > 0 && s.Points[idx[b]].Lambda < s.Points[idx[b-1]].Lambda; b-- {
				idx[b], idx[b-1] = idx[b-1], idx[b]
			}
		}
		out[k] = idx
	}
	return out
}

func candidate(p history.SweepPoint) bool {
	return p.Finished == len(p.Dirs) && p.Finished > 0 && !math.IsNaN(mean(p)) && !math.IsInf(mean(p), 0)
}

func mean(p history.SweepPoint) float64 {
	f, ok := p.Figure(history.FigValidationAccuracy)
	if !ok {
		return math.NaN()
	}
	return f.Mean
}
