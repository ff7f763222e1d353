package run

import (
	"fmt"

	"github.com/gomlx/compute"
	"github.com/gomlx/compute/dtypes"
	"github.com/gomlx/gomlx/core/graph"
	"github.com/gomlx/gomlx/core/tensors"
	"github.com/gomlx/gomlx/ml/model"

	"github.com/regnb/regnb/regnb/data"
	"github.com/regnb/regnb/regnb/history"
	"github.com/regnb/regnb/regnb/settings"
)

// A run evaluates its model before training and at the end of each epoch on
// two sets carved from the training images — the first
// history.TrainEvalImages images it trains on, and the validation split if
// it has one (settings.Config.Validation) — and the test set once, at the
// end (unless settings.Config.NoTest). A sweep chooses on the validation
// split; the test set stays an unbiased estimate for what it chooses.

// sets are the images a run trains and evaluates on.
type sets struct {
	train      *data.Set // Trained on: the training set less the validation split, limited to TrainLimit.
	trainEval  *data.Set // The first history.TrainEvalImages of train.
	validation *data.Set // The validation split; nil without one.
	test       *data.Set
}

// CheckData returns an error if the data cannot hold the run cfg
// describes: a validation split as large as the training set, or a batch
// larger than the images left to train on. It is what Train checks before
// it starts, for callers (a sweep) that check every run before starting any.
func CheckData(cfg settings.Config, d *data.TrainTest) error {
	n := d.Train.N
	if cfg.Validation >= n {
		return fmt.Errorf("validation = %d: not smaller than the training set (%d examples): leave images to train on", cfg.Validation, n)
	}
	n -= cfg.Validation
	after := ""
	if cfg.Validation > 0 {
		after = fmt.Sprintf(" less the validation split of %d", cfg.Validation)
	}
	if cfg.TrainLimit > 0 {
		n = min(n, cfg.TrainLimit)
	}
	if cfg.BatchSize > n {
		return fmt.Errorf("batch = %d: larger than the training set (%d examples%s)", cfg.BatchSize, n, after)
	}
	return checkPruning(cfg, n)
}

// newSets divides the data as cfg asks.
func newSets(cfg settings.Config, d *data.TrainTest) (sets, error) {
	if err := CheckData(cfg, d); err != nil {
		return sets{}, err
	}
	s := sets{train: d.Train}
	if !cfg.NoTest {
		s.test = d.Test.Subset(cfg.TestLimit)
	}
	if cfg.Validation > 0 {
		var err error
		if s.train, s.validation, err = d.Train.Split(cfg.Validation, cfg.Seed); err != nil {
			return sets{}, err
		}
	}
	s.train = s.train.Subset(cfg.TrainLimit)
	s.trainEval = s.train.Subset(history.TrainEvalImages)
	return s, nil
}

// evaluator computes a model's accuracy and mean cross-entropy on a data set
// kept on the backend's device (execs.device).
type evaluator struct {
	exec  *model.Exec
	execs *execs
}

func newEvaluator(b compute.Backend, store *model.Store, cfg settings.Config, numClasses int, e *execs) (*evaluator, error) {
	sb, err := newStepBuilder(cfg, nil, numClasses)
	if err != nil {
		return nil, err
	}
	exec, err := model.NewExec(b, store, func(scope *model.Scope, images, labels, idx *graph.Node) []*graph.Node {
		x, y := batchAt(images, labels, graph.InsertAxes(idx, 0), 0)
		logits := sb.mlp(scope, x)
		predicted := graph.ArgMax(logits, -1, dtypes.Int32)
		correct := graph.ReduceAllSum(graph.ConvertDType(graph.Equal(predicted, y), dtypes.Float32))
		lossSum := graph.MulScalar(CrossEntropy(logits, y), float64(idx.Shape().Dimensions[0]))
		return []*graph.Node{correct, lossSum}
	})
	return &evaluator{exec: exec, execs: e}, err
}

// score returns the fraction of set's examples classified correctly and
// their mean cross-entropy.
func (ev *evaluator) score(set *data.Set) (accuracy, loss float64, err error) {
	const evalBatch = 1000
	d := ev.execs.device(set)
	correct, lossSum := 0.0, 0.0
	for start := 0; start < set.N; start += evalBatch {
		idx := make([]int32, min(start+evalBatch, set.N)-start)
		for i := range idx {
			idx[i] = int32(start + i)
		}
		out, err := ev.exec.Call(d.images, d.labels, tensors.FromFlatDataAndDimensions(idx, len(idx)))
		if err != nil {
			return 0, 0, fmt.Errorf("evaluating: %w", err)
		}
		correct += scalarOf(out[0])
		lossSum += scalarOf(out[1])
	}
	return correct / float64(set.N), lossSum / float64(set.N), nil
}

// evaluate measures the model on the training images and the validation
// split, for the end of epoch (0: before training).
func (r *runner) evaluate(epoch int) (history.EpochRecord, error) {
	rec := history.EpochRecord{Epoch: epoch, Step: r.hist.StepsDone, Seconds: r.clock.elapsed().Seconds()}
	if epoch == 0 {
		rec.Seconds = 0
	}
	var err error
	if rec.TrainAccuracy, _, err = r.eval.score(r.sets.trainEval); err != nil {
		return rec, err
	}
	if r.sets.validation != nil {
		rec.ValidationAccuracy, rec.ValidationLoss, err = r.eval.score(r.sets.validation)
	}
	return rec, err
}

// recordInitialState evaluates the model before training (once: not again
// when a run interrupted before its first step resumes) and records its
// weights.
func (r *runner) recordInitialState() error {
	if len(r.hist.Epochs) > 0 {
		return nil
	}
	rec, err := r.evaluate(0)
	if err != nil {
		return err
	}
	r.hist.Epochs = append(r.hist.Epochs, rec)
	return r.recordHistograms("initial")
}

// evaluateEnd records the model's final train and validation figures (those
// of the last epoch's evaluation if the run ended there) and, unless
// NoTest, its test accuracy, with and without its small weights.
func (r *runner) evaluateEnd() error {
	h, s := r.hist, &r.hist.Summary
	var last history.EpochRecord
	if n := len(h.Epochs); n > 0 {
		last = h.Epochs[n-1]
	}
	if len(h.Epochs) == 0 || last.Step != h.StepsDone {
		var err error
		if last, err = r.evaluate(len(h.Epochs)); err != nil {
			return err
		}
	}
	s.TrainAccuracy, s.ValidationAccuracy, s.ValidationLoss = last.TrainAccuracy, last.ValidationAccuracy, last.ValidationLoss
	s.TestEvaluated, s.TestAccuracy, s.PrunedAccuracy = false, 0, 0
	if r.cfg.NoTest {
		return nil
	}
	var err error
	if s.TestAccuracy, _, err = r.eval.score(r.sets.test); err != nil {
		return err
	}
	if s.PrunedAccuracy, err = r.prunedAccuracy(r.sets.test); err != nil {
		return err
	}
	s.TestEvaluated = true
	return nil
}

// printAccuracies prints the end of run's accuracies, the test set's apart:
//
//	Validation accuracy: 0.9412 on 10000 held-out training images (loss 0.2013); train accuracy 0.9530 on 10000 training images (gap 0.0118)
//	Test accuracy: 0.9390 on 10000 test images (evaluated once, at the end of the run)
func (r *runner) printAccuracies() {
	s, w := r.hist.Summary, r.log
	train := fmt.Sprintf("train accuracy %.4f on %d training images", s.TrainAccuracy, r.sets.trainEval.N)
	if r.sets.validation != nil {
		fmt.Fprintf(w, "Validation accuracy: %.4f on %d held-out training images (loss %.4f); %s (gap %.4f)\n",
			s.ValidationAccuracy, r.sets.validation.N, s.ValidationLoss, train, s.TrainAccuracy-s.ValidationAccuracy)
	} else {
		fmt.Fprintf(w, "Train accuracy: %.4f on %d training images (no validation split: -validation N holds one out)\n",
			s.TrainAccuracy, r.sets.trainEval.N)
	}
	if s.TestEvaluated {
		fmt.Fprintf(w, "Test accuracy: %.4f on %d test images (evaluated once, at the end of the run)\n", s.TestAccuracy, r.sets.test.N)
	} else {
		fmt.Fprintln(w, "Test set not evaluated (no-test)")
	}
}
