// Package layers builds the multi-layer perceptrons of the regularization
// tutorials in GoMLX: a dense layer whose backward pass is two matrix products
// (fast on GoMLX's pure-Go backend), ReLU with PyTorch's gradient, an MLP
// builder in the style of GoMLX's fnn package whose defaults are the tutorial's
// network (784→64→32→10), with optional dropout on the hidden layers, and
// PyTorch's default initialization so runs can be compared with the PyTorch
// original.
package layers
