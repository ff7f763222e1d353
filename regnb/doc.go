// Package regnb runs the experiments of the L1, L2 and Elastic Net
// regularization tutorial in Go with GoMLX: the MNIST data (idx files), the
// tutorial's settings as named presets of one [Config], the training loop with
// the tutorial's log lines, a [History] of every run (CSV and JSON), plots made
// from a History with gonum/plot, checkpoints, and display in GoNB notebooks or
// on a terminal.
//
// The flow is one way: Config → model and penalties (packages layers and
// regularizers) → [Train] → History → plots.
package regnb
