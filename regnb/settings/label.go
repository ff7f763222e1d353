package settings

import (
	"fmt"
	"strconv"
	"strings"
)

// Label describes the run's regularization in words, for legends and
// tables: "no penalty", "L1, λ = 1e-4", "L2, λ = 1", "Elastic Net, λ1 = 0.3,
// λ2 = 0.7", "Elastic Net, α = 0.01, ρ = 0.5", "proximal L1, λ = 0.05",
// "group lasso, λ = 1e-3 (proximal)", "group lasso, λ = 1e-3 (layers ×1, ×4)",
// "weight decay 1", "AdamW decay 0.5", "dropout 0.2", "max-norm 3";
// several joined by " + ", and ", kernels only" when the biases are not
// penalized; then, with pruning, ", then pruned (units < 0.05) and
// fine-tuned 3 epochs".
func (c Config) Label() string {
	var parts []string
	prox := ""
	if c.Proximal {
		prox = "proximal "
	}
	switch {
	case c.Alpha != 0:
		parts = append(parts, fmt.Sprintf("%sElastic Net, α = %s, ρ = %s", prox, Number(c.Alpha), Number(c.L1Ratio)))
	case c.L1 != 0 && c.L2 != 0:
		parts = append(parts, fmt.Sprintf("%sElastic Net, λ1 = %s, λ2 = %s", prox, Number(c.L1), Number(c.L2)))
	case c.L1 != 0:
		parts = append(parts, fmt.Sprintf("%sL1, λ = %s", prox, Number(c.L1)))
	case c.L2 != 0:
		parts = append(parts, fmt.Sprintf("%sL2, λ = %s", prox, Number(c.L2)))
	}
	if c.GroupLasso != 0 {
		var how []string
		if c.Proximal {
			how = append(how, "proximal")
		}
		if c.GroupLassoOutgoing {
			how = append(how, "with outgoing weights")
		}
		if len(c.GroupLassoLayers) > 0 {
			factors := make([]string, len(c.GroupLassoLayers))
			for i, f := range c.GroupLassoLayers {
				factors[i] = "×" + Number(f)
			}
			how = append(how, "layers "+strings.Join(factors, ", "))
		}
		gl := "group lasso, λ = " + Number(c.GroupLasso)
		if len(how) > 0 {
			gl += " (" + strings.Join(how, ", ") + ")"
		}
		parts = append(parts, gl)
	}
	if c.WeightDecay != 0 {
		parts = append(parts, "weight decay "+Number(c.WeightDecay))
	}
	if c.AdamW != 0 {
		parts = append(parts, "AdamW decay "+Number(c.AdamW))
	}
	if c.Dropout != 0 {
		parts = append(parts, "dropout "+Number(c.Dropout))
	}
	if c.MaxNorm != 0 {
		parts = append(parts, "max-norm "+Number(c.MaxNorm))
	}
	label := "no penalty"
	if len(parts) > 0 {
		label = strings.Join(parts, " + ")
	}
	if len(parts) > 0 && c.Penalize == "kernels" {
		label += ", kernels only"
	}
	return label + c.pruneLabel()
}

// pruneLabel is ", then pruned (units < 0.05) and fine-tuned 3 epochs", or
// "" without pruning.
func (c Config) pruneLabel() string {
	if c.PruneFinetune == 0 {
		return ""
	}
	floor := ""
	if c.PruneFloor != 0 {
		floor = " (units < " + Number(c.PruneFloor) + ")"
	}
	return fmt.Sprintf(", then pruned%s and fine-tuned %d epochs", floor, c.PruneFinetune)
}

// Number formats x for a reader: 1e-4 rather than 0.0001 or
// 9.999999999999999e-05 (at most 3 significant digits, the exponent without
// padding) below 0.01 and from 1e4, plain otherwise: 0.01, 0.3, 1, 250.
func Number(x float64) string {
	if x == 0 {
		return "0"
	}
	abs := x
	if abs < 0 {
		abs = -abs
	}
	if abs < 1e-2 || abs >= 1e4 {
		mant, exp, _ := strings.Cut(strconv.FormatFloat(x, 'e', 2, 64), "e")
		mant = strings.TrimRight(strings.TrimRight(mant, "0"), ".")
		e, _ := strconv.Atoi(exp)
		return fmt.Sprintf("%se%d", mant, e)
	}
	// At most 3 significant digits, never in e-notation: 1000, not 1e+03.
	rounded, _ := strconv.ParseFloat(strconv.FormatFloat(x, 'g', 3, 64), 64)
	return strconv.FormatFloat(rounded, 'f', -1, 64)
}
