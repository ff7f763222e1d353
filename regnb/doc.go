// Package regnb is what the notebooks of the L1, L2 and Elastic Net
// regularization tutorial call: the run of a configuration with a live
// progress bar in the notebook ([Train]), several seeds ([TrainSeeds]), a
// sweep of λ chosen on a validation split ([Sweep], [ShowSweep],
// [SweepPlot]), plots shown inline ([Show]), a cell's error in a red box
// ([Check]), the notebooks' quick mode ([ForNotebook]) and their run
// directories ([RunDir]), a penalty and its λ on GoNB widgets in a browser
// ([PenaltySlider], when [BrowserConnected]), and short names for what lives
// in the packages below it. It is the only package that imports GoNB.
//
// The rooms, in the order the data flows:
//
//	regnb/settings    Config, each setting declared once (field, JSON, flag,
//	                  help, check, resumable); the tutorial's presets
//	regnb/data        MNIST idx files, finding MNIST in the module cache, the
//	                  one function that scales pixels
//	internal/backend  which GoMLX backend runs (pure Go or XLA) and its kernels
//	regnb/run         the training loop and its log lines, the validation
//	                  split's evaluation, checkpoints and resume, Compare, Seeds
//	regnb/sweep       a grid of λ × one more axis × seeds, run in parallel and
//	                  resumable; λ chosen on the validation split (best mean,
//	                  one-standard-error rule), the test set for the chosen alone
//	regnb/history     what a run leaves behind: History (JSON, CSV), tables,
//	                  figures over seeds, a sweep's results
//	regnb/plots       gonum plots of a History, of fits and of any lines; SVG,
//	                  PNG (it depends on history alone, not on GoMLX)
//	regnb/infer       a trained network's forward pass over a data set, timed
//	regnb/fit         polynomial fits and the Elastic Net path, outside MNIST
//	regnb             display in GoNB notebooks (this package)
//
// The MLP's structure (its variables' names, hidden units, dead units,
// pruning, loading from a checkpoint) is package layers'.
// The command line, cmd/regnb, uses the packages below this one.
package regnb
