package run

import (
	"context"
	"errors"
	"fmt"
	"io"
	"path/filepath"

	"github.com/regnb/regnb/internal/fileutil"
	"github.com/regnb/regnb/internal/rundir"
	"github.com/regnb/regnb/regnb/history"
	"github.com/regnb/regnb/regnb/settings"
)

// Seeds trains cfg once with each seed (on data and a backend loaded once),
// each run in cfg.OutDir/seed-N, one after the other; then it writes the
// mean and spread of each figure over the seeds (history.SeedRows) to
// cfg.OutDir as summary.md and summary.csv and prints that table on the log.
// cfg.OutDir is owned by this process while it runs and must be new, empty
// or regnb's (package rundir). It returns the histories of the runs done so
// far, also on error.
func Seeds(ctx context.Context, cfg settings.Config, seeds []uint64, opts ...Option) (hs []*history.History, err error) {
	if len(seeds) == 0 {
		return nil, fmt.Errorf("seeds: no seed given")
	}
	if cfg.OutDir == "" {
		return nil, fmt.Errorf("seeds: no output directory (-out DIR): each seed's run goes to DIR/seed-N")
	}
	if err := cfg.Validate(); err != nil {
		return nil, err
	}
	out, err := rundir.Open(cfg.OutDir, rundir.InPlace)
	if err != nil {
		return nil, err
	}
	defer out.Close()
	defer func() { err = errors.Join(err, out.UpdateMarker()) }()
	opts, log, err := loadOnce(cfg, opts)
	if err != nil {
		return nil, err
	}
	for _, seed := range seeds {
		c := cfg
		c.Seed, c.OutDir = seed, filepath.Join(cfg.OutDir, fmt.Sprintf("seed-%d", seed))
		fmt.Fprintf(log, "=== %s\n", c.OutDir)
		h, err := Train(ctx, c, opts...)
		if h != nil && err == nil {
			hs = append(hs, h)
		}
		if err != nil {
			return hs, fmt.Errorf("%s: %w", c.OutDir, err)
		}
	}
	rows := history.SeedRows(hs)
	if err := fileutil.WriteAtomic(filepath.Join(cfg.OutDir, "summary.md"), func(w io.Writer) error { return history.WriteMarkdown(w, rows) }); err != nil {
		return hs, err
	}
	if err := fileutil.WriteAtomic(filepath.Join(cfg.OutDir, "summary.csv"), func(w io.Writer) error { return history.WriteCSVTable(w, rows) }); err != nil {
		return hs, err
	}
	fmt.Fprintf(log, "\n%s over %d seeds (mean ± sample standard deviation):\n\n", cfg.Label(), len(hs))
	return hs, history.WriteMarkdown(log, rows)
}
