package history

import (
	"encoding/csv"
	"fmt"
	"io"
	"strings"
)

// SummaryRows returns a table of the runs' results, its header first: the
// run's label, train, validation and test accuracy ("—" for a run without a
// validation split, or that did not evaluate the test set), norms, small and
// zero parameters, steps, time and speed.
func SummaryRows(hs []*History) [][]string {
	rows := [][]string{{"run", "train accuracy", "validation accuracy", "test accuracy", "Σ∣w∣", "Σw²",
		fmt.Sprintf("∣w∣ < %g", SmallWeight), "exact zeros", "steps", "time (s)", "examples/s"}}
	for _, h := range hs {
		s := h.Summary
		val, test := "—", "—"
		if h.Config.Validation > 0 {
			val = fmt.Sprintf("%.4f", s.ValidationAccuracy)
		}
		if s.TestEvaluated {
			test = fmt.Sprintf("%.4f", s.TestAccuracy)
		}
		rows = append(rows, []string{h.Name(), fmt.Sprintf("%.4f", s.TrainAccuracy), val, test, fmt.Sprintf("%.4g", s.L1Norm),
			fmt.Sprintf("%.4g", s.SquaredL2), fmt.Sprintf("%.2f %%", 100*s.Small), fmt.Sprint(s.Zeros),
			fmt.Sprint(h.StepsDone), fmt.Sprintf("%.1f", s.TrainSeconds), fmt.Sprintf("%.0f", s.ExamplesPerSecond)})
	}
	return rows
}

// WriteMarkdown writes rows as a Markdown table, the first row its header.
func WriteMarkdown(w io.Writer, rows [][]string) error {
	for i, row := range rows {
		if _, err := fmt.Fprintf(w, "| %s |\n", strings.Join(row, " | ")); err != nil {
			return err
		}
		if i == 0 {
			if _, err := fmt.Fprintf(w, "|%s\n", strings.Repeat("---|", len(row))); err != nil {
				return err
			}
		}
	}
	return nil
}

// WriteCSVTable writes rows as CSV.
func WriteCSVTable(w io.Writer, rows [][]string) error {
	cw := csv.NewWriter(w)
	if err := cw.WriteAll(rows); err != nil {
		return err
	}
	return cw.Error()
}
