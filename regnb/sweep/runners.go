package sweep

import (
	"bufio"
	"context"
	"fmt"
	"os"
	"os/exec"
	"strings"
	"time"

	"github.com/regnb/regnb/regnb/data"
	"github.com/regnb/regnb/regnb/run"
)

// InProcess returns a Runner that trains in this process, on the data d
// loaded once: each job in the goroutine that schedules it, with a backend
// and a model of its own; its log lines go to the job's log file.
func InProcess(p *Plan, d *data.TrainTest) Runner {
	return func(ctx context.Context, i int) error {
		f, err := openLog(p, i)
		if err != nil {
			return err
		}
		defer f.Close()
		return RunJob(ctx, p, i, d, f)
	}
}

// interruptGrace is how long a process has to save its state after SIGINT
// before it is killed.
var interruptGrace = time.Minute

// Processes returns a Runner that runs job i as the process command(i) —
// for the command line, `regnb sweep <the same flags> -index i` — its
// output appended to the job's log file. When ctx is cancelled the process
// gets SIGINT: its run saves its state and stops, as after Ctrl-C.
func Processes(p *Plan, command func(i int) *exec.Cmd) Runner {
	return func(ctx context.Context, i int) error {
		f, err := openLog(p, i)
		if err != nil {
			return err
		}
		defer f.Close()
		cmd := command(i)
		cmd.Stdout, cmd.Stderr = f, f
		if err := cmd.Start(); err != nil {
			return fmt.Errorf("starting %s: %w", cmd.Path, err)
		}
		exited := make(chan struct{})
		go func() {
			select {
			case <-ctx.Done():
				_ = cmd.Process.Signal(os.Interrupt)
				select {
				case <-exited:
				case <-time.After(interruptGrace):
					_ = cmd.Process.Kill()
				}
			case <-exited:
			}
		}()
		err = cmd.Wait()
		close(exited)
		switch {
		case err == nil:
			return nil
		case ctx.Err() != nil:
			return fmt.Errorf("%w (%v)", run.ErrInterrupted, err)
		}
		return fmt.Errorf("%v: %s (log: %s)", err, lastLine(f.Name()), f.Name())
	}
}

// openLog opens job i's log file for appending (a resumed run's lines
// follow the interrupted one's).
func openLog(p *Plan, i int) (*os.File, error) {
	name := p.logFile(p.Jobs[i])
	f, err := os.OpenFile(name, os.O_WRONLY|os.O_CREATE|os.O_APPEND, 0o644)
	if err != nil {
		return nil, fmt.Errorf("sweep: log of run %d: %w", i, err)
	}
	return f, nil
}

// lastLine returns the last line of a file that is not empty.
func lastLine(name string) string {
	f, err := os.Open(name)
	if err != nil {
		return ""
	}
	defer f.Close()
	last := ""
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		if line := strings.TrimSpace(sc.Text()); line != "" {
			last = line
		}
	}
	return last
}
