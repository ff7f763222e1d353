package plots

import (
	"path/filepath"

	"gonum.org/v1/plot"

	"github.com/regnb/regnb/regnb/history"
)

// WriteRun writes the plots of a run (loss, accuracy, weights, sparsity,
// norms and, with a validation split, the train/validation gap), each as SVG
// and PNG, into dir. It suits run.WithOutputs.
func WriteRun(h *history.History, dir string) error {
	all := map[string]*plot.Plot{
		"loss": Loss(h), "accuracy": Accuracy(h), "weights": Weights(h), "sparsity": Sparsity(h), "norms": Norms(h),
	}
	if h.Config.Validation > 0 {
		all["gap"] = Gap(h)
	}
	return saveAll(dir, all)
}

// WriteComparison writes side-by-side plots of several runs (accuracy,
// sparsity, norms, data loss) into dir.
func WriteComparison(hs []*history.History, dir string) error {
	return saveAll(dir, map[string]*plot.Plot{
		"accuracy": Accuracy(hs...), "sparsity": Sparsity(hs...), "norms": Norms(hs...), "data-loss": DataLoss(hs...),
	})
}

// WriteSweep writes the plot of a sweep's validation accuracy against λ
// (Sweep) into dir, as sweep.svg and sweep.png.
func WriteSweep(s *history.Sweep, dir string) error {
	return saveAll(dir, map[string]*plot.Plot{"sweep": Sweep(s)})
}

func saveAll(dir string, plots map[string]*plot.Plot) error {
	for name, p := range plots {
		if err := Save(p, filepath.Join(dir, name)); err != nil {
			return err
		}
	}
	return nil
}
