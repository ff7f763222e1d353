package sweep

import (
	"context"
	"errors"
	"fmt"
	"io"
	"sync"
	"time"

	"github.com/regnb/regnb/regnb/history"
	"github.com/regnb/regnb/regnb/run"
)

// Runner runs job i of a plan to its end, or until ctx is cancelled: then
// the run saves its state and stops, and the Runner returns an error for
// which errors.Is(err, run.ErrInterrupted).
type Runner func(ctx context.Context, i int) error

// progress prints a line per run as the runs end, numbered in that order.
type progress struct {
	mu    sync.Mutex
	w     io.Writer
	done  int
	total int
}

// report prints job j's line, e.g. "[3/8] L1, λ = 1e-4, seed 43: validation
// accuracy 0.9123, train accuracy 0.9350 after 300 steps (12.3s)".
func (pr *progress) report(p *Plan, j Job, line string) {
	pr.mu.Lock()
	defer pr.mu.Unlock()
	pr.done++
	fmt.Fprintf(pr.w, "[%d/%d] %s, seed %d: %s\n", pr.done, pr.total, p.Points[j.Point].Label, j.Config.Seed, line)
}

// outcome describes how job j ended, from its history: took is how long it
// ran in this sweep (0: it had finished before).
func outcome(j Job, err error, took time.Duration) string {
	h, loadErr := history.Load(j.Config.OutDir)
	switch {
	case err != nil && errors.Is(err, run.ErrInterrupted) && loadErr == nil:
		return fmt.Sprintf("interrupted at step %d", h.StepsDone)
	case errors.Is(err, run.ErrInterrupted):
		return "interrupted"
	case err != nil:
		return "failed: " + err.Error()
	case loadErr != nil:
		return "no history: " + loadErr.Error()
	case h.Status == history.Diverged:
		return fmt.Sprintf("diverged at step %d", h.StepsDone)
	}
	line := fmt.Sprintf("validation accuracy %.4f, train accuracy %.4f after %d steps", h.Summary.ValidationAccuracy, h.Summary.TrainAccuracy, h.StepsDone)
	if took == 0 {
		return line + " (finished before)"
	}
	return line + fmt.Sprintf(" (%s)", took.Round(100*time.Millisecond))
}

// schedule runs the jobs pending, jobs at a time, until all have ended or
// ctx is cancelled (no job starts after that; those running are
// interrupted). It returns the errors of the jobs that failed, and whether
// any was interrupted.
func schedule(ctx context.Context, p *Plan, pending []int, jobs int, runner Runner, pr *progress) (failed []error, interrupted bool) {
	queue := make(chan int)
	var mu sync.Mutex
	var wg sync.WaitGroup
	for range min(jobs, len(pending)) {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := range queue {
				if ctx.Err() != nil { // Cancelled while it waited: not started.
					continue
				}
				start := time.Now()
				err := runner(ctx, i)
				pr.report(p, p.Jobs[i], outcome(p.Jobs[i], err, time.Since(start)))
				mu.Lock()
				switch {
				case errors.Is(err, run.ErrInterrupted) || (err != nil && ctx.Err() != nil):
					interrupted = true
				case err != nil:
					failed = append(failed, fmt.Errorf("%s: %w", p.Jobs[i].Config.OutDir, err))
				}
				mu.Unlock()
			}
		}()
	}
	for _, i := range pending {
		if ctx.Err() != nil {
			break
		}
		select {
		case queue <- i:
		case <-ctx.Done():
		}
	}
	close(queue)
	wg.Wait()
	return failed, interrupted || ctx.Err() != nil
}
