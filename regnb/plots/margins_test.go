package plots

import (
	"math"
	"strings"
	"testing"
)

func TestMarginsAndWholeTicks(t *testing.T) {
	p := newPlot("loss", "step", "loss")
	addLine(p, "a", 0, false, false, []float64{500, 1000, 30000}, []float64{0.5, 2, 1})
	first, err := SVG(p)
	if err != nil {
		t.Fatal(err)
	}
	if p.Y.Min != 0.5 || p.Y.Max != 2 || p.X.Min != 500 {
		t.Errorf("drawing changed the plot's ranges for good: x from %g, y %g…%g", p.X.Min, p.Y.Min, p.Y.Max)
	}
	restore := withMargins(p)
	if d := 0.04 * 1.5; math.Abs(p.Y.Min-(0.5-d)) > 1e-12 || math.Abs(p.Y.Max-(2+d)) > 1e-12 || p.X.Min != 0 {
		t.Errorf("margins: y %g…%g, x from %g; want y %g…%g, steps from 0", p.Y.Min, p.Y.Max, p.X.Min, 0.5-d, 2+d)
	}
	restore()
	second, err := SVG(p)
	if err != nil || string(first) != string(second) {
		t.Errorf("a plot drawn twice differs (%v)", err)
	}
	for _, want := range []string{">0<", ">10000<", ">30000<"} {
		if !strings.Contains(string(first), want) {
			t.Errorf("the step axis has no tick %s", want)
		}
	}
	var labels []string
	for _, tk := range (epochTicks{}).Ticks(0, 5) {
		labels = append(labels, tk.Label)
	}
	if strings.Join(labels, " ") != "0 1 2 3 4 5" {
		t.Errorf("epoch ticks %q, want 0 … 5", labels)
	}
}

func TestPenaltyName(t *testing.T) {
	for kind, want := range map[string]string{"l1": "L1", "elastic-net": "Elastic Net", "group-lasso": "group lasso", "dropout": "dropout"} {
		if got := PenaltyName(kind); got != want {
			t.Errorf("PenaltyName(%q) = %q, want %q", kind, got, want)
		}
	}
}
