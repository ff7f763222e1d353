// Package run trains the tutorial's MLP: one settings.Config per run, the
// training loop with the tutorial's log lines ([Train]), checkpoints and
// resume, and [Compare] for several runs side by side. A run leaves a
// history.History behind.
//
// The flow is one way: a settings.Config → the model and its penalties
// (packages layers and regularizers) → Train → a history.History. Data comes
// from package data, the backend from internal/backend; plots of a History
// are in package plots, and display in a notebook in package regnb, which
// this package does not know about.
//
// A run with an output directory writes history.json, history.csv and a
// GoMLX checkpoint there. The checkpoint and the history always describe the
// same step: history.json names the checkpoint it goes with, and is renamed
// into place only after that checkpoint is written; a resume loads exactly
// that checkpoint.
package run
