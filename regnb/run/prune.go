package run

import (
	"fmt"
	"slices"

	"github.com/gomlx/compute/dtypes"
	"github.com/gomlx/gomlx/core/graph"
	"github.com/gomlx/gomlx/ml/model"
	"github.com/gomlx/gomlx/ml/train/optimizer"

	"github.com/regnb/regnb/layers"
	"github.com/regnb/regnb/regnb/history"
	"github.com/regnb/regnb/regnb/settings"
	"github.com/regnb/regnb/regularizers"
)

// A run that prunes, then fine-tunes (settings.Config.PruneFinetune) has
// two phases in one run directory, one history and one checkpoint series:
// the first Epochs − PruneFinetune epochs train the configured network with
// its penalty; then the run sets the units below PruneFloor to 0, removes
// the units that are exactly 0 (layers.Prune) from the variables of its own
// store, deletes the optimizer's state (a fresh Adam; the global step goes
// on), records history.Pruning and saves; the last PruneFinetune epochs
// train the smaller network without any penalty. A resume reads the phase
// from the history, and builds the pruned network's graphs, whose variables
// the checkpoint then fills. When no unit is removed, the same network and
// Adam go on without the penalty.

// pruneStep is the step after which a run prunes (0: it does not).
func pruneStep(cfg settings.Config, stepsPerEpoch int) int {
	if cfg.PruneFinetune == 0 {
		return 0
	}
	return stepsPerEpoch * (cfg.Epochs - cfg.PruneFinetune)
}

// checkPruning refuses a run that would stop (max-steps) before it prunes;
// n is the number of images it trains on.
func checkPruning(cfg settings.Config, n int) error {
	at := pruneStep(cfg, (n+cfg.BatchSize-1)/cfg.BatchSize)
	if cfg.PruneFinetune > 0 && cfg.MaxSteps > 0 && cfg.MaxSteps <= at {
		return fmt.Errorf("max-steps = %d ends the run before it prunes, at step %d (the end of epoch %d): "+
			"raise max-steps, or shorten the epochs (train-limit)", cfg.MaxSteps, at, cfg.Epochs-cfg.PruneFinetune)
	}
	return nil
}

// trainedConfig is the configuration of the network the run trains now:
// cfg, or once pruned, the pruned network's sizes without any penalty.
func (r *runner) trainedConfig() settings.Config {
	if r.hist == nil || r.hist.Pruning == nil {
		return r.cfg
	}
	c := r.cfg
	c.Hidden = slices.Clone(r.hist.Pruning.Kept)
	c.L1, c.L2, c.Alpha, c.GroupLasso, c.GroupLassoLayers, c.WeightDecay, c.AdamW = 0, 0, 0, 0, nil, 0, 0
	c.Proximal = false
	return c
}

// build compiles the run's graphs for the network it trains now: with its
// penalty before pruning; after, with the penalty's terms reported as 0.
func (r *runner) build() error {
	cfg, penalty := r.trainedConfig(), r.penalty
	if r.hist.Pruning != nil {
		penalty = zeroTerms(r.hist.Terms)
	} else if penalty == nil {
		var err error
		if penalty, err = Penalty(cfg); err != nil {
			return err
		}
	}
	var err error
	r.execs, err = newExecs(r.backend, r.model, cfg, penalty, r.data.Train.NumClasses, !onDevice(r.hist.Backend),
		loopSteps(r.hist.Backend, r.stepsPerCall))
	if err != nil {
		return err
	}
	r.eval, err = newEvaluator(r.backend, r.model, cfg, r.data.Train.NumClasses, r.execs)
	return err
}

// zeroTerms reports each of the terms names as 0, with no gradient: the
// fine-tuning phase logs the penalty it no longer has as 0, so that every
// logged step has every term of the history.
func zeroTerms(names []string) regularizers.Regularizer {
	if len(names) == 0 {
		return nil
	}
	return func(g *graph.Graph, _ ...*model.Variable) {
		for _, name := range names {
			regularizers.AddTerm(name, graph.ScalarZero(g, dtypes.Float32))
		}
	}
}

// pruneIfDue prunes when the run has done the steps of its first phase and
// has not pruned yet (a resume at that point prunes then).
func (r *runner) pruneIfDue(p plan) error {
	h := r.hist
	if r.cfg.PruneFinetune == 0 || h.Pruning != nil || h.StepsDone != pruneStep(r.cfg, p.stepsPerEpoch) {
		return nil
	}
	if err := r.prune(); err != nil {
		return fmt.Errorf("pruning after epoch %d: %w", r.cfg.Epochs-r.cfg.PruneFinetune, err)
	}
	fmt.Fprintf(r.log, "Pruned %s; fine-tuning %s without penalty\n", h.Pruning.Line(), epochs(r.cfg.PruneFinetune))
	return r.saveState()
}

// prune removes the dead units (those below the floor first) from the
// run's network, records it and rebuilds the graphs.
func (r *runner) prune() error {
	h := r.hist
	net := r.network()
	rec := &history.Pruning{Step: h.StepsDone, Epoch: h.Epochs[len(h.Epochs)-1].Epoch, Floor: r.cfg.PruneFloor,
		Hidden: slices.Clone(r.cfg.Hidden), Before: h.Epochs[len(h.Epochs)-1]}
	alive, err := net.UnitsKept()
	if err != nil {
		return err
	}
	if rec.Norms, err = net.UnitNorms(); err != nil {
		return err
	}
	zeroed := net
	if rec.Floor > 0 {
		if zeroed, err = net.ZeroSmallUnits(rec.Floor); err != nil {
			return err
		}
	}
	if rec.Kept, err = zeroed.UnitsKept(); err != nil {
		return err
	}
	rec.BelowFloor = sum(alive) - sum(rec.Kept)
	if rec.Removed() {
		pruned, err := zeroed.Prune()
		if err != nil {
			return err
		}
		if err := pruned.CopyInto(r.model); err != nil {
			return err
		}
		if err := resetOptimizer(r.model, len(rec.Hidden)+1); err != nil {
			return err
		}
	}
	h.Pruning = rec
	if err := r.build(); err != nil {
		return err
	}
	rec.Params = r.network().Params()
	rec.After, err = r.evaluate(rec.Epoch)
	return err
}

// resetOptimizer deletes every variable of store but the MLP's n dense
// layers, the global step and the random number generator's state: Adam's
// moments and step count start afresh for the pruned network's shapes.
func resetOptimizer(store *model.Store, n int) error {
	keep := map[string]bool{
		optimizer.GetGlobalStepVar(store).Path():                        true,
		model.JoinPath(model.RootScopePath, model.RNGStateVariableName): true,
	}
	for i := range n {
		keep[layers.WeightsPath(i)], keep[layers.BiasesPath(i)] = true, true
	}
	var drop []string
	for v := range store.IterVariables() {
		if !keep[v.Path()] {
			drop = append(drop, v.Path())
		}
	}
	for _, path := range drop {
		if err := store.DeleteVariable(path); err != nil {
			return err
		}
	}
	return nil
}

func sum(xs []int) int {
	total := 0
	for _, x := range xs {
		total += x
	}
	return total
}

// epochs is "1 epoch", "3 epochs".
func epochs(n int) string {
	if n == 1 {
		return "1 epoch"
	}
	return fmt.Sprintf("%d epochs", n)
}
