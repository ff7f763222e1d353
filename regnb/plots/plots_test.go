package plots_test

import (
	"bytes"
	"context"
	"encoding/xml"
	"image/png"
	"io"
	"os"
	"path/filepath"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/regnb/regnb/regnb/data/datatest"
	"github.com/regnb/regnb/regnb/experiment"
	"github.com/regnb/regnb/regnb/fit"
	"github.com/regnb/regnb/regnb/plots"
)

// run trains a small configuration of preset into a new directory, writing its plots.
func run(t *testing.T, preset string) *experiment.History {
	cfg := experiment.MustPreset(preset)
	cfg.Hidden, cfg.Epochs, cfg.LogEvery, cfg.LR = []int{16, 8}, 2, 5, 1e-3
	cfg.OutDir = t.TempDir()
	h, err := experiment.Train(context.Background(), cfg, experiment.WithData(datatest.Load(t, 200, 6)),
		experiment.WithLog(nil), experiment.WithOutputs(plots.WriteRun))
	require.NoError(t, err)
	return h
}

// checkFiles checks that each name.svg in dir is well-formed SVG and each name.png a PNG.
func checkFiles(t *testing.T, dir string, names ...string) {
	for _, name := range names {
		svg, err := os.ReadFile(filepath.Join(dir, name+".svg"))
		require.NoError(t, err)
		dec := xml.NewDecoder(bytes.NewReader(svg))
		root := ""
		for {
			tok, err := dec.Token()
			if err == io.EOF {
				break
			}
			require.NoError(t, err, name+".svg is not well-formed XML")
			if se, ok := tok.(xml.StartElement); ok && root == "" {
				root = se.Name.Local
			}
		}
		assert.Equal(t, "svg", root, name)
		f, err := os.Open(filepath.Join(dir, name+".png"))
		require.NoError(t, err)
		img, err := png.Decode(f)
		f.Close()
		require.NoError(t, err, name+".png")
		assert.Greater(t, img.Bounds().Dx(), 300)
	}
}

func TestPlotsAreValidSVGAndPNG(t *testing.T) {
	h := run(t, "l1")
	dir := h.Config.OutDir
	checkFiles(t, dir, "loss", "accuracy", "weights", "sparsity", "norms")
	// Plots of a history read back from disk render too.
	back, err := experiment.LoadHistory(dir)
	require.NoError(t, err)
	_, err = plots.SVG(plots.Loss(back))
	require.NoError(t, err)
	// A history with no logged step still renders (no empty log scale).
	_, err = plots.PNG(plots.Loss(&experiment.History{Config: h.Config}))
	require.NoError(t, err)

	out := t.TempDir()
	require.NoError(t, plots.WriteComparison([]*experiment.History{h, run(t, "l2")}, out))
	checkFiles(t, out, "accuracy", "sparsity", "norms", "data-loss")
}

func TestLinesAndPolynomials(t *testing.T) {
	pts := fit.NoisyPoints(10, 0.25, 3)
	line := fit.Polynomial{C: []float64{0, 1}, Label: "y = x"}
	_, err := plots.SVG(plots.Polynomial("fits", pts, line))
	require.NoError(t, err)
	_, err = plots.PNG(plots.Lines("lines", "x", "y", true, plots.Series{Name: "a", X: []float64{1, 10}, Y: []float64{1, 2}}))
	require.NoError(t, err)
}
