package regnb

import (
	"encoding/json"
	"fmt"
	"os"

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

// PathReference is a small regression problem and the coefficient paths
// scikit-learn's enet_path computed for it (scripts/enet_path_reference.py
// writes it to regnb/testdata/enet_path.json).
type PathReference struct {
	X     [][]float64 `json:"x"` // 60 examples × 8 features, standardized.
	Y     []float64   `json:"y"`
	Paths []struct {
		L1Ratio float64     `json:"l1_ratio"` // ρ: 1 is the Lasso.
		Alphas  []float64   `json:"alphas"`   // From the strongest to the weakest.
		Coefs   [][]float64 `json:"coefs"`    // Coefs[i]: the coefficients at Alphas[i].
	} `json:"paths"`
}

// LoadPathReference reads regnb/testdata/enet_path.json.
func LoadPathReference() (*PathReference, error) {
	raw, err := os.ReadFile(RepoFile("regnb/testdata/enet_path.json"))
	if err != nil {
		return nil, err
	}
	ref := &PathReference{}
	if err := json.Unmarshal(raw, ref); err != nil {
		return nil, fmt.Errorf("enet_path.json: %w", err)
	}
	return ref, nil
}
