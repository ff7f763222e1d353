package regnb

import (
	"fmt"
	"io"
	"os"
	"path/filepath"

	"github.com/gomlx/gomlx/ml/model"
	"github.com/gomlx/gomlx/ml/model/checkpoint"
)

// runCheckpoint keeps a run's model (weights, optimizer state, global step)
// in GoMLX's checkpoint format (package ml/model/checkpoint), in
// OUT/checkpoint.
type runCheckpoint struct {
	handler *checkpoint.Handler
}

// openCheckpoint attaches a checkpoint directory to store. When resuming, the
// latest checkpoint there is loaded into store; otherwise earlier checkpoints
// in the directory are removed first, since a new run must not start from
// them.
func openCheckpoint(store *model.Store, outDir string, resume bool) (*runCheckpoint, error) {
	dir := filepath.Join(outDir, "checkpoint")
	if !resume {
		if err := os.RemoveAll(dir); err != nil {
			return nil, fmt.Errorf("output directory %s: cannot clear the old checkpoint: %w", outDir, err)
		}
	} else if _, err := os.Stat(dir); err != nil {
		return nil, fmt.Errorf("resume %s: no checkpoint there (%w)", outDir, unwrapPath(err))
	}
	// Variables are loaded lazily, as the graphs create them, so that each keeps
	// the attributes its creator gives it (trainable or not).
	h, err := checkpoint.Build(store).Dir(dir).Keep(2).Done()
	if err != nil {
		return nil, fmt.Errorf("checkpoint in %s: %w", dir, err)
	}
	return &runCheckpoint{handler: h}, nil
}

func (c *runCheckpoint) save() error {
	if err := c.handler.Save(); err != nil {
		return fmt.Errorf("saving checkpoint in %s: %w", c.handler.Dir(), err)
	}
	return nil
}

// writeFileAtomic writes path through a temporary file renamed into place.
func writeFileAtomic(path string, write func(io.Writer) error) error {
	tmp, err := os.CreateTemp(filepath.Dir(path), "."+filepath.Base(path)+".*")
	if err != nil {
		return fmt.Errorf("writing %s: %w", path, unwrapPath(err))
	}
	defer os.Remove(tmp.Name())
	if err := write(tmp); err != nil {
		tmp.Close()
		return fmt.Errorf("writing %s: %w", path, err)
	}
	if err := tmp.Close(); err != nil {
		return fmt.Errorf("writing %s: %w", path, err)
	}
	if err := os.Rename(tmp.Name(), path); err != nil {
		return fmt.Errorf("writing %s: %w", path, unwrapPath(err))
	}
	return nil
}
