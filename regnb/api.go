package regnb

import (
	"io"

	"gonum.org/v1/plot"

	"github.com/gomlx/compute"

	"github.com/regnb/regnb/regnb/fit"
	"github.com/regnb/regnb/regnb/history"
	"github.com/regnb/regnb/regnb/plots"
	"github.com/regnb/regnb/regnb/run"
	"github.com/regnb/regnb/regnb/settings"
	"github.com/regnb/regnb/regularizers"
)

// Short names, for the notebooks, of what the packages below define.
type (
	Config     = settings.Config // The settings of one run.
	History    = history.History // What a run leaves behind.
	Option     = run.Option      // Adjusts how Train runs.
	Series     = plots.Series    // A named line of points, for LinePlot.
	Points     = fit.Points      // A small regression data set.
	Polynomial = fit.Polynomial  // A fitted polynomial.
)

// SmallWeight is the threshold under which a weight counts as (near) zero.
const SmallWeight = history.SmallWeight

// Examples lists the tutorial's presets.
var Examples = settings.Examples

// Preset returns the settings of one of the tutorial's examples (see settings.Preset).
func Preset(name string) (Config, error) { return settings.Preset(name) }

// MustPreset is Preset for names known to be valid; it panics otherwise.
func MustPreset(name string) Config { return settings.MustPreset(name) }

// LoadHistory reads the history.json of a run's directory (or that file).
func LoadHistory(path string) (*History, error) { return history.Load(path) }

// WithLog sends the tutorial's log lines to w (default os.Stdout); nil silences them.
func WithLog(w io.Writer) Option { return run.WithLog(w) }

// SummaryTable writes a Markdown table of the runs' results.
func SummaryTable(hs []*History, w io.Writer) error {
	return history.WriteMarkdown(w, history.SummaryRows(hs))
}

// LossPlot draws the loss components of a run: total, data loss and each term.
func LossPlot(h *History) *plot.Plot { return plots.Loss(h) }

// DataLossPlot draws the data loss of several runs.
func DataLossPlot(hs ...*History) *plot.Plot { return plots.DataLoss(hs...) }

// AccuracyPlot draws the test accuracy after each epoch of several runs.
func AccuracyPlot(hs ...*History) *plot.Plot { return plots.Accuracy(hs...) }

// NormsPlot draws Σ|w| and Σw² over the steps of several runs.
func NormsPlot(hs ...*History) *plot.Plot { return plots.Norms(hs...) }

// SparsityPlot draws the share of parameters with |w| < SmallWeight over the steps of several runs.
func SparsityPlot(hs ...*History) *plot.Plot { return plots.Sparsity(hs...) }

// WeightsPlot draws each layer's weights by order of magnitude, before and after training.
func WeightsPlot(h *History) *plot.Plot { return plots.Weights(h) }

// LinePlot draws series against a shared x axis, on a log scale if logX.
func LinePlot(title, xLabel, yLabel string, logX bool, series ...Series) *plot.Plot {
	return plots.Lines(title, xLabel, yLabel, logX, series...)
}

// PolynomialPlot draws the points and the fitted polynomials over [−1, 1].
func PolynomialPlot(title string, pts Points, fits ...Polynomial) *plot.Plot {
	curves := make([]plots.Curve, len(fits))
	for i, f := range fits {
		curves[i] = plots.Curve{Label: f.Label, Eval: f.Eval}
	}
	return plots.Polynomial(title, pts.X, pts.Y, curves...)
}

// NoisyPoints returns n points of a gentle curve with Gaussian noise (see fit.NoisyPoints).
func NoisyPoints(n int, noise float64, seed uint64) Points { return fit.NoisyPoints(n, noise, seed) }

// FitPolynomial fits a polynomial of the given degree to the points, with an
// optional penalty on its coefficients (see fit.FitPolynomial).
func FitPolynomial(b compute.Backend, pts Points, degree int, penalty regularizers.Regularizer, steps int) (Polynomial, error) {
	return fit.FitPolynomial(b, pts, degree, penalty, steps)
}

// ElasticNetPath computes scikit-learn's Elastic Net path of a linear model (see fit.ElasticNetPath).
func ElasticNetPath(b compute.Backend, x [][]float64, y []float64, l1Ratio float64, alphas []float64, tol float64) ([][]float64, error) {
	return fit.ElasticNetPath(b, x, y, l1Ratio, alphas, tol)
}

// SVG renders p as SVG (Show displays it).
func SVG(p *plot.Plot) ([]byte, error) { return plots.SVG(p) }

// InputMapsPlot draws each run's first-layer Σ|w| per input pixel as an image, side by side.
func InputMapsPlot(title string, hs ...*History) *plot.Plot { return plots.InputMaps(title, hs...) }

// WeightsComparePlot draws several runs' weights by order of magnitude on one axis.
func WeightsComparePlot(hs ...*History) *plot.Plot { return plots.WeightsCompare(hs...) }

// WithPenalty trains with reg instead of the penalty the Config's fields
// describe (see run.WithPenalty).
func WithPenalty(reg regularizers.Regularizer) Option { return run.WithPenalty(reg) }

// Penalty returns the regularizer a configuration's penalty settings
// describe, as a training step applies it (see run.Penalty).
func Penalty(cfg Config) (regularizers.Regularizer, error) { return run.Penalty(cfg) }
