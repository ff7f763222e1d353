package plots_test

import (
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/regnb/regnb/regnb/history"
	"github.com/regnb/regnb/regnb/plots"
	"github.com/regnb/regnb/regnb/settings"
)

func labels(lo, hi float64) []string {
	var out []string
	for _, t := range (plots.LogTicks{}).Ticks(lo, hi) {
		if t.Label != "" {
			out = append(out, t.Label)
		}
	}
	return out
}

// TestLogTicks: a log axis reads 1e-5, 1e-4, 0.01 (never 1e-05 or
// 9.999999999999999e-06), and always has at least two labels.
func TestLogTicks(t *testing.T) {
	assert.Equal(t, []string{"1e-5", "1e-4", "1e-3", "0.01"}, labels(1e-5, 0.01))
	assert.Equal(t, []string{"0.1", "1"}, labels(0.09, 1.1))
	assert.Equal(t, []string{"100", "1000"}, labels(40, 2000), "1000, not 1e+03")
	assert.Equal(t, []string{"0.2", "0.5"}, labels(0.15, 0.9), "2× and 5× where no two powers of ten")
	assert.Equal(t, []string{"1e-8", "1e-6", "1e-4", "0.01", "1", "100"}, labels(1e-8, 500), "every second power over many")
	assert.GreaterOrEqual(t, len(labels(1.98, 2.27)), 2, "a narrow range is labelled too: %v", labels(1.98, 2.27))
	assert.Empty(t, labels(0, 1), "no log ticks for a range that reaches 0")
}

// TestInputMapsLabels: the pixel maps name their runs and label the colour
// bar at each power of ten, from the floor up.
func TestInputMapsLabels(t *testing.T) {
	h := &history.History{Config: settings.MustPreset("l1")}
	h.Summary.InputL1 = make([]float64, 784)
	for i := range h.Summary.InputL1 {
		h.Summary.InputL1[i] = float64(i) / 100
	}
	svg, err := plots.SVG(plots.InputMaps("maps", h))
	require.NoError(t, err)
	for _, want := range []string{">L1, λ = 1<", "≤ 1e-4", ">Σ|w|<", "> 1e-3<", "> 0.01<", "> 1<"} {
		assert.Contains(t, string(svg), want)
	}
}
