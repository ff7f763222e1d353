package run

import (
	"fmt"
	"path/filepath"

	"github.com/regnb/regnb/layers"
	"github.com/regnb/regnb/regnb/history"
)

// LoadNetwork reads the MLP of the run saved in dir (a Train output
// directory) from the checkpoint its history names.
func LoadNetwork(dir string) (*layers.Network, error) {
	h, err := history.Load(dir)
	if err != nil {
		return nil, err
	}
	ckDir := filepath.Join(dir, CheckpointDir)
	names, err := listCheckpoints(ckDir)
	if err != nil || len(names) == 0 {
		return nil, fmt.Errorf("network of %s: no checkpoint there (%v)", dir, err)
	}
	if h.Checkpoint != "" && names[len(names)-1] != h.Checkpoint {
		return nil, fmt.Errorf("network of %s: its history names checkpoint %s but %s is newer (an interrupted save): resume the run first",
			dir, h.Checkpoint, names[len(names)-1])
	}
	n, err := layers.LoadNetwork(ckDir)
	if err != nil {
		return nil, fmt.Errorf("network of %s: %w", dir, err)
	}
	if len(n.Hidden) != len(h.Config.Hidden) {
		return nil, fmt.Errorf("network of %s: its checkpoint has %d hidden layers, its history %d", dir, len(n.Hidden), len(h.Config.Hidden))
	}
	return n, nil
}
