package regnb

import (
	"context"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"

	"gonum.org/v1/plot"
)

// Compare trains each configuration in turn (on data and a backend loaded
// once), writes each run's outputs under outDir/<example>-<i>, and writes
// side-by-side plots and a summary table (summary.md, summary.csv) to outDir.
// It returns the histories of the runs done so far, also on error.
func Compare(ctx context.Context, cfgs []Config, outDir string, opts ...Option) ([]*History, error) {
	if len(cfgs) == 0 {
		return nil, fmt.Errorf("compare: no configuration given")
	}
	if err := checkWritable(outDir); err != nil {
		return nil, err
	}
	shared := &runner{log: os.Stdout}
	for _, opt := range opts {
		opt(shared)
	}
	if shared.data == nil {
		d, err := LoadData(cfgs[0].DataDir)
		if err != nil {
			return nil, err
		}
		opts = append(opts, WithData(d))
	}
	if shared.backend == nil {
		b, config, err := backendFor(cfgs[0])
		if err != nil {
			return nil, err
		}
		opts = append(opts, withBackend(b, config))
	}
	var hs []*History
	for i, cfg := range cfgs {
		cfg.OutDir = filepath.Join(outDir, fmt.Sprintf("%d-%s", i+1, cfg.Example))
		if shared.log != nil {
			fmt.Fprintf(shared.log, "=== %s\n", cfg.OutDir)
		}
		h, err := Train(ctx, cfg, opts...)
		if h != nil {
			hs = append(hs, h)
		}
		if err != nil {
			return hs, fmt.Errorf("%s: %w", cfg.OutDir, err)
		}
	}
	if err := WriteComparison(hs, outDir); err != nil {
		return hs, err
	}
	if shared.log != nil {
		fmt.Fprintln(shared.log)
		_ = SummaryTable(hs, shared.log)
		fmt.Fprintf(shared.log, "\nWrote the comparison to %s\n", outDir)
	}
	return hs, nil
}

// WriteComparison writes the side-by-side plots and the summary table of
// several runs into dir.
func WriteComparison(hs []*History, dir string) error {
	for name, p := range map[string]*plot.Plot{
		"accuracy": AccuracyPlot(hs...), "sparsity": SparsityPlot(hs...), "norms": NormsPlot(hs...),
		"data-loss": DataLossPlot(hs...),
	} {
		if err := SavePlot(p, filepath.Join(dir, name)); err != nil {
			return err
		}
	}
	if err := writeFileAtomic(filepath.Join(dir, "summary.md"), func(w io.Writer) error { return SummaryTable(hs, w) }); err != nil {
		return err
	}
	return writeFileAtomic(filepath.Join(dir, "summary.csv"), func(w io.Writer) error { return SummaryCSV(hs, w) })
}

// DataLossPlot draws the data loss (cross-entropy) of several runs.
func DataLossPlot(hs ...*History) *plot.Plot {
	p := newPlot("Data loss (cross-entropy)", "step", "loss (log scale)")
	drawn := false
	for i, h := range hs {
		var xs, ys []float64
		for _, r := range h.Steps {
			xs, ys = append(xs, float64(r.Step)), append(ys, r.Data)
		}
		drawn = addLine(p, h.Name(), i, false, true, xs, ys) || drawn
	}
	useLogY(p, drawn)
	return p
}

// summaryRows returns the summary table's header and rows.
func summaryRows(hs []*History) [][]string {
	rows := [][]string{{"run", "test accuracy", "Σ∣w∣", "Σw²", fmt.Sprintf("∣w∣ < %g", SmallWeight), "exact zeros", "steps", "time (s)", "examples/s"}}
	for _, h := range hs {
		s := h.Summary
		rows = append(rows, []string{h.Name(), fmt.Sprintf("%.4f", s.TestAccuracy), fmt.Sprintf("%.4g", s.L1Norm),
			fmt.Sprintf("%.4g", s.SquaredL2), fmt.Sprintf("%.2f %%", 100*s.Small), fmt.Sprint(s.Zeros),
			fmt.Sprint(h.StepsDone), fmt.Sprintf("%.1f", s.TrainSeconds), fmt.Sprintf("%.0f", s.ExamplesPerSecond)})
	}
	return rows
}

// SummaryTable writes a Markdown table of the runs' results.
func SummaryTable(hs []*History, w io.Writer) error {
	rows := summaryRows(hs)
	for i, row := range rows {
		if _, err := fmt.Fprintf(w, "| %s |\n", strings.Join(row, " | ")); err != nil {
			return err
		}
		if i == 0 {
			fmt.Fprintf(w, "|%s\n", strings.Repeat("---|", len(row)))
		}
	}
	return nil
}

// SummaryCSV writes the runs' results as CSV.
func SummaryCSV(hs []*History, w io.Writer) error {
	for _, row := range summaryRows(hs) {
		if _, err := fmt.Fprintln(w, csvLine(row)); err != nil {
			return err
		}
	}
	return nil
}

func csvLine(fields []string) string {
	out := make([]string, len(fields))
	for i, f := range fields {
		if strings.ContainsAny(f, ",\"\n") {
			f = `"` + strings.ReplaceAll(f, `"`, `""`) + `"`
		}
		out[i] = f
	}
	return strings.Join(out, ",")
}
