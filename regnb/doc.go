// Package regnb is what the notebooks of the L1, L2 and Elastic Net
// regularization tutorial call: the run of a configuration with a live
// progress bar in the notebook ([Train]), plots shown inline ([Show]), a cell's
// error in a red box ([Check]), the notebooks' quick mode ([ForNotebook]) and
// their run directories ([RunDir]), a penalty and its λ on GoNB widgets in a
// browser ([PenaltySlider], when [BrowserConnected]), and short names for what lives in the
// packages below it. It is the only package that imports GoNB.
//
// The rooms, in the order the data flows:
//
//	regnb/data        MNIST idx files: reading them, finding MNIST in the module cache
//	internal/backend  which GoMLX backend runs (pure Go or XLA) and its kernels
//	regnb/experiment  Config and presets, the training loop and its log lines,
//	                  History (JSON, CSV), checkpoints and resume, Compare
//	regnb/plots       gonum plots of a History, of fits and of any lines; SVG, PNG
//	regnb/fit         polynomial fits and the Elastic Net path, outside MNIST
//	regnb             display in GoNB notebooks (this package)
//
// The command line, cmd/regnb, uses the packages below this one.
package regnb
