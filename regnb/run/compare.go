package run

import (
	"context"
	"errors"
	"fmt"
	"io"
	"path/filepath"

	"github.com/regnb/regnb/internal/backend"
	"github.com/regnb/regnb/internal/fileutil"
	"github.com/regnb/regnb/internal/rundir"
	"github.com/regnb/regnb/regnb/data"
	"github.com/regnb/regnb/regnb/history"
	"github.com/regnb/regnb/regnb/settings"
)

// WithComparison has write add files (side-by-side plots, say) to the
// directory of a Compare, after its summary table.
func WithComparison(write func(hs []*history.History, dir string) error) Option {
	return func(r *runner) { r.comparison = write }
}

// Compare trains each configuration in turn (on data and a backend loaded
// once), writes each run's outputs under outDir/<i>-<example>, and writes a
// summary table of the runs (summary.md, summary.csv) to outDir. outDir is
// owned by this process while it runs and must be new, empty or regnb's
// (package rundir). It returns the histories of the runs done so far, also
// on error.
func Compare(ctx context.Context, cfgs []settings.Config, outDir string, opts ...Option) (hs []*history.History, err error) {
	if len(cfgs) == 0 {
		return nil, fmt.Errorf("compare: no configuration given")
	}
	out, err := rundir.Open(outDir, rundir.InPlace)
	if err != nil {
		return nil, err
	}
	defer out.Close()
	defer func() { err = errors.Join(err, out.UpdateMarker()) }()
	shared := newRunner(cfgs[0], opts)
	opts, log, err := loadOnce(cfgs[0], opts)
	if err != nil {
		return nil, err
	}
	for i, cfg := range cfgs {
		cfg.OutDir = filepath.Join(outDir, fmt.Sprintf("%d-%s", i+1, cfg.Example))
		fmt.Fprintf(log, "=== %s\n", cfg.OutDir)
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
	if shared.comparison != nil {
		if err := shared.comparison(hs, outDir); err != nil {
			return hs, err
		}
	}
	fmt.Fprintln(log)
	return hs, history.WriteMarkdown(log, history.SummaryRows(hs))
}

// loadOnce returns opts with the data and the backend of cfg loaded (unless
// opts give them), for several runs, and the runs' log.
func loadOnce(cfg settings.Config, opts []Option) ([]Option, io.Writer, error) {
	shared := newRunner(cfg, opts)
	if shared.data == nil {
		d, err := data.Load(cfg.DataDir)
		if err != nil {
			return nil, nil, err
		}
		opts = append(opts, WithData(d))
	}
	if shared.backend == nil {
		b, sel, err := backend.ForRun(cfg.Backend, cfg.BatchSize)
		if err != nil {
			return nil, nil, err
		}
		if notice := sel.Notice(); notice != "" {
			fmt.Fprintln(shared.log, "regnb: "+notice)
		}
		sel.Fallback = "" // Said once.
		opts = append(opts, withBackend(b, sel))
	}
	return opts, shared.log, nil
}

func writeSummaries(hs []*history.History, dir string) error {
	rows := history.SummaryRows(hs)
	if err := fileutil.WriteAtomic(filepath.Join(dir, "summary.md"), func(w io.Writer) error { return history.WriteMarkdown(w, rows) }); err != nil {
		return err
	}
	return fileutil.WriteAtomic(filepath.Join(dir, "summary.csv"), func(w io.Writer) error { return history.WriteCSVTable(w, rows) })
}
