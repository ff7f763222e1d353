package regnb

import (
	"context"
	"errors"
	"fmt"
	"os"
	"os/signal"
	"sync"
	"time"

	"github.com/regnb/regnb/regnb/data"
	"github.com/regnb/regnb/regnb/plots"
	"github.com/regnb/regnb/regnb/run"
	"github.com/regnb/regnb/regnb/sweep"
)

// NoPenalty is the name of the directory, in a sweep's directory, of its
// λ = 0: the network without any regularization, which every penalty's
// path and TryValues' value 0 share. Runs trained there beforehand, with
// the sweep's settings, are read, not run again.
const NoPenalty = sweep.NoPenalty

// TrainTogether trains the configurations at the same time, jobs at a
// time (0: one per core), each in its cfg.OutDir with its outputs (history,
// plots, checkpoint) as Train writes them, on the data loaded once, a line
// as each ends (no log lines, no progress bar). It returns their histories
// in cfgs' order.
func TrainTogether(ctx context.Context, jobs int, cfgs ...Config) ([]*History, error) {
	ctx, stop := signal.NotifyContext(ctx, os.Interrupt)
	defer stop()
	if len(cfgs) == 0 {
		return nil, errors.New("train together: no configuration")
	}
	if jobs == 0 {
		jobs = len(cfgs)
	}
	if jobs < 1 {
		return nil, fmt.Errorf("jobs = %d: want at least 1", jobs)
	}
	d, err := data.Load(cfgs[0].DataDir)
	if err != nil {
		return nil, err
	}
	hs, errs := make([]*History, len(cfgs)), make([]error, len(cfgs))
	slots := make(chan struct{}, jobs)
	var mu sync.Mutex
	var wg sync.WaitGroup
	for i, cfg := range cfgs {
		wg.Add(1)
		go func() {
			defer wg.Done()
			slots <- struct{}{}
			defer func() { <-slots }()
			start := time.Now()
			hs[i], errs[i] = run.Train(ctx, cfg, run.WithData(d), run.WithLog(nil),
				run.WithProgress(run.NoProgress{}), run.WithOutputs(plots.WriteRun))
			mu.Lock()
			defer mu.Unlock()
			if errs[i] != nil {
				fmt.Printf("%s: %v\n", cfg.Label(), errs[i])
				return
			}
			fmt.Printf("%s: %d steps in %s\n", cfg.Label(), hs[i].StepsDone, time.Since(start).Round(100*time.Millisecond))
		}()
	}
	wg.Wait()
	return hs, errors.Join(errs...)
}
