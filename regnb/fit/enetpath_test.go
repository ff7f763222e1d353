package fit_test

import (
	"encoding/json"
	"os"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/regnb/regnb/internal/backend"
	"github.com/regnb/regnb/regnb/fit"
)

// TestElasticNetPathMatchesScikitLearn compares the Lasso and Elastic Net
// paths with those of scikit-learn's enet_path on the same data
// (testdata/enet_path.json, written by scripts/enet_path_reference.py).
func TestElasticNetPathMatchesScikitLearn(t *testing.T) {
	raw, err := os.ReadFile("../testdata/enet_path.json")
	require.NoError(t, err)
	var ref struct {
		X     [][]float64 `json:"x"`
		Y     []float64   `json:"y"`
		Paths []struct {
			L1Ratio float64     `json:"l1_ratio"`
			Alphas  []float64   `json:"alphas"`
			Coefs   [][]float64 `json:"coefs"`
		} `json:"paths"`
	}
	require.NoError(t, json.Unmarshal(raw, &ref))
	b, _, err := backend.New("")
	require.NoError(t, err)
	for _, p := range ref.Paths {
		got, err := fit.ElasticNetPath(b, ref.X, ref.Y, p.L1Ratio, p.Alphas, 1e-12)
		require.NoError(t, err)
		require.Len(t, got, len(p.Coefs))
		zerosSeen := 0
		for i, want := range p.Coefs {
			for j := range want {
				assert.InDelta(t, want[j], got[i][j], 1e-6, "l1_ratio %g, alpha %g, coefficient %d", p.L1Ratio, p.Alphas[i], j)
				if want[j] == 0 {
					zerosSeen++
					assert.Equal(t, 0.0, got[i][j], "exact zero expected (l1_ratio %g, alpha %g, coefficient %d)", p.L1Ratio, p.Alphas[i], j)
				}
			}
		}
		assert.Positive(t, zerosSeen, "the reference path should contain exact zeros")
	}
}

// Bad input is refused before any training: a ratio out of [0, 1] or a
// negative α (as regularizers.ElasticNetStrengths names them), an x without
// a largest singular value to take the step from.
func TestElasticNetPathBadInput(t *testing.T) {
	x := [][]float64{{1, 2}, {3, 4}}
	y := []float64{1, 2}
	_, err := fit.ElasticNetPath(nil, x, y, 1.5, []float64{0.1}, 1e-9)
	assert.EqualError(t, err, "regularizers.ElasticNetStrengths: invalid l1Ratio 1.5: must be in [0, 1]")
	_, err = fit.ElasticNetPath(nil, x, y, 0.5, []float64{0.1, -1}, 1e-9)
	assert.EqualError(t, err, "regularizers.ElasticNetStrengths: invalid alpha -1: must be ≥ 0")
	_, err = fit.ElasticNetPath(nil, [][]float64{{0, 0}, {0, 0}}, y, 0.5, []float64{0.1}, 1e-9)
	assert.EqualError(t, err, "elastic net path: x has largest singular value 0: want a finite, non-zero x")
}
