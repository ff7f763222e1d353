package run

import (
	"github.com/gomlx/compute"
	"github.com/gomlx/gomlx/core/tensors"
	"github.com/gomlx/gomlx/ml/model"

	"github.com/regnb/regnb/regnb/data"
	"github.com/regnb/regnb/regnb/settings"
	"github.com/regnb/regnb/regularizers"
)

// stepOutputs are what one training step returns.
type stepOutputs struct {
	Logged bool      // Whether the step computed the total and the terms.
	Total  float64   // The data loss plus every term; on unlogged steps, the data loss.
	Data   float64   // The data loss (cross-entropy).
	Terms  []float64 // Each penalty term, in history.History.Terms order; nil on unlogged steps.
}

// execs are a run's compiled graphs. A training graph runs k steps per call
// (k ≥ 1: the rows of its index input), on the data sets kept on the
// backend's device (deviceSet), so that a call moves only k·batch indices
// in and k losses out. Two graphs train the same variables: a logged call's
// last step also outputs the total and every penalty term; the others only
// the data losses, so the backend never computes the penalties' values, only
// their gradients.
//
// The k steps are unrolled in the graph (one graph per k), or, with
// loopSteps = K > 0 (XLA), run as a loop in one graph compiled for every call
// of up to K steps (stepBuilder.loop); a session's first call runs one step
// unrolled (it creates the variables the loop carries).
type execs struct {
	logged, fast *model.Exec
	terms        []string // The penalty terms' names, known once a logged step is built.
	sets         map[*data.Set]*deviceSet

	loopSteps            int // K; 0: no loops.
	loopLogged, loopFast *model.Exec
	primed               bool // A one-step graph has run: the loops can be built.

	calls    map[callKey]bool // The graphs called so far, …
	compiled int              // … whose number counts the compilations.

	// On a backend that computes on the host (the pure-Go one), a call of
	// one step takes its mini-batch as float32 instead: scaling bytes on the
	// host in Go is cheaper than the backend's gather and element-wise
	// conversion, and there is no device to keep the data on.
	hostBatches          bool
	loggedHost, fastHost *model.Exec
	batch                *hostBatch
}

func newExecs(b compute.Backend, store *model.Store, cfg settings.Config, penalty regularizers.Regularizer, numClasses int,
	hostBatches bool, loopSteps int) (*execs, error) {
	sb, err := newStepBuilder(cfg, penalty, numClasses)
	if err != nil {
		return nil, err
	}
	e := &execs{sets: map[*data.Set]*deviceSet{}, hostBatches: hostBatches, loopSteps: loopSteps}
	if e.logged, err = model.NewExec(b, store, sb.steps(e, true)); err != nil {
		return nil, err
	}
	if e.fast, err = model.NewExec(b, store, sb.steps(e, false)); err != nil {
		return nil, err
	}
	if loopSteps > 0 {
		if e.loopLogged, err = model.NewExec(b, store, sb.loop(e, true)); err != nil {
			return nil, err
		}
		if e.loopFast, err = model.NewExec(b, store, sb.loop(e, false)); err != nil {
			return nil, err
		}
	}
	if e.loggedHost, err = model.NewExec(b, store, sb.hostStep(e, true)); err != nil {
		return nil, err
	}
	e.fastHost, err = model.NewExec(b, store, sb.hostStep(e, false))
	return e, err
}

// train runs len(idx) training steps, on the examples idx[i] for step i
// (every row the same length), and returns each step's data loss and, if
// logged, the last step's outputs.
func (e *execs) train(set *data.Set, idx [][]int, logged bool) (losses []float64, last stepOutputs, err error) {
	if e.loopSteps > 0 && !e.primed && len(idx) > 1 {
		if losses, _, err = e.train(set, idx[:1], false); err != nil {
			return nil, stepOutputs{}, err
		}
		rest, last, err := e.train(set, idx[1:], logged)
		return append(losses, rest...), last, err
	}
	outs, err := e.call(set, idx, logged)
	if err != nil {
		return nil, stepOutputs{}, err
	}
	losses = floatsOf(outs[0])
	losses = losses[:min(len(losses), len(idx))] // A loop's K losses: the first len(idx) are this call's.
	last = stepOutputs{Total: losses[len(losses)-1], Data: losses[len(losses)-1]}
	if !logged { // Only the data loss: it stands for the total.
		return losses, last, nil
	}
	last.Logged, last.Total = true, scalarOf(outs[1])
	for _, t := range outs[2:] {
		last.Terms = append(last.Terms, scalarOf(t))
	}
	return losses, last, nil
}

// callKey identifies a compiled graph: an executable and the shape of its
// mini-batches' indices.
type callKey struct {
	exec        *model.Exec
	rows, batch int
}

// call runs the graph for len(idx) training steps and returns its outputs.
func (e *execs) call(set *data.Set, idx [][]int, logged bool) ([]*tensors.Tensor, error) {
	pick := func(logged bool, l, f *model.Exec, rows int) *model.Exec {
		exec := f
		if logged {
			exec = l
		}
		if key := (callKey{exec, rows, len(idx[0])}); !e.calls[key] {
			if e.calls == nil {
				e.calls = map[callKey]bool{}
			}
			e.calls[key] = true
			e.compiled++
		}
		return exec
	}
	if e.hostBatches && len(idx) == 1 {
		if e.batch == nil || e.batch.set != set {
			e.batch = newHostBatch(set, len(idx[0]))
		}
		return pick(logged, e.loggedHost, e.fastHost, 1).Call(e.batch.gather(idx[0]))
	}
	d := e.device(set)
	if e.loopSteps > 0 && e.primed {
		exec := pick(logged, e.loopLogged, e.loopFast, e.loopSteps)
		return exec.Call(d.images, d.labels, indexTensor(idx, e.loopSteps), int32(len(idx)))
	}
	outs, err := pick(logged, e.logged, e.fast, len(idx)).Call(d.images, d.labels, indexTensor(idx, len(idx)))
	e.primed = e.primed || err == nil
	return outs, err
}

// device returns set as a deviceSet, made once per set.
func (e *execs) device(set *data.Set) *deviceSet {
	d, found := e.sets[set]
	if !found {
		d = newDeviceSet(set)
		e.sets[set] = d
	}
	return d
}
