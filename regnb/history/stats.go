package history

import (
	"fmt"
	"math"
	"slices"
)

// Stat is the mean and spread of one figure over several runs of the same
// configuration (its seeds).
type Stat struct {
	Mean float64 `json:"mean"`
	// SD is the sample standard deviation, √(Σ(x−mean)²/(N−1)); 0 for one run.
	SD  float64 `json:"sd"`
	Min float64 `json:"min"`
	Max float64 `json:"max"`
	N   int     `json:"n"`
}

// NewStat summarizes xs (a Stat of N 0 if xs is empty).
func NewStat(xs []float64) Stat {
	s := Stat{N: len(xs)}
	if s.N == 0 {
		return s
	}
	s.Min, s.Max = slices.Min(xs), slices.Max(xs)
	for _, x := range xs {
		s.Mean += x
	}
	s.Mean /= float64(s.N)
	if s.N > 1 {
		ss := 0.0
		for _, x := range xs {
			ss += (x - s.Mean) * (x - s.Mean)
		}
		s.SD = math.Sqrt(ss / float64(s.N-1))
	}
	return s
}

// SE is the standard error of the mean, SD/√N: the spread of the mean
// itself, glmnet's cvsd (with seeds in place of its folds).
func (s Stat) SE() float64 {
	if s.N == 0 {
		return math.NaN()
	}
	return s.SD / math.Sqrt(float64(s.N))
}

// Format writes the mean and the standard deviation with verb, e.g.
// "0.9412 ± 0.0021" for "%.4f"; only the mean for one run.
func (s Stat) Format(verb string) string {
	if s.N <= 1 {
		return fmt.Sprintf(verb, s.Mean)
	}
	return fmt.Sprintf(verb+" ± "+verb, s.Mean, s.SD)
}

// Figure is a number a run ends with, by name, for tables of several runs.
type Figure struct {
	Name string
	Verb string // Its format, e.g. "%.4f".
	// Of returns the figure of a finished run, and false if the run does not
	// have it (no validation split, the test set not evaluated, …).
	Of func(h *History) (float64, bool)
}

// The names of the figures that sweeps choose by and report.
const (
	FigValidationAccuracy = "validation accuracy"
	FigGap                = "train − validation"
	FigTestAccuracy       = "test accuracy"
	FigSmall              = "∣w∣ < 1e-3 (%)"
	FigUnitsKept          = "hidden units kept"
)

// Figures lists the figures of a run that seed summaries report, in order.
var Figures = []Figure{
	{FigValidationAccuracy, "%.4f", func(h *History) (float64, bool) {
		return h.Summary.ValidationAccuracy, h.Config.Validation > 0
	}},
	{"validation loss", "%.4f", func(h *History) (float64, bool) { return h.Summary.ValidationLoss, h.Config.Validation > 0 }},
	{"train accuracy", "%.4f", func(h *History) (float64, bool) { return h.Summary.TrainAccuracy, true }},
	{FigGap, "%.4f", func(h *History) (float64, bool) {
		return h.Summary.TrainAccuracy - h.Summary.ValidationAccuracy, h.Config.Validation > 0
	}},
	{FigTestAccuracy, "%.4f", func(h *History) (float64, bool) { return h.Summary.TestAccuracy, h.Summary.TestEvaluated }},
	{FigSmall, "%.2f", func(h *History) (float64, bool) { return 100 * h.Summary.Small, true }},
	{"exact zeros", "%.0f", func(h *History) (float64, bool) { return float64(h.Summary.Zeros), true }},
	{FigUnitsKept, "%.1f", func(h *History) (float64, bool) {
		total := 0
		for _, k := range h.Summary.UnitsKept {
			total += k
		}
		return float64(total), len(h.Summary.UnitsKept) > 0
	}},
	{"Σ∣w∣", "%.4g", func(h *History) (float64, bool) { return h.Summary.L1Norm, true }},
	{"train time (s)", "%.1f", func(h *History) (float64, bool) { return h.Summary.TrainSeconds, true }},
}

// FigureStat is a figure over several runs.
type FigureStat struct {
	Name string `json:"name"`
	Stat `json:",inline"`
}

// String writes the mean ± standard deviation in the figure's format.
func (f FigureStat) String() string {
	verb := "%.4g"
	if i := slices.IndexFunc(Figures, func(g Figure) bool { return g.Name == f.Name }); i >= 0 {
		verb = Figures[i].Verb
	}
	return f.Format(verb)
}

// Aggregate returns the mean and spread over the runs hs (one configuration,
// several seeds) of each figure that all of them have, in Figures' order.
func Aggregate(hs []*History) []FigureStat {
	var out []FigureStat
	for _, f := range Figures {
		xs, all := make([]float64, 0, len(hs)), len(hs) > 0
		for _, h := range hs {
			x, ok := f.Of(h)
			all = all && ok
			xs = append(xs, x)
		}
		if all {
			out = append(out, FigureStat{Name: f.Name, Stat: NewStat(xs)})
		}
	}
	return out
}

// Find returns the figure named name in fs.
func Find(fs []FigureStat, name string) (FigureStat, bool) {
	i := slices.IndexFunc(fs, func(f FigureStat) bool { return f.Name == name })
	if i < 0 {
		return FigureStat{}, false
	}
	return fs[i], true
}

// SeedRows returns a table of the figures of the runs hs — one
// configuration, several seeds — its header first: each figure's mean ±
// standard deviation, its smallest and largest value, then its value in
// each run (the column named by the run's seed).
func SeedRows(hs []*History) [][]string {
	head := []string{"figure", "mean ± sd", "min", "max"}
	for _, h := range hs {
		head = append(head, fmt.Sprintf("seed %d", h.Config.Seed))
	}
	rows := [][]string{head}
	for _, fs := range Aggregate(hs) {
		f := Figures[slices.IndexFunc(Figures, func(f Figure) bool { return f.Name == fs.Name })]
		row := []string{fs.Name, fs.String(), fmt.Sprintf(f.Verb, fs.Min), fmt.Sprintf(f.Verb, fs.Max)}
		for _, h := range hs {
			x, _ := f.Of(h)
			row = append(row, fmt.Sprintf(f.Verb, x))
		}
		rows = append(rows, row)
	}
	return rows
}
