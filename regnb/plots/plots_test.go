package plots_test

import (
	"bytes"
	"context"
	"encoding/xml"
	"image/png"
	"io"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"gonum.org/v1/plot"

	"github.com/regnb/regnb/regnb/data/datatest"
	"github.com/regnb/regnb/regnb/history"
	"github.com/regnb/regnb/regnb/plots"
	"github.com/regnb/regnb/regnb/run"
	"github.com/regnb/regnb/regnb/settings"
)

// trainRun trains a small configuration of preset into a new directory, writing its plots.
func trainRun(t *testing.T, preset string) *history.History {
	cfg := settings.MustPreset(preset)
	cfg.Hidden, cfg.Epochs, cfg.LogEvery, cfg.LR = []int{16, 8}, 2, 5, 1e-3
	cfg.OutDir = t.TempDir()
	h, err := run.Train(context.Background(), cfg, run.WithData(datatest.Load(t, 200, 6)),
		run.WithLog(nil), run.WithOutputs(plots.WriteRun))
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
	h := trainRun(t, "l1")
	dir := h.Config.OutDir
	checkFiles(t, dir, "loss", "accuracy", "weights", "sparsity", "norms")
	// Plots of a history read back from disk render too.
	back, err := history.Load(dir)
	require.NoError(t, err)
	_, err = plots.SVG(plots.Loss(back))
	require.NoError(t, err)
	// A history with no logged step still renders (no empty log scale).
	_, err = plots.PNG(plots.Loss(&history.History{Config: h.Config}))
	require.NoError(t, err)

	out := t.TempDir()
	require.NoError(t, plots.WriteComparison([]*history.History{h, trainRun(t, "l2")}, out))
	checkFiles(t, out, "accuracy", "sparsity", "norms", "data-loss")
}

func TestLinesAndPolynomials(t *testing.T) {
	line := plots.Curve{Label: "y = x", Eval: func(x float64) float64 { return x }}
	_, err := plots.SVG(plots.Polynomial("fits", []float64{-0.5, 0, 0.5}, []float64{-0.4, 0.1, 0.6}, line))
	require.NoError(t, err)
	_, err = plots.PNG(plots.Lines("lines", "x", "y", true, plots.Series{Name: "a", X: []float64{1, 10}, Y: []float64{1, 2}}))
	require.NoError(t, err)
}

// TestAccuracyShowsValidationAndTrain: with a validation split the accuracy
// plot has a validation and a train line per run, and the gap plot draws
// their difference; without one, only the train line.
func TestAccuracyShowsValidationAndTrain(t *testing.T) {
	h := &history.History{Config: settings.MustPreset("l1"), Status: history.Finished, StepsDone: 30, StepsPerEpoch: 20,
		Epochs:  []history.EpochRecord{{Epoch: 0, TrainAccuracy: 0.1, ValidationAccuracy: 0.1}, {Epoch: 1, Step: 20, TrainAccuracy: 0.9, ValidationAccuracy: 0.8}},
		Summary: history.Summary{TrainAccuracy: 0.95, ValidationAccuracy: 0.85}}
	h.Config.Validation = 100
	svg := func(p *plot.Plot) string {
		b, err := plots.SVG(p)
		require.NoError(t, err)
		return string(b)
	}
	acc := svg(plots.Accuracy(h))
	assert.Contains(t, acc, "L1, λ = 1: validation")
	assert.Contains(t, acc, "L1, λ = 1: train")
	assert.Contains(t, acc, "validation (solid), train (dashed)")
	assert.Contains(t, svg(plots.Gap(h)), "generalization gap")

	h.Config.Validation = 0
	acc = svg(plots.Accuracy(h))
	assert.NotContains(t, acc, "validation")
	assert.Contains(t, acc, "Train accuracy")
	assert.Contains(t, acc, ">L1, λ = 1<", "the title says train: the legend names the run alone")
}

// TestSweepPlot: λ on a log axis labelled 1e-4, 1e-3, not 0.0001; the no
// penalty baseline as a line; both rules' marks in the legend.
func TestSweepPlot(t *testing.T) {
	val := func(mean float64) []history.FigureStat {
		return []history.FigureStat{{Name: history.FigValidationAccuracy, Stat: history.Stat{Mean: mean, SD: 0.01, N: 3}}}
	}
	s := &history.Sweep{Axis: "penalty", Seeds: []uint64{1, 2, 3}, Points: []history.SweepPoint{
		{Path: "l1", Lambda: 0, Figures: val(0.90), Chosen: []string{history.ChosenOneSE}},
		{Path: "l1", Lambda: 9.999999999999999e-05, Figures: val(0.92), Chosen: []string{history.ChosenBest}},
		{Path: "l1", Lambda: 1e-3, Figures: val(0.915)},
		{Path: "l2", Lambda: 0, Figures: val(0.90)},
		{Path: "l2", Lambda: 1e-4, Figures: val(0.91)},
		{Path: "l2", Lambda: 1e-3, Figures: val(0.89)},
	}}
	b, err := plots.SVG(plots.Sweep(s))
	require.NoError(t, err)
	svg := string(b)
	for _, want := range []string{">1e-4<", ">1e-3<", ">λ = 0 (no penalty), chosen for L1: 1-SE rule<", ">L2<", "chosen: best mean", "mean ± SE over 3 seeds"} {
		assert.Contains(t, svg, want)
	}
	assert.Equal(t, 1, strings.Count(svg, "λ = 0"), "the paths' λ = 0, the same no-penalty runs, drawn once")
	assert.NotContains(t, svg, "9.999")
	assert.NotContains(t, svg, "0.0001")
	dir := t.TempDir()
	require.NoError(t, plots.WriteSweep(s, dir))
	checkFiles(t, dir, "sweep")
}
