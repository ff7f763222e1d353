package regnb

import (
	"gonum.org/v1/plot"

	"github.com/regnb/regnb/regnb/plots"
)

// PathPlot draws a linear model's coefficient path: each coefficient
// against the strength α (log axis, the strongest α on the left, so that
// the coefficients enter from left to right), a colour each; truth, if
// given, are the coefficients the data were made with, named in the legend
// ("w0 (true 3)"), dashed where the truth is 0.
func PathPlot(title string, alphas []float64, path [][]float64, truth []float64) *plot.Plot {
	return plots.Path(title, alphas, path, truth)
}
