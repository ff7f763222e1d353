// Package sweep chooses a penalty's strength λ honestly: it trains a grid of
// configurations — the strengths λ of one penalty (Kinds), times at most
// one more axis (the penalty itself, proximal or not, ρ, any setting) —
// each with several seeds, on a validation split carved from the training
// images (settings.Config.Validation, DefaultValidation by default), never
// on the test set. It chooses λ on each path of the grid by two rules
// (Choose): the best mean validation accuracy, and glmnet's
// one-standard-error rule, the largest λ whose mean validation accuracy is
// within one standard error (SE = sd/√n over the n seeds) of the best. Only
// then does it evaluate the chosen configurations on the test set, once
// (EvaluateChosen); every other run has settings.Config.NoTest and never
// reads it.
//
// A sweep is a Plan (NewPlan: the grid laid out as runs, in a fixed order),
// each run in its own directory, DIR/<configuration>/seed-<seed>, its log in
// DIR/logs (λ = 0, the same configuration on each penalty's path, in
// DIR/no-penalty, is run once). Run runs those not finished, several at a time, and ends with
// Finish: the table (history.Sweep) in DIR/sweep.json, sweep.csv and
// sweep.md. A finished run is never run again and an interrupted one resumes
// from its checkpoint, so a sweep stopped by Ctrl-C continues where it
// stopped, and its runs can be run anywhere: RunJob runs one (what `regnb
// sweep -index I` does on a batch system) and Finish collects them. Each
// run's directory is owned by the process that trains it (internal/rundir:
// a lock, a marker; a second process on it is refused); the sweep's
// directory itself is not locked — the tasks of a batch system's array share
// it — and a sweep writes there only names of its own (logs/, sweep.*, a
// directory per configuration) and deletes nothing.
//
// How runs run in parallel is a Runner. The command line uses Processes:
// one process per run, `regnb sweep <its flags> -index I`, the very command
// a batch system runs, so a sweep on one machine and a sweep on a cluster
// are the same runs. Notebooks use InProcess: goroutines in the cell's own
// program, each run with its own GoMLX backend and model, on data loaded
// once. A GoNB cell is a program that GoNB builds; running the regnb binary
// from it would mean building that binary from the repository first (with
// the cell's GOEXPERIMENT) and finding it again in every cell, for no gain:
// the runs share nothing but the read-only data, the pure-Go backend keeps
// one core busy per run at the tutorial's batch size, and Ctrl-C in the
// notebook (GoNB's interrupt) cancels them all through one context.
package sweep
