package settings

import "fmt"

// validatePruning checks the settings of the group lasso's layers and of
// pruning against the others. (Layer factors without a group lasso are
// allowed: λ = 0 of a sweep of the group lasso keeps its base's factors.)
func (c Config) validatePruning() []error {
	var errs []error
	if len(c.GroupLassoLayers) > len(c.Hidden) {
		errs = append(errs, fmt.Errorf("group-lasso-layers has %d factors for %d hidden layers", len(c.GroupLassoLayers), len(c.Hidden)))
	}
	if c.PruneFinetune > 0 && c.PruneFinetune >= c.Epochs {
		errs = append(errs, fmt.Errorf("prune-finetune = %d with epochs = %d: leave at least one epoch before pruning (epochs counts both phases)", c.PruneFinetune, c.Epochs))
	}
	if c.PruneFloor != 0 && c.PruneFinetune == 0 {
		errs = append(errs, fmt.Errorf("prune-floor = %v without prune-finetune: the floor says which units pruning removes", c.PruneFloor))
	}
	return errs
}
