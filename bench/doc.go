// Package bench measures regnb's training step and regularizers, and
// (with the harness in cmd/) compares them with the PyTorch original. It is
// never imported by the product.
package bench
