package experiment

import (
	"context"
	"encoding/csv"
	"fmt"
	"io"
	"path/filepath"
	"strings"

	"github.com/regnb/regnb/internal/backend"
	"github.com/regnb/regnb/regnb/data"
)

// Compare trains each configuration in turn (on data and a backend loaded
// once), writes each run's outputs under outDir/<i>-<example>, and writes a
// summary table of the runs (summary.md, summary.csv) to outDir. It returns
// the histories of the runs done so far, also on error.
func Compare(ctx context.Context, cfgs []Config, outDir string, opts ...Option) ([]*History, error) {
	if len(cfgs) == 0 {
		return nil, fmt.Errorf("compare: no configuration given")
	}
	if err := checkWritable(outDir); err != nil {
		return nil, err
	}
	shared := newRunner(cfgs[0], opts)
	if shared.data == nil {
		d, err := data.Load(cfgs[0].DataDir)
		if err != nil {
			return nil, err
		}
		opts = append(opts, WithData(d))
	}
	if shared.backend == nil {
		b, sel, err := backend.ForRun(cfgs[0].Backend, cfgs[0].BatchSize)
		if err != nil {
			return nil, err
		}
		if notice := sel.Notice(); notice != "" {
			fmt.Fprintln(shared.log, "regnb: "+notice)
		}
		sel.Fallback = "" // Said once.
		opts = append(opts, withBackend(b, sel))
	}
	var hs []*History
	for i, cfg := range cfgs {
		cfg.OutDir = filepath.Join(outDir, fmt.Sprintf("%d-%s", i+1, cfg.Example))
		fmt.Fprintf(shared.log, "=== %s\n", cfg.OutDir)
		h, err := Train(ctx, cfg, opts...)
		if h != nil {
			hs = append(hs, h)
		}
		if err != nil {
			return hs, fmt.Errorf("%s: %w", cfg.OutDir, err)
		}
	}
	if err := writeSummaries(hs, outDir); err != nil {
		return hs, err
	}
	fmt.Fprintln(shared.log)
	return hs, SummaryTable(hs, shared.log)
}

func writeSummaries(hs []*History, dir string) error {
	if err := writeFileAtomic(filepath.Join(dir, "summary.md"), func(w io.Writer) error { return SummaryTable(hs, w) }); err != nil {
		return err
	}
	return writeFileAtomic(filepath.Join(dir, "summary.csv"), func(w io.Writer) error { return SummaryCSV(hs, w) })
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
	cw := csv.NewWriter(w)
	if err := cw.WriteAll(summaryRows(hs)); err != nil {
		return err
	}
	return cw.Error()
}
