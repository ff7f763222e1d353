package plots

import (
	"fmt"
	"strings"

	"gonum.org/v1/plot"

	"github.com/regnb/regnb/regnb/history"
)

// Loss draws the components of the loss over the logged steps of a run:
// the total, the data loss (cross-entropy) and each weighted penalty term,
// on a log scale.
func Loss(h *history.History) *plot.Plot {
	p := newPlot("Loss components — "+h.Name(), "step", "loss (log scale)")
	var xs, total, data []float64
	terms := make([][]float64, len(h.Terms))
	for _, r := range h.Steps {
		xs = append(xs, float64(r.Step))
		total = append(total, r.Total)
		data = append(data, r.Data)
		for i := range h.Terms {
			terms[i] = append(terms[i], r.Terms[i])
		}
	}
	drawn := addLine(p, "total", 0, false, true, xs, total)
	drawn = addLine(p, "data (cross-entropy)", 1, false, true, xs, data) || drawn
	for i, name := range h.Terms {
		drawn = addLine(p, name+" term", 2+i, true, true, xs, terms[i]) || drawn
	}
	useLogY(p, drawn)
	return p
}

// Norms draws Σ|w| and Σw² of all parameters over the logged steps.
func Norms(hs ...*history.History) *plot.Plot {
	p := newPlot("Size of the weights", "step", "norm (log scale)")
	drawn := false
	for i, h := range hs {
		var xs, l1, l2 []float64
		for _, r := range h.Steps {
			xs = append(xs, float64(r.Step))
			l1 = append(l1, r.L1Norm)
			l2 = append(l2, r.SquaredL2)
		}
		drawn = addLine(p, h.Name()+": Σ|w|", i, false, true, xs, l1) || drawn
		drawn = addLine(p, h.Name()+": Σw²", i, true, true, xs, l2) || drawn
	}
	useLogY(p, drawn)
	return p
}

// Accuracy draws, over the epochs (0: before training; a run stopped within
// an epoch ends at a fraction of one), the validation accuracy (solid) and
// the train accuracy (dashed, on history.TrainEvalImages training images) of
// one or more runs; a run without a validation split has its train line
// only. The test set, evaluated once at the end, is not drawn.
func Accuracy(hs ...*history.History) *plot.Plot {
	title, trainSuffix := "Train accuracy", "" // Without a validation split, the legend names the runs alone.
	for _, h := range hs {
		if h.Config.Validation > 0 {
			title, trainSuffix = "Accuracy: validation (solid), train (dashed)", ": train"
		}
	}
	p := newPlot(title, "epoch", "accuracy")
	p.Y.Min, p.Y.Max = 0, 1
	for i, h := range hs {
		xs, train, val := evaluations(h)
		if h.Config.Validation > 0 {
			addLine(p, h.Name()+": validation", i, false, false, xs, val)
		}
		addLine(p, h.Name()+trainSuffix, i, true, false, xs, train)
	}
	return p
}

// Gap draws the train accuracy less the validation accuracy over the epochs
// of the runs that have a validation split: how much better the network
// does on the images it learns from than on images it never saw.
func Gap(hs ...*history.History) *plot.Plot {
	p := newPlot("Train − validation accuracy (the generalization gap)", "epoch", "accuracy difference")
	for i, h := range hs {
		if h.Config.Validation == 0 {
			continue
		}
		xs, train, val := evaluations(h)
		gap := make([]float64, len(xs))
		for k := range xs {
			gap[k] = train[k] - val[k]
		}
		addLine(p, h.Name(), i, false, false, xs, gap)
	}
	return p
}

// evaluations returns a run's evaluations: the epoch (fractional at the end
// of a run stopped within an epoch), the train and the validation accuracy.
func evaluations(h *history.History) (xs, train, val []float64) {
	epochOf := func(step int) float64 { return float64(step) / float64(max(1, h.StepsPerEpoch)) }
	for _, e := range h.Epochs {
		xs = append(xs, epochOf(e.Step))
		train, val = append(train, e.TrainAccuracy), append(val, e.ValidationAccuracy)
	}
	if h.Status == history.Finished && (len(h.Epochs) == 0 || h.Epochs[len(h.Epochs)-1].Step != h.StepsDone) {
		s := h.Summary
		xs = append(xs, epochOf(h.StepsDone))
		train, val = append(train, s.TrainAccuracy), append(val, s.ValidationAccuracy)
	}
	return xs, train, val
}

// Sparsity draws the fraction of parameters with |w| < history.SmallWeight over
// the logged steps of one or more runs.
func Sparsity(hs ...*history.History) *plot.Plot {
	p := newPlot(fmt.Sprintf("Parameters with |w| < %g", history.SmallWeight), "step", "fraction of parameters")
	p.Y.Min, p.Y.Max = 0, 1
	for i, h := range hs {
		var xs, ys []float64
		for _, r := range h.Steps {
			xs = append(xs, float64(r.Step))
			ys = append(ys, r.Small)
		}
		addLine(p, h.Name(), i, false, false, xs, ys)
	}
	return p
}

// Weights draws, for each layer, how many weights there are of each
// order of magnitude (log10|w|), as a fraction of the layer's weights, before
// training (dashed) and after (solid).
// Exact zeros, which have no logarithm, are given in the legend.
func Weights(h *history.History) *plot.Plot {
	p := newPlot("Weights by magnitude — "+h.Name(), "|w| (log scale)", "fraction of the layer's weights")
	p.X.Tick.Marker = exponentTicks{}
	layer := 0
	seen := map[string]int{}
	for _, wh := range h.Histograms {
		i, ok := seen[wh.Layer]
		if !ok {
			i = layer
			seen[wh.Layer] = i
			layer++
		}
		total := wh.Zeros
		for _, c := range wh.Counts {
			total += c
		}
		var xs, ys []float64
		for k, c := range wh.Counts {
			xs = append(xs, (wh.Edges[k]+wh.Edges[k+1])/2)
			ys = append(ys, float64(c)/float64(max(total, 1)))
		}
		label := fmt.Sprintf("%s, %s", layerName(wh.Layer), stageName(wh.Stage))
		if wh.Zeros > 0 {
			label += fmt.Sprintf(" (+%d zeros)", wh.Zeros)
		}
		addLine(p, label, i, wh.Stage == "initial", false, xs, ys)
	}
	return p
}

// DataLoss draws the data loss (cross-entropy) of several runs.
func DataLoss(hs ...*history.History) *plot.Plot {
	p := newPlot("Data loss (cross-entropy)", "step", "loss (log scale)")
	drawn := false
	for i, h := range hs {
		var xs, ys []float64
		for _, r := range h.Steps {
			xs, ys = append(xs, float64(r.Step)), append(ys, r.Data)
		}
		drawn = addLine(p, h.Name(), i, false, true, xs, ys) || drawn
	}
	useLogY(p, drawn)
	return p
}

// layerName names a layer's weights for a legend: "/dense_0/weights" is
// "layer 1" (counted from the input); other names as they are.
func layerName(variable string) string {
	name := strings.TrimSuffix(strings.TrimPrefix(variable, "/"), "/weights")
	var n int
	if _, err := fmt.Sscanf(name, "dense_%d", &n); err == nil && fmt.Sprintf("dense_%d", n) == name {
		return fmt.Sprintf("layer %d", n+1)
	}
	return name
}

// stageName says when a histogram was taken: "initial" is "before
// training", "final" "after training".
func stageName(stage string) string {
	switch stage {
	case "initial":
		return "before training"
	case "final":
		return "after training"
	}
	return stage
}
