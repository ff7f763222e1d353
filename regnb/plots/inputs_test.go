package plots_test

import (
	"bytes"
	"image/png"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/regnb/regnb/regnb/history"
	"github.com/regnb/regnb/regnb/plots"
)

func TestInputMapsAndWeightsCompare(t *testing.T) {
	l1, l2 := trainRun(t, "l1"), trainRun(t, "l2")
	require.NotEmpty(t, l1.Summary.InputL1)
	for _, p := range []struct {
		name string
		png  func() ([]byte, error)
	}{
		{"input maps", func() ([]byte, error) { return plots.PNG(plots.InputMaps("maps", l1, l2)) }},
		{"input maps, none recorded", func() ([]byte, error) { return plots.PNG(plots.InputMaps("maps", &history.History{})) }},
		{"weights compared", func() ([]byte, error) { return plots.PNG(plots.WeightsCompare(l1, l2)) }},
	} {
		raw, err := p.png()
		require.NoError(t, err, p.name)
		_, err = png.Decode(bytes.NewReader(raw))
		require.NoError(t, err, p.name)
	}
}

// The legend goes below the plot area: a plot with a legend is taller, by
// more for more entries, and its data area keeps its size.
func TestLegendBelowThePlot(t *testing.T) {
	height := func(n int) int {
		var series []plots.Series
		for i := range n {
			series = append(series, plots.Series{Name: string(rune('a' + i)), X: []float64{1, 2}, Y: []float64{1, 2}})
		}
		raw, err := plots.PNG(plots.Lines("lines", "x", "y", false, series...))
		require.NoError(t, err)
		img, err := png.Decode(bytes.NewReader(raw))
		require.NoError(t, err)
		return img.Bounds().Dy()
	}
	none, one, four := height(0), height(1), height(4)
	assert.Greater(t, one, none)
	assert.Greater(t, four, one)
}
