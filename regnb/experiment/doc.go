// Package experiment runs the tutorial's experiments: one [Config] per run
// (the tutorial's examples are presets of it), the training loop with the
// tutorial's log lines ([Train]), the [History] a run leaves behind (JSON and
// CSV), its checkpoints, and [Compare] for several runs side by side.
//
// The flow is one way: a Config → the model and its penalties (packages
// layers and regularizers) → Train → a History. Data comes from package
// data, the backend from internal/backend; plots of a History are in package
// plots, and display in a notebook in package regnb, which this package
// does not know about.
//
// A run with an output directory writes history.json, history.csv and a
// GoMLX checkpoint there. The checkpoint and the history always describe the
// same step: history.json names the checkpoint it goes with, and is renamed
// into place only after that checkpoint is written; a resume loads exactly
// that checkpoint.
package experiment
