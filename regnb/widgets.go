package regnb

import (
	"fmt"
	"html"
	"math"
	"os"
	"os/signal"
	"time"

	"github.com/janpfeifer/gonb/gonbui"
	"github.com/janpfeifer/gonb/gonbui/comms"
	"github.com/janpfeifer/gonb/gonbui/dom"
	"github.com/janpfeifer/gonb/gonbui/widgets"
	"gonum.org/v1/plot"

	"github.com/regnb/regnb/regnb/plots"
)

// Plot is a gonum plot, as Show and PenaltySlider's draw function take it.
type Plot = plot.Plot

// HeadlessEnv names the environment variable that says no browser shows the
// notebook: REGNB_HEADLESS=1 (scripts/run-notebooks.sh sets it for nbconvert).
const HeadlessEnv = "REGNB_HEADLESS"

const (
	// browserWait is how long BrowserConnected waits for the page to answer,
	// browserTries how many times it asks.
	browserWait, browserTries = 5 * time.Second, 3
	// sliderIdle: PenaltySlider stops listening after this long without a change.
	sliderIdle = 5 * time.Minute
	// The λ slider's positions, four a decade: λ = 10^(p/4 − 4), 0.0001 … 1.
	sliderMin, sliderMax = 0, 16
)

// BrowserConnected reports whether a browser shows this notebook, where
// GoNB's widgets (PenaltySlider) can work: it asks the page to answer over
// GoNB's comms, up to three times, waiting up to 5 seconds each. Each try
// first asks GoNB to (re)install its connection in the page: GoNB gives that
// connection 3 seconds to open and 0.5 s for its acknowledgement, which a busy
// machine can miss. Nobody answers under nbconvert (make tutorial, make
// test), where a widget would wait forever for its first value; those runs
// also say so beforehand with REGNB_HEADLESS=1. Outside a notebook it is false.
func BrowserConnected() bool {
	if !InNotebook() || os.Getenv(HeadlessEnv) == "1" {
		return false
	}
	address := "/regnb/probe/" + gonbui.UniqueId()
	answer := comms.Listen[int](address)
	defer answer.Close()
	for try := 0; try < browserTries; try++ {
		comms.Start()
		dom.TransientJavascript(fmt.Sprintf(`(function ask(tries) {
			if (globalThis.gonb_comm) { globalThis.gonb_comm.send(%q, 1); }
			else if (tries > 0) { setTimeout(() => ask(tries - 1), 100); }
		})(50);`, address))
		select {
		case <-answer.C:
			return true
		case <-time.After(browserWait):
		}
	}
	return false
}

// PenaltySlider shows a choice of penalty (kinds, the first one chosen) and λ
// on a slider from 0.0001 to 1 (four positions a decade, starting at the one
// nearest lambda), with the plot that draw returns for the chosen kind and λ
// below them, and its caption; each change of either control calls draw again
// and redraws the plot in place. It returns when the cell is stopped (■, a
// kernel interrupt) or after five minutes without a change, leaving the last
// plot and the controls disabled.
//
// It needs a browser (BrowserConnected): without one, GoNB's widgets wait
// forever for the page.
func PenaltySlider(kinds []string, lambda float64, draw func(kind string, lambda float64) (figure *Plot, caption string)) {
	controls := "regnb_controls_" + gonbui.UniqueId()
	gonbui.DisplayHtml(fmt.Sprintf(`<div style="display:flex; gap:2em; align-items:center">
		<span id="%s_kind">penalty </span><span id="%s_lambda">λ (0.0001 … 1) </span></div>`, controls, controls))
	kindSelect := widgets.Select(kinds).AppendTo(controls + "_kind").Done()
	kind, position := 0, lambdaPosition(lambda)
	slider := widgets.Slider(sliderMin, sliderMax, position).AppendTo(controls + "_lambda").Done()
	kindMoves, sliderMoves := kindSelect.Listen().LatestOnly(), slider.Listen().LatestOnly()

	// A fresh display id at each run: GoNB remembers ids for the kernel's life.
	plotID := "regnb_slider_plot_" + gonbui.UniqueId()
	redraw := func() {
		figure, caption := draw(kinds[kind], lambdaAt(position))
		svg, err := plots.SVG(figure)
		Check(err)
		gonbui.UpdateHtml(plotID, fmt.Sprintf(`<div class="regnb-plot">%s</div><pre>%s</pre>`, svg, html.EscapeString(caption)))
	}
	redraw()

	stop := make(chan os.Signal, 1)
	signal.Notify(stop, os.Interrupt) // the ■ button
	defer signal.Stop(stop)
	for listening := true; listening; {
		select {
		case kind = <-kindMoves.C:
			redraw()
		case position = <-sliderMoves.C:
			redraw()
		case <-stop:
			listening = false
		case <-time.After(sliderIdle):
			listening = false
		}
	}
	dom.TransientJavascript(fmt.Sprintf(`for (const id of [%q, %q]) { document.getElementById(id).disabled = true; }`,
		kindSelect.HtmlId(), slider.HtmlId()))
	fmt.Println("The slider has stopped listening: run the cell again to move it.")
}

// lambdaAt maps a slider position to λ = 10^(position/4 − 4).
func lambdaAt(position int) float64 { return math.Pow(10, float64(position)/4-4) }

// lambdaPosition is the slider position whose λ is nearest lambda (on a log scale).
func lambdaPosition(lambda float64) int {
	p := int(math.Round(4 * (math.Log10(lambda) + 4)))
	return min(max(p, sliderMin), sliderMax)
}

// PolynomialSlider is notebook 1's λ slider: a choice of penalty (kinds, the
// first one chosen) and λ on a slider from 0.0001 to 1, starting at lambda;
// each change calls fit(kind, λ) and redraws its curve over the points, beside
// plain (the fit without a penalty), with its coefficients below. It returns
// when the cell is stopped (■) or left alone for five minutes.
//
// Without a browser (BrowserConnected is false: nbconvert, make tutorial) the
// widgets could not work: it draws instead, for each kind, one plot of the
// fits at the strengths fixed, and says so.
func PolynomialSlider(points Points, plain Polynomial, kinds []string, lambda float64, fixed []float64, fit func(kind string, lambda float64) Polynomial) {
	labelled := func(kind string, lambda float64) Polynomial {
		p := fit(kind, lambda)
		p.Label = fmt.Sprintf("%s, λ = %.2g", kind, lambda)
		return p
	}
	if !BrowserConnected() {
		fmt.Println("No browser shows this notebook, so no slider: here are a few fixed values of λ.")
		for _, kind := range kinds {
			fits := []Polynomial{plain}
			for _, l := range fixed {
				fits = append(fits, labelled(kind, l))
			}
			Show(PolynomialPlot("Degree 9 with an "+kind+" penalty", points, fits...))
		}
		return
	}
	PenaltySlider(kinds, lambda, func(kind string, lambda float64) (*Plot, string) {
		p := labelled(kind, lambda)
		return PolynomialPlot("Degree 9, "+p.Label, points, plain, p), fmt.Sprintf("%s coefficients: %6.2f", p.Label, p.C)
	})
}
