// Package browsertest_test runs the notebooks the way a person does: in
// JupyterLab 4, in a real (headless) browser.
//
// TestBrowser starts JupyterLab as `make lab` does (scripts/lab.sh: on
// 127.0.0.1, here a free port and a random token), on a fresh folder holding
// copies of notebooks 1 and 2, and drives it in headless Chromium with
// chromedp:
//
//   - notebook 1: runs all cells, checks that no cell shows an error and that
//     the plots are drawn; the λ slider cell's GoNB widgets (JavaScript in the
//     cell's output, talking to the kernel over Jupyter's comms) must come up:
//     moving the slider, then choosing L1 in the penalty selector, must each
//     redraw the plot; the ■ button (a kernel interrupt) then stops the cell
//     cleanly;
//   - notebook 2 (quick mode): runs all cells, checks that no cell shows an
//     error and that every plot is drawn (each SVG and PNG output has a size
//     on the page).
//
// It stops the server, the kernels and the browser it started, whatever
// happens, and leaves screenshots (browser-01-slider.png, browser-02.png) and
// the server's log in out/test.
//
// It needs JupyterLab, the GoNB kernel and Chromium (scripts/setup.sh
// --chromium) and runs only through `make browser-test`
// (scripts/browser-test.sh), which sets REGNB_BROWSER_TEST=1 and REGNB_PYTHON.
//
// Environment:
//
//	REGNB_BROWSER_TEST=1       run (otherwise the test is skipped)
//	REGNB_PYTHON=PATH          the Python whose JupyterLab runs (scripts/pyenv.sh)
//	REGNB_BROWSER_OUT=DIR      screenshots and logs (default: out/test)
//	REGNB_CHROMIUM=PATH        the browser (default: /usr/bin/chromium, else chromium on PATH)
package browsertest_test

import (
	"context"
	"encoding/json"
	"fmt"
	"math"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"
)

const (
	// Generous for a cold Go build cache: the first code cells build GoMLX.
	runAllTimeout = 12 * time.Minute
	// One re-fit of the degree-9 polynomial (3000 Adam steps) and a redraw.
	redrawTimeout = 60 * time.Second
	// The slider's positions (see the slider cell of notebook 1): λ = 10^(p/4-4).
	sliderStart, sliderMoved = 8, 14

	notebook1 = "01-why-regularize.ipynb"
	notebook2 = "02-l1.ipynb"
)

// cellState is what the page reports about a code cell.
type cellState struct {
	Index   int    `json:"index"`
	Count   *int   `json:"count"`  // the execution count, nil until the cell has run
	Prompt  string `json:"prompt"` // the input prompt as shown: "[*]:" while queued or running
	First   string `json:"first"`  // the first line of the source
	Show    bool   `json:"show"`   // calls regnb.Show
	Sliders int    `json:"sliders"`
	Plots   int    `json:"plots"`      // <svg> or <img> in the rendered outputs
	Models  int    `json:"modelPlots"` // outputs that are plots: image/png, or text/html with an <svg>
	Outputs []struct {
		Type   string `json:"type"`
		Name   string `json:"name"`
		Ename  string `json:"ename"`
		Evalue string `json:"evalue"`
		Text   string `json:"text"`
	} `json:"outputs"`
}

func (c cellState) done() bool { return c.Count != nil }

// panelJS is JavaScript for the notebook open in JupyterLab at path, as its
// own model and the page show it (window.jupyterapp: the server runs with
// --expose-app-in-browser), or null. Not shell.currentWidget: a headless
// page has no focus, which that follows.
func panelJS(path string) string {
	return fmt.Sprintf(`(window.jupyterapp && Array.from(jupyterapp.shell.widgets('main')).find(
		w => w.content && w.sessionContext && w.context && w.context.path === %q) || null)`, path)
}

// stateJS describes the notebooks open and their kernels, for failure messages.
const stateJS = `(() => {
	if (!window.jupyterapp) return 'no window.jupyterapp';
	return JSON.stringify(Array.from(jupyterapp.shell.widgets('main')).map(w => {
		const s = w.sessionContext, k = s && s.session && s.session.kernel;
		return {widget: w.constructor.name, title: w.title.label, path: w.context && w.context.path,
			ready: s && s.isReady, kernel: k && k.name, status: k && k.status, connection: k && k.connectionStatus};
	}));
})()`

func cellsJS(path string) string {
	return `(() => {
	const p = ` + panelJS(path) + `;
	const text = t => Array.isArray(t) ? t.join('') : (t || '');
	return JSON.stringify(p.content.widgets.map((c, i) => {
		if (c.model.type !== 'code') return null;
		const src = c.model.sharedModel.getSource();
		const outs = c.model.outputs.toJSON();
		const prompt = c.node.querySelector('.jp-InputPrompt');
		return {
			index: i,
			count: c.model.executionCount,
			prompt: prompt ? prompt.textContent : '',
			first: src.split('\n')[0].slice(0, 70),
			show: src.includes('regnb.Show('),
			sliders: c.node.querySelectorAll('.jp-OutputArea-output input[type=range]').length,
			plots: c.node.querySelectorAll('.jp-OutputArea-output svg, .jp-OutputArea-output img').length,
			modelPlots: outs.filter(o => o.data && ('image/png' in o.data ||
				text(o.data['text/html']).includes('<svg'))).length,
			outputs: outs.map(o => ({
				type: o.output_type, name: o.name || '', ename: o.ename || '', evalue: o.evalue || '',
				text: text(o.text).slice(-3000),
			})),
		};
	}).filter(c => c !== null));
})()`
}

var (
	exitStatus = regexp.MustCompile(`(?m)^exit status \d+$`)
	panicLine  = regexp.MustCompile(`(?m)^panic: `)
	claimLine  = regexp.MustCompile(`(?m)^check failed: `) // regnb.Assert
)

// problems lists the cells that show an error: an error output, or a stderr
// stream with a Go panic, a failed claim or GoNB's "exit status N" (GoNB
// reports a failed cell that way and carries on).
func problems(cells []cellState) []string {
	var ps []string
	for _, c := range cells {
		for _, o := range c.Outputs {
			switch {
			case o.Type == "error":
				ps = append(ps, fmt.Sprintf("cell %d (%s): error %s: %s", c.Index, c.First, o.Ename, o.Evalue))
			case o.Type == "stream" && o.Name == "stderr" &&
				(exitStatus.MatchString(o.Text) || panicLine.MatchString(o.Text) || claimLine.MatchString(o.Text)):
				ps = append(ps, fmt.Sprintf("cell %d (%s): failed:\n%s", c.Index, c.First, o.Text))
			}
		}
	}
	return ps
}

func TestBrowser(t *testing.T) {
	if os.Getenv("REGNB_BROWSER_TEST") != "1" {
		t.Skip("the browser test starts JupyterLab and headless Chromium: run it with `make browser-test` (it sets REGNB_BROWSER_TEST=1)")
	}
	start := time.Now()
	down := &teardown{}
	t.Cleanup(down.run)
	down.onSignal()
	root, err := filepath.Abs(filepath.Join("..", ".."))
	if err != nil {
		t.Fatal(err)
	}
	if _, err := os.Stat(filepath.Join(root, "go.mod")); err != nil {
		t.Fatalf("the repository root %s has no go.mod: %v", root, err)
	}
	outDir := envOr("REGNB_BROWSER_OUT", filepath.Join(root, "out", "test"))
	if err := os.MkdirAll(outDir, 0o755); err != nil {
		t.Fatal(err)
	}
	os.Remove(filepath.Join(outDir, "browser-test-failure.png")) // From an earlier run.
	browserPath := envOr("REGNB_CHROMIUM", "/usr/bin/chromium")
	if _, err := os.Stat(browserPath); err != nil {
		if browserPath, err = exec.LookPath("chromium"); err != nil {
			t.Fatal("no Chromium (/usr/bin/chromium, or chromium on PATH): run scripts/setup.sh --chromium")
		}
	}

	// Copies of the notebooks in a fresh folder directly under the repository
	// root: their first cell finds the repository at "${GONB_DIR}/..", and the
	// repository's notebooks are neither modified nor saved.
	nbDir, err := os.MkdirTemp(root, ".browser-test-")
	if err != nil {
		t.Fatal(err)
	}
	down.add(func() { os.RemoveAll(nbDir) })
	for _, name := range []string{notebook1, notebook2} {
		data, err := os.ReadFile(filepath.Join(root, "notebooks", name))
		if err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(filepath.Join(nbDir, name), data, 0o644); err != nil {
			t.Fatal(err)
		}
	}

	ctx, cancel := context.WithTimeout(context.Background(), 2*runAllTimeout+5*time.Minute)
	defer cancel()

	// 1. JupyterLab.
	lab := startJupyterLab(t, down, root, nbDir, filepath.Join(outDir, "browser-test-jupyter.log"))
	t.Logf("JupyterLab serves %s on %s (%.1fs)", nbDir, lab.base, time.Since(start).Seconds())

	// 2. Headless Chromium, with a fresh user-data-dir that chromedp creates and
	// removes (killing any child process that outlives the browser).
	allocCtx, cancelAlloc := chromedp.NewExecAllocator(ctx,
		chromedp.ExecPath(browserPath),
		chromedp.Flag("headless", true),
		chromedp.Flag("no-sandbox", true),
		chromedp.Flag("disable-gpu", true),
		chromedp.Flag("disable-background-networking", true),
		chromedp.Flag("no-first-run", true),
		chromedp.Flag("disable-component-update", true),
		chromedp.Flag("disable-sync", true),
		chromedp.Flag("hide-scrollbars", true),
		chromedp.WindowSize(1200, 1400),
	)
	down.add(cancelAlloc)
	bctx, cancelBrowser := chromedp.NewContext(allocCtx)
	down.add(cancelBrowser) // Last in, first out: the browser closes before its allocator.

	var console consoleLog
	console.start(bctx)
	defer func() { // On a failure, what the page said (GoNB's widgets log their troubles there).
		if t.Failed() {
			for _, m := range console.messages() {
				t.Logf("browser console (%s): %s", m.Type, m)
			}
		}
	}()

	page := &pageT{t: t, ctx: bctx, outDir: outDir}
	defer page.onFailure()

	// 3. Notebook 1: all cells, the plots, the λ slider and the penalty selector.
	if err := chromedp.Do(bctx, chromedp.Navigate(lab.base+"/lab/tree/"+notebook1+"?token="+lab.token)); err != nil {
		t.Fatalf("opening JupyterLab: %v", err)
	}
	page.waitFor("JupyterLab to start (window.jupyterapp)", 2*time.Minute, `window.jupyterapp && jupyterapp.shell`)
	slider := page.runAll(notebook1, true)
	page.checkPlots(page.cells())
	page.sliderChecks(slider)
	t.Logf("notebook 1 done (%.1fs)", time.Since(start).Seconds())

	// 4. Notebook 2, in quick mode (the server's environment): all cells, every plot drawn.
	page.eval(fmt.Sprintf(`jupyterapp.commands.execute('docmanager:open', {path: %q}), true`, notebook2))
	page.runAll(notebook2, false)
	cells := page.cells()
	page.checkPlots(cells)
	first := slices.IndexFunc(cells, func(c cellState) bool { return c.Plots > 0 })
	if first >= 0 {
		page.scrollTo(cells[first].Index)
	}
	page.screenshot("browser-02.png")
	t.Logf("notebook 2 done (%.1fs)", time.Since(start).Seconds())

	// 5. The page's console: no error, no uncaught exception.
	for _, m := range console.messages() {
		if m.Type == chromedp.ConsoleException || m.Type == chromedp.ConsoleError {
			t.Errorf("browser console: %s (%s:%d)", m, m.URL, m.Line)
		}
	}
	t.Logf("browser test done in %.1fs; screenshots in %s", time.Since(start).Seconds(), outDir)
}

// runAll waits until JupyterLab shows the notebook name with its kernel ready
// (connected; GoNB announces no status until its first execution, so
// "unknown" is as good as "idle"),
// clears its outputs and runs all its cells. With a slider, it returns once
// every cell before the first one showing a slider has run and the slider and
// its first plot are there (that cell keeps running: it listens to the
// slider), and the slider cell's index; otherwise, once every cell has run, and -1. Any cell showing
// an error fails the test at once.
func (p *pageT) runAll(name string, slider bool) int {
	p.t.Helper()
	p.nb = name
	p.waitFor(name+" open, its kernel ready", 2*time.Minute, fmt.Sprintf(`(() => {
		const p = %s;
		return p && p.sessionContext.isReady &&
			p.sessionContext.session && p.sessionContext.session.kernel &&
			['idle', 'unknown'].includes(p.sessionContext.session.kernel.status) &&
			p.sessionContext.session.kernel.connectionStatus === 'connected';
	})()`, panelJS(name)))
	p.t.Logf("%s open, kernel ready", name)
	// The copy is thrown away: never save it, nor ask to.
	p.eval(`(() => { const p = ` + panelJS(name) + `; p.context.model.dirty = false; return true; })()`)
	runStart := time.Now()
	p.eval(`(jupyterapp.commands.execute('notebook:clear-all-cell-outputs')
		.then(() => jupyterapp.commands.execute('notebook:run-all-cells')), true)`)
	deadline := time.Now().Add(runAllTimeout)
	lastReport := time.Now()
	for {
		cells := p.cells()
		if ps := problems(cells); len(ps) > 0 {
			p.t.Fatalf("%s: a cell shows an error:\n%s", name, strings.Join(ps, "\n"))
		}
		notDone := func(c cellState) bool { return !c.done() }
		s := slices.IndexFunc(cells, func(c cellState) bool { return c.Sliders > 0 })
		switch {
		case slider && s >= 0 && cells[s].Models > 0 && !slices.ContainsFunc(cells[:s], notDone):
			p.t.Logf("%s: all cells ran, the slider and its first plot are there (%.1fs)", name, time.Since(runStart).Seconds())
			return cells[s].Index
		case !slices.ContainsFunc(cells, notDone):
			if slider {
				p.t.Fatalf("%s: every cell ran, and no cell shows a slider (input[type=range]): "+
					"do GoNB's widgets work in JupyterLab? does the notebook have the λ slider cell?", name)
			}
			p.t.Logf("%s: all cells ran (%.1fs)", name, time.Since(runStart).Seconds())
			return -1
		}
		if time.Now().After(deadline) {
			p.t.Fatalf("%s: cells still running after %v:\n%s", name, runAllTimeout, pending(cells))
		}
		if time.Since(lastReport) > time.Minute {
			p.t.Logf("%s: still running (%.0fs):\n%s", name, time.Since(runStart).Seconds(), pending(cells))
			lastReport = time.Now()
		}
		time.Sleep(500 * time.Millisecond)
	}
}

// checkPlots checks that every cell that calls regnb.Show, or has plot
// outputs, shows as many drawn plots as it has plot outputs: each cell is
// scrolled into view (JupyterLab skips drawing cells out of view) and every
// <svg> and <img> in its outputs must have a size, and every image its pixels.
func (p *pageT) checkPlots(cells []cellState) {
	p.t.Helper()
	total := 0
	for _, c := range cells {
		if !c.Show && c.Models == 0 && c.Sliders == 0 {
			continue
		}
		if (c.Show || c.Sliders > 0) && c.Models == 0 {
			p.t.Errorf("cell %d (%s) shows no plot", c.Index, c.First)
			continue
		}
		p.scrollTo(c.Index)
		var drawn struct {
			Drawn, Undrawn int
			What           string
		}
		raw := p.evalString(fmt.Sprintf(`(() => {
			const c = (%s).content.widgets[%d];
			let drawn = 0, undrawn = 0, what = '';
			for (const e of c.node.querySelectorAll('.jp-OutputArea-output svg, .jp-OutputArea-output img')) {
				if (e.tagName.toLowerCase() === 'svg' && e.parentElement.closest('svg')) continue; // nested
				const r = e.getBoundingClientRect();
				const ok = r.width > 10 && r.height > 10 && (e.tagName.toLowerCase() !== 'img' || (e.complete && e.naturalWidth > 0));
				if (ok) { drawn++; } else { undrawn++; what += e.tagName + ' ' + r.width + 'x' + r.height + '; '; }
			}
			return JSON.stringify({Drawn: drawn, Undrawn: undrawn, What: what});
		})()`, panelJS(p.nb), c.Index))
		if err := json.Unmarshal([]byte(raw), &drawn); err != nil {
			p.t.Fatalf("cell %d: %v", c.Index, err)
		}
		if drawn.Undrawn > 0 || drawn.Drawn < c.Models {
			p.t.Errorf("cell %d (%s): %d plot outputs, %d drawn on the page, %d not (%s)",
				c.Index, c.First, c.Models, drawn.Drawn, drawn.Undrawn, drawn.What)
		}
		total += drawn.Drawn
	}
	if total < 3 {
		p.t.Errorf("the notebook draws %d plots, want at least 3", total)
	}
	p.t.Logf("%d plots drawn", total)
}

// sliderChecks moves notebook 1's λ slider, then chooses L1 in the penalty
// selector: each must redraw the plot; then ■ must stop the cell cleanly.
func (p *pageT) sliderChecks(cell int) {
	p.t.Helper()
	p.eval(fmt.Sprintf(`((%s).content.widgets[%d].node.id = 'regnb-slider-cell', true)`, panelJS(p.nb), cell))
	p.scrollToOutput(cell)
	p.screenshot("browser-01-slider-before.png")
	plotJS := `(() => { const p = document.querySelectorAll('#regnb-slider-cell .jp-OutputArea-output .regnb-plot');
		return p.length ? p[p.length - 1].parentElement.innerHTML : ''; })()`
	before := p.evalString(plotJS)
	if !strings.Contains(before, "<svg") {
		p.t.Fatalf("the slider cell shows no plot: %.300q", before)
	}
	wantLambda := fmt.Sprintf("λ = %.2g", lambdaAt(sliderStart))
	if !strings.Contains(before, wantLambda) {
		p.t.Errorf("the slider's first plot does not say %q", wantLambda)
	}

	moveStart := time.Now()
	p.eval(fmt.Sprintf(`(() => {
		const s = document.querySelector('#regnb-slider-cell input[type=range]');
		s.value = '%d';
		s.dispatchEvent(new Event('input', {bubbles: true}));
		s.dispatchEvent(new Event('change', {bubbles: true}));
		return true;
	})()`, sliderMoved))
	moved := p.waitChange("the plot to follow the slider", plotJS, before, fmt.Sprintf("L2, λ = %.2g", lambdaAt(sliderMoved)))
	p.t.Logf("slider moved to λ = %.2g: plot redrawn in %.2fs", lambdaAt(sliderMoved), time.Since(moveStart).Seconds())

	selectStart := time.Now()
	p.eval(`(() => {
		const s = document.querySelector('#regnb-slider-cell select');
		s.value = '1';
		s.dispatchEvent(new Event('change', {bubbles: true}));
		return true;
	})()`)
	p.waitChange("the plot to follow the choice of L1", plotJS, moved, fmt.Sprintf("L1, λ = %.2g", lambdaAt(sliderMoved)))
	p.t.Logf("L1 chosen: plot redrawn in %.2fs", time.Since(selectStart).Seconds())
	p.scrollToOutput(cell)
	p.screenshot("browser-01-slider.png")

	// ■ (interrupt): the slider cell stops listening and ends without an error.
	p.eval(`((` + panelJS(p.nb) + `).sessionContext.session.kernel.interrupt(), true)`)
	p.waitFor("the slider cell to stop after an interrupt", time.Minute, `(() => {
		const c = document.getElementById('regnb-slider-cell');
		const s = c.querySelector('input[type=range]');
		return (`+panelJS(p.nb)+`).sessionContext.session.kernel.status === 'idle' &&
			s && s.disabled && /stopped listening/.test(c.innerText);
	})()`)
	if ps := problems(p.cells()); len(ps) > 0 {
		p.t.Errorf("after the interrupt:\n%s", strings.Join(ps, "\n"))
	}
}

// lambdaAt is the slider cell's λ at a slider position.
func lambdaAt(position int) float64 { return math.Pow(10, float64(position)/4-4) }

func pending(cells []cellState) string {
	var b strings.Builder
	for _, c := range cells {
		if !c.done() {
			state := "not run"
			if strings.Contains(c.Prompt, "*") {
				state = "queued or running"
			}
			fmt.Fprintf(&b, "  cell %d (%s): %s\n", c.Index, c.First, state)
		}
	}
	return b.String()
}

func envOr(key, def string) string {
	if v := os.Getenv(key); v != "" {
		return v
	}
	return def
}

// pageT drives JupyterLab's page; every failure is fatal.
type pageT struct {
	t      *testing.T
	ctx    context.Context
	outDir string
	nb     string // the notebook worked on: its path in JupyterLab
}

func (p *pageT) eval(js string) {
	p.t.Helper()
	if _, err := chromedp.Run(p.ctx, chromedp.Evaluate[bool](js)); err != nil {
		p.t.Fatalf("in the page: %v\n%s", err, js)
	}
}

func (p *pageT) evalString(js string) string {
	p.t.Helper()
	s, err := chromedp.Run(p.ctx, chromedp.Evaluate[string](js))
	if err != nil {
		p.t.Fatalf("in the page: %v\n%s", err, js)
	}
	return s
}

func (p *pageT) cells() []cellState {
	p.t.Helper()
	var cells []cellState
	if err := json.Unmarshal([]byte(p.evalString(cellsJS(p.nb))), &cells); err != nil {
		p.t.Fatalf("reading the cells: %v", err)
	}
	return cells
}

// scrollTo brings the notebook's cell into view (the notebook scrolls inside
// its own panel) and lets the page draw it.
func (p *pageT) scrollTo(cell int) {
	p.t.Helper()
	p.eval(fmt.Sprintf(`((%s).content.widgets[%d].node.scrollIntoView({block: 'start'}), true)`, panelJS(p.nb), cell))
	time.Sleep(300 * time.Millisecond)
}

// scrollToOutput brings the cell's outputs into view (the slider cell's
// source is long).
func (p *pageT) scrollToOutput(cell int) {
	p.t.Helper()
	p.eval(fmt.Sprintf(`((%s).content.widgets[%d].node.querySelector('.jp-Cell-outputWrapper').scrollIntoView({block: 'start'}), true)`, panelJS(p.nb), cell))
	time.Sleep(300 * time.Millisecond)
}

// waitFor polls the JavaScript condition every 250 ms (not on animation
// frames, which a headless page may not draw).
func (p *pageT) waitFor(what string, timeout time.Duration, cond string) {
	p.t.Helper()
	deadline := time.Now().Add(timeout)
	for {
		ok, err := chromedp.Run(p.ctx, chromedp.Evaluate[bool](`!!(`+cond+`)`))
		if err == nil && ok {
			return
		}
		if time.Now().After(deadline) {
			state, _ := chromedp.Run(p.ctx, chromedp.Evaluate[string](stateJS))
			p.t.Fatalf("waited %v for %s (last error: %v; JupyterLab's state: %s)", timeout, what, err, state)
		}
		time.Sleep(250 * time.Millisecond)
	}
}

// waitChange waits until the HTML that js returns differs from old and
// contains want, and returns it.
func (p *pageT) waitChange(what, js, old, want string) string {
	p.t.Helper()
	deadline := time.Now().Add(redrawTimeout)
	for {
		now := p.evalString(js)
		if now != old && strings.Contains(now, want) {
			return now
		}
		if ps := problems(p.cells()); len(ps) > 0 {
			p.t.Fatalf("waiting for %s, a cell shows an error:\n%s", what, strings.Join(ps, "\n"))
		}
		if time.Now().After(deadline) {
			p.t.Fatalf("waited %v for %s: the plot did not change to one with %q", redrawTimeout, what, want)
		}
		time.Sleep(100 * time.Millisecond)
	}
}

func (p *pageT) screenshot(file string) {
	p.t.Helper()
	png, err := chromedp.Run(p.ctx, chromedp.CaptureScreenshot())
	if err != nil {
		p.t.Errorf("screenshot: %v", err)
		return
	}
	path := filepath.Join(p.outDir, file)
	if err := os.WriteFile(path, png, 0o644); err != nil {
		p.t.Errorf("screenshot: %v", err)
		return
	}
	p.t.Logf("screenshot: %s", path)
}

// onFailure leaves a screenshot and the cells' state for a failed run.
func (p *pageT) onFailure() {
	if !p.t.Failed() {
		return
	}
	ctx, cancel := context.WithTimeout(p.ctx, 10*time.Second)
	defer cancel()
	if png, err := chromedp.Run(ctx, chromedp.CaptureScreenshot()); err == nil {
		path := filepath.Join(p.outDir, "browser-test-failure.png")
		if os.WriteFile(path, png, 0o644) == nil {
			p.t.Logf("screenshot of the failure: %s", path)
		}
	}
	if s, err := chromedp.Run(ctx, chromedp.Evaluate[string](cellsJS(p.nb))); err == nil {
		p.t.Logf("cells at the failure: %s", s)
	}
}

// consoleLog collects the page's console messages.
type consoleLog struct {
	ch chan chromedp.ConsoleMessage
}

func (c *consoleLog) start(ctx context.Context) {
	msgs := chromedp.Console(ctx) // Subscribes now; starts the browser.
	c.ch = make(chan chromedp.ConsoleMessage, 4096)
	go func() {
		defer close(c.ch)
		for m, err := range msgs {
			if err != nil {
				return
			}
			select {
			case c.ch <- m:
			default: // Full: drop rather than block the browser's events.
			}
		}
	}()
}

func (c *consoleLog) messages() []chromedp.ConsoleMessage {
	var ms []chromedp.ConsoleMessage
	for {
		select {
		case m, ok := <-c.ch:
			if !ok {
				return ms
			}
			ms = append(ms, m)
		default:
			return ms
		}
	}
}
