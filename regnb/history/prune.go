package history

import (
	"fmt"
	"slices"
)

// Pruning is what a run that prunes, then fine-tunes, records of its
// pruning: when, what it removed, and the network's accuracy just before
// and just after (on the images an EpochRecord is measured on; the test set
// is left for the end). Summary holds the figures after fine-tuning.
type Pruning struct {
	Step  int `json:"step"`  // Steps done when the run pruned: the end of epoch Epoch.
	Epoch int `json:"epoch"` // The last epoch with the penalty.
	// Floor is the norm under which a unit was set to 0 before pruning
	// (settings.Config.PruneFloor; 0: exact zeros only), and BelowFloor the
	// number of units it caught that were not exactly 0.
	Floor      float64 `json:"floor,omitzero"`
	BelowFloor int     `json:"below_floor"`
	Hidden     []int   `json:"hidden"` // Hidden units of each layer before pruning.
	Kept       []int   `json:"kept"`   // Hidden units of each layer kept.
	Params     int     `json:"params"` // Parameters of the pruned network.
	// Norms are, for each hidden layer, the Euclidean norm of each unit's
	// incoming weights and bias when the run pruned, before the floor.
	Norms [][]float64 `json:"norms"`
	// Before is the evaluation at the end of epoch Epoch (the network with
	// its penalty), After the pruned network's before any fine-tuning.
	Before EpochRecord `json:"before"`
	After  EpochRecord `json:"after"`
}

// Removed tells whether pruning removed a unit (else the run went on with
// the same network and optimizer state, without the penalty).
func (p *Pruning) Removed() bool { return !slices.Equal(p.Hidden, p.Kept) }

// Line describes the pruning in one line, e.g. "after epoch 2 (step 1000):
// kept 20 of 64, 14 of 32 hidden units (9 below the floor 0.05), 16 334
// parameters; validation accuracy 0.9512 before, 0.9031 after".
func (p *Pruning) Line() string {
	floor := ""
	if p.Floor != 0 {
		floor = fmt.Sprintf(" (%d below the floor %g)", p.BelowFloor, p.Floor)
	}
	acc := fmt.Sprintf("train accuracy %.4f before, %.4f after", p.Before.TrainAccuracy, p.After.TrainAccuracy)
	if p.Before.ValidationAccuracy != 0 || p.After.ValidationAccuracy != 0 {
		acc = fmt.Sprintf("validation accuracy %.4f before, %.4f after", p.Before.ValidationAccuracy, p.After.ValidationAccuracy)
	}
	return fmt.Sprintf("after epoch %d (step %d): kept %s hidden units%s, %d parameters; %s",
		p.Epoch, p.Step, UnitsLine(p.Kept, p.Hidden), floor, p.Params, acc)
}

// pruning is h's Pruning, or a zero one.
func pruning(h *History) Pruning {
	if h.Pruning == nil {
		return Pruning{}
	}
	return *h.Pruning
}
