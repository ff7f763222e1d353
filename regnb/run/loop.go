package run

import (
	"context"
	"fmt"
	"math/rand/v2"
	"time"

	"github.com/regnb/regnb/regnb/data"
	"github.com/regnb/regnb/regnb/history"
)

// clock measures a run's training time over its sessions.
type clock struct {
	start   time.Time
	earlier time.Duration // Training time of earlier sessions (resume).
	first   bool          // The next step is the session's first (compilation).

	steady      time.Duration // Time of the calls that compiled nothing…
	steadySteps int           // …and their steps.
}

func (c clock) elapsed() time.Duration { return c.earlier + time.Since(c.start) }

// call records the duration d of a call of steps steps, which compiled a
// graph or not.
func (c *clock) call(compiled bool, steps int, d time.Duration) {
	if !compiled {
		c.steady += d
		c.steadySteps += steps
	}
}

// plan is what the loop needs to know about a run's length.
type plan struct {
	train, test   *data.Set
	stepsPerEpoch int
	totalSteps    int
}

func (r *runner) plan() plan {
	cfg := r.cfg
	p := plan{train: r.sets.train, test: r.sets.test}
	p.stepsPerEpoch = (p.train.N + cfg.BatchSize - 1) / cfg.BatchSize
	p.totalSteps = p.stepsPerEpoch * cfg.Epochs
	if cfg.MaxSteps > 0 {
		p.totalSteps = min(p.totalSteps, cfg.MaxSteps)
	}
	return p
}

// run is the training loop.
func (r *runner) run(ctx context.Context) error {
	p := r.plan()
	h := r.hist
	h.StepsPerEpoch = p.stepsPerEpoch
	r.clock = clock{earlier: time.Duration(h.Summary.TrainSeconds * float64(time.Second)), first: true}
	if h.StepsDone == 0 {
		if err := r.recordInitialState(); err != nil {
			return err
		}
	}
	r.progress.Start(p.totalSteps)
	defer r.progress.Finish()
	r.clock.start = time.Now()
	for epoch := h.StepsDone/p.stepsPerEpoch + 1; epoch <= r.cfg.Epochs && h.StepsDone < p.totalSteps; epoch++ {
		if err := r.pruneIfDue(p); err != nil {
			return err
		}
		if err := r.epoch(ctx, p, epoch); err != nil {
			return err
		}
	}
	r.finishTiming()
	fmt.Fprintln(r.log, "Training process has finished.")
	return r.finish()
}

// epoch runs the rest of an epoch (all of it, unless resumed within it),
// then, if it ended, evaluates and saves a checkpoint.
func (r *runner) epoch(ctx context.Context, p plan, epoch int) error {
	h := r.hist
	order := EpochOrder(r.cfg.Seed, epoch, p.train.N)
	batch := h.StepsDone % p.stepsPerEpoch
	if batch == 0 {
		fmt.Fprintf(r.log, "Starting epoch %d\n", epoch)
	}
	for batch < p.stepsPerEpoch && h.StepsDone < p.totalSteps {
		if ctx.Err() != nil {
			return r.interrupted()
		}
		idx := make([][]int, r.callLength(p, batch))
		for i := range idx {
			from := (batch + i) * r.cfg.BatchSize
			idx[i] = order[from:min(from+r.cfg.BatchSize, p.train.N)]
		}
		if err := r.steps(p, position{Step: h.StepsDone + 1, Epoch: epoch, Batch: batch + 1}, idx); err != nil {
			return err
		}
		batch += len(idx)
	}
	if batch < p.stepsPerEpoch {
		return nil
	}
	rec, err := r.evaluate(epoch)
	if err != nil {
		return err
	}
	h.Epochs = append(h.Epochs, rec)
	return r.saveState()
}

// EpochOrder returns the order in which epoch (1-based) of a run with seed
// visits the n training examples: a permutation of 0…n−1 drawn from the
// seed and the epoch (PCG), another one each epoch. Mini-batch b (1-based)
// of the epoch is examples order[(b−1)·batch : b·batch].
func EpochOrder(seed uint64, epoch, n int) []int {
	return rand.New(rand.NewPCG(seed, uint64(epoch))).Perm(n)
}

// callLength returns how many steps the next executable call runs, from
// mini-batch batch (0-based) of the epoch: at most r.stepsPerCall, ending at
// the next logged mini-batch, the epoch's end or the run's; the first step of
// a run alone (it is logged and names the terms), and an epoch's last, smaller
// mini-batch alone (a call's mini-batches have one size).
func (r *runner) callLength(p plan, batch int) int {
	if r.hist.StepsDone == 0 {
		return 1
	}
	nextLogged := (batch/r.cfg.LogEvery + 1) * r.cfg.LogEvery // 1-based number of the next logged mini-batch.
	n := min(r.stepsPerCall, p.stepsPerEpoch-batch, p.totalSteps-r.hist.StepsDone, nextLogged-batch)
	if n > 1 && batch+n == p.stepsPerEpoch && p.train.N%r.cfg.BatchSize != 0 {
		n--
	}
	return max(n, 1)
}

// position locates a step in the run, all 1-based.
type position struct{ Step, Epoch, Batch int }

// at returns the position i steps later in the same epoch.
func (p position) at(i int) position {
	return position{Step: p.Step + i, Epoch: p.Epoch, Batch: p.Batch + i}
}

// steps trains on the mini-batches idx in one call, starting at position at;
// checks the losses, and logs the last step when due.
func (r *runner) steps(p plan, at position, idx [][]int) error {
	h := r.hist
	last := at.at(len(idx) - 1)
	logLine := last.Batch%r.cfg.LogEvery == 0
	logged := logLine || last.Step == 1 // The first step also names the terms.
	t0, compiled := time.Now(), r.execs.compiled
	losses, out, err := r.execs.train(p.train, idx, logged)
	if err != nil {
		return fmt.Errorf("training step %d: %w", at.Step, err)
	}
	r.clock.call(r.execs.compiled != compiled, len(idx), time.Since(t0))
	if r.clock.first {
		h.Summary.CompileSeconds = time.Since(t0).Seconds()
		r.clock.first = false
	}
	if logged {
		h.Terms = r.execs.terms
	}
	for i, loss := range losses {
		step := stepOutputs{Total: loss, Data: loss}
		if i == len(losses)-1 {
			step = out
		}
		h.StepsDone = at.Step + i
		if err := r.checkFinite(at.at(i), step); err != nil {
			h.Status = history.Diverged
			r.finishTiming()
			return joinSaveError(err, r.saveHistory())
		}
	}
	if logLine {
		if err := r.logStep(last, out); err != nil {
			return err
		}
	}
	r.progress.Update(last.Step, out.Total)
	return nil
}

// finishTiming records the training time, the speed and the peak memory.
func (r *runner) finishTiming() {
	s := &r.hist.Summary
	s.TrainSeconds = r.clock.elapsed().Seconds()
	if s.TrainSeconds > 0 {
		s.ExamplesPerSecond = float64(r.hist.StepsDone*r.cfg.BatchSize) / s.TrainSeconds
	}
	s.PeakRSSMB = peakRSSMB()
	if r.clock.steadySteps > 0 {
		s.SteadyStepMillis = r.clock.steady.Seconds() * 1000 / float64(r.clock.steadySteps)
	}
}
