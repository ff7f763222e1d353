package history

import (
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strconv"
	"strings"

	"github.com/go-json-experiment/json"
	"github.com/go-json-experiment/json/jsontext"

	"github.com/regnb/regnb/internal/fileutil"
	"github.com/regnb/regnb/regnb/settings"
)

// Sweep is what a sweep of λ leaves behind (sweep.json in its directory):
// each configuration of its grid with its figures over the seeds, the λ
// chosen on the validation split on each path by each rule, and the test
// accuracy of the chosen configurations alone.
type Sweep struct {
	// Axis names the grid's second axis ("" if λ is its only one), e.g.
	// "penalty", "proximal" or "l1-ratio".
	Axis       string       `json:"axis,omitempty"`
	Seeds      []uint64     `json:"seeds"`
	Validation int          `json:"validation"` // Validation images of each run.
	Points     []SweepPoint `json:"points"`     // In the grid's order: by path, then by λ.
}

// The rules by which a sweep chooses λ on each path (SweepPoint.Chosen).
const (
	// ChosenBest: the highest mean validation accuracy.
	ChosenBest = "best mean"
	// ChosenOneSE: glmnet's one-standard-error rule, the largest λ (the
	// most regularized) whose mean validation accuracy is within one
	// standard error of the best mean: mean(λ) ≥ mean(best) − SE(best),
	// SE = sd/√n over the n seeds.
	ChosenOneSE = "1-SE rule"
)

// SweepPoint is one configuration of a sweep's grid, run with each seed.
type SweepPoint struct {
	Label  string  `json:"label"`          // The configuration in words (settings.Config.Label).
	Path   string  `json:"path,omitempty"` // Its value of the second axis: a path's points differ in λ alone.
	Lambda float64 `json:"lambda"`
	// Dirs are the directories of its runs, one per seed, relative to the
	// sweep's directory.
	Dirs     []string `json:"dirs"`
	Finished int      `json:"finished"` // Runs that finished; the figures are theirs.
	Diverged int      `json:"diverged"` // Runs stopped by a NaN or infinite loss.
	// Figures are the runs' figures (Aggregate) over the finished runs.
	Figures []FigureStat `json:"figures"`
	// Chosen lists the rules (ChosenBest, ChosenOneSE) that chose it on its path.
	Chosen []string `json:"chosen,omitempty"`
	// Test is the test accuracy of the runs of a chosen configuration,
	// evaluated once after the choice, TestBySeed each run's; nil for the
	// others, whose runs never evaluated the test set.
	Test       *Stat     `json:"test,omitempty"`
	TestBySeed []float64 `json:"test_by_seed,omitempty"`
}

// Figure returns the named figure of the point (see Figures).
func (p SweepPoint) Figure(name string) (FigureStat, bool) { return Find(p.Figures, name) }

// Rows returns the sweep's table, its header first: per configuration,
// its value of the second axis, λ, the validation accuracy (mean ± sd over
// the seeds) and its standard error, the train − validation gap, the share
// of weights |w| < 1e-3, the hidden units kept, the runs, the rules that
// chose it and, for those alone, the test accuracy.
func (s *Sweep) Rows() [][]string {
	head := []string{"λ", "validation accuracy", "SE", FigGap, "∣w∣ < 1e-3", "units kept", "runs", "chosen", "test accuracy"}
	if s.Axis != "" {
		head = append([]string{s.Axis}, head...)
	}
	rows := [][]string{head}
	for _, p := range s.Points {
		cell := func(name, suffix string) string {
			if f, ok := p.Figure(name); ok {
				return f.String() + suffix
			}
			return "—"
		}
		se := "—"
		if f, ok := p.Figure(FigValidationAccuracy); ok {
			se = fmt.Sprintf("%.4f", f.SE())
		}
		test := ""
		if p.Test != nil {
			test = p.Test.Format("%.4f")
		}
		row := []string{settings.Number(p.Lambda), cell(FigValidationAccuracy, ""), se, cell(FigGap, ""),
			cell(FigSmall, " %"), cell(FigUnitsKept, ""), p.runs(), strings.Join(p.Chosen, ", "), test}
		if s.Axis != "" {
			row = append([]string{p.Path}, row...)
		}
		rows = append(rows, row)
	}
	return rows
}

// runs describes how many of the point's runs finished.
func (p SweepPoint) runs() string {
	if p.Finished == len(p.Dirs) {
		return strconv.Itoa(p.Finished)
	}
	return fmt.Sprintf("%d of %d (%d diverged)", p.Finished, len(p.Dirs), p.Diverged)
}

// CSVRows returns the sweep's table for programs, its header first:
// plain numbers, a column each for the mean, the standard deviation and
// the standard error.
func (s *Sweep) CSVRows() [][]string {
	rows := [][]string{{"path", "lambda", "label", "runs", "finished", "diverged",
		"validation_accuracy_mean", "validation_accuracy_sd", "validation_accuracy_se", "gap_mean",
		"small_pct_mean", "units_kept_mean", "chosen", "test_accuracy_mean", "test_accuracy_sd"}}
	f := func(x float64) string { return strconv.FormatFloat(x, 'g', -1, 64) }
	for _, p := range s.Points {
		val, _ := p.Figure(FigValidationAccuracy)
		gap, _ := p.Figure(FigGap)
		small, _ := p.Figure(FigSmall)
		units, _ := p.Figure(FigUnitsKept)
		test := []string{"", ""}
		if p.Test != nil {
			test = []string{f(p.Test.Mean), f(p.Test.SD)}
		}
		rows = append(rows, append([]string{p.Path, f(p.Lambda), p.Label, strconv.Itoa(len(p.Dirs)),
			strconv.Itoa(p.Finished), strconv.Itoa(p.Diverged), f(val.Mean), f(val.SD), f(val.SE()), f(gap.Mean),
			f(small.Mean), f(units.Mean), strings.Join(p.Chosen, "+")}, test...))
	}
	return rows
}

// SweepFile is the name of a sweep's results in its directory; sweep.csv
// and sweep.md hold its table.
const SweepFile = "sweep.json"

// WriteFiles writes the sweep as sweep.json, its table as sweep.csv
// (CSVRows) and sweep.md (Rows), each in one rename, into dir.
func (s *Sweep) WriteFiles(dir string) error {
	err := fileutil.WriteAtomic(filepath.Join(dir, SweepFile), func(w io.Writer) error {
		return json.MarshalWrite(w, s, nonFinite, jsontext.WithIndent("  "))
	})
	if err != nil {
		return err
	}
	if err := fileutil.WriteAtomic(filepath.Join(dir, "sweep.csv"), func(w io.Writer) error {
		return WriteCSVTable(w, s.CSVRows())
	}); err != nil {
		return err
	}
	return fileutil.WriteAtomic(filepath.Join(dir, "sweep.md"), func(w io.Writer) error {
		return WriteMarkdown(w, s.Rows())
	})
}

// LoadSweep reads the sweep.json of a sweep's directory (or that file).
func LoadSweep(path string) (*Sweep, error) {
	if st, err := os.Stat(path); err == nil && st.IsDir() {
		path = filepath.Join(path, SweepFile)
	}
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	s := &Sweep{}
	if err := json.UnmarshalRead(f, s, nonFinite); err != nil {
		return nil, fmt.Errorf("%s: %w", path, err)
	}
	return s, nil
}
