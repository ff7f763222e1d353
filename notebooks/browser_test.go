// Package notebooks_test runs notebook 1 the way a person does: in Jupyter's
// Notebook front-end, in a real (headless) browser.
//
// TestBrowser starts the Jupyter server that `make lab` starts (on 127.0.0.1,
// a free port, a random token), opens a copy of notebooks/01-why-regularize.ipynb
// in headless Chromium driven by chromedp, runs all cells, and checks that no
// cell shows an error, that the plots are there, that the λ slider is there,
// and that moving it (and choosing L1) redraws the plot. It then stops the
// slider cell with the ■ button (a kernel interrupt) and checks that the cell
// ends cleanly. It stops the server, the kernel and the browser it started,
// whatever happens, and leaves screenshots and the server's log in out/test.
//
// It needs Jupyter, the GoNB kernel and Chromium (scripts/setup.sh --chromium)
// and runs only through `make browser-test` (scripts/browser-test.sh), which
// sets REGNB_BROWSER_TEST=1.
//
// Environment:
//
//	REGNB_BROWSER_TEST=1       run (otherwise the test is skipped)
//	REGNB_BROWSER_NOTEBOOK=F   the notebook to open (default: notebooks/01-why-regularize.ipynb)
//	REGNB_BROWSER_OUT=DIR      screenshots and logs (default: out/test)
//	REGNB_CHROMIUM=PATH        the browser (default: /usr/bin/chromium, else chromium on PATH)
package notebooks_test

import (
	"bytes"
	"context"
	"crypto/rand"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"math"
	"net"
	"net/http"
	"os"
	"os/exec"
	"os/signal"
	"path/filepath"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"sync"
	"syscall"
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
)

// Console errors of the page that are expected and harmless here: Notebook 6
// looks for the ipywidgets extension (not installed: a 404, and its script
// refused as text/html), its CSS names a font at about:blank, and GoNB's comm
// messages reach Notebook's own comm manager, which has no handler for them.
var allowedConsole = regexp.MustCompile(`Comm promise not found|Widgets are not available|` +
	`nbextensions/widgets/|Failed to load resource: the server responded with a status of 404|` +
	`about:blank`)

// cellState is what the page reports about a code cell.
type cellState struct {
	Index   int    `json:"index"`
	Prompt  string `json:"prompt"` // "" (not run), "*" (queued or running), or the execution count
	First   string `json:"first"`  // the first line of the source
	Show    bool   `json:"show"`   // calls regnb.Show
	Sliders int    `json:"sliders"`
	Plots   int    `json:"plots"` // <svg> or <img> in the outputs
	Outputs []struct {
		Type   string `json:"type"`
		Name   string `json:"name"`
		Ename  string `json:"ename"`
		Evalue string `json:"evalue"`
		Text   string `json:"text"`
	} `json:"outputs"`
}

func (c cellState) done() bool { _, err := strconv.Atoi(c.Prompt); return err == nil }

const cellsJS = `JSON.stringify(Jupyter.notebook.get_cells().map((c, i) => {
	if (c.cell_type !== 'code') return null;
	const out = c.output_area.element;
	const p = c.input_prompt_number;
	return {
		index: i,
		prompt: (p === undefined || p === null) ? '' : String(p),
		first: c.get_text().split('\n')[0].slice(0, 70),
		show: c.get_text().includes('regnb.Show('),
		sliders: out.find('input[type=range]').length,
		plots: out.find('svg, img').length,
		outputs: c.output_area.outputs.map(o => ({
			type: o.output_type, name: o.name || '', ename: o.ename || '', evalue: o.evalue || '',
			text: (Array.isArray(o.text) ? o.text.join('') : (o.text || '')).slice(-3000),
		})),
	};
}).filter(c => c !== null))`

var (
	exitStatus = regexp.MustCompile(`(?m)^exit status \d+$`)
	panicLine  = regexp.MustCompile(`(?m)^panic: `)
)

// problems lists the cells that show an error: an error output, or a stderr
// stream with a Go panic or GoNB's "exit status N" (GoNB reports a failed cell
// that way and carries on).
func problems(cells []cellState) []string {
	var ps []string
	for _, c := range cells {
		for _, o := range c.Outputs {
			switch {
			case o.Type == "error":
				ps = append(ps, fmt.Sprintf("cell %d (%s): error %s: %s", c.Index, c.First, o.Ename, o.Evalue))
			case o.Type == "stream" && o.Name == "stderr" && (exitStatus.MatchString(o.Text) || panicLine.MatchString(o.Text)):
				ps = append(ps, fmt.Sprintf("cell %d (%s): failed:\n%s", c.Index, c.First, o.Text))
			}
		}
	}
	return ps
}

func TestBrowser(t *testing.T) {
	if os.Getenv("REGNB_BROWSER_TEST") != "1" {
		t.Skip("the browser test starts Jupyter and headless Chromium: run it with `make browser-test` (it sets REGNB_BROWSER_TEST=1)")
	}
	start := time.Now()
	down := &teardown{}
	t.Cleanup(down.run)
	down.onSignal()
	root, err := filepath.Abs("..")
	if err != nil {
		t.Fatal(err)
	}
	if _, err := os.Stat(filepath.Join(root, "go.mod")); err != nil {
		t.Fatalf("the repository root %s has no go.mod: %v", root, err)
	}
	notebook := envOr("REGNB_BROWSER_NOTEBOOK", filepath.Join(root, "notebooks", "01-why-regularize.ipynb"))
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

	// A copy of the notebook in a fresh directory directly under the repository
	// root: its first cell finds the repository at "${GONB_DIR}/..", and the
	// repository's notebook is neither modified nor saved.
	nbDir, err := os.MkdirTemp(root, ".browser-test-")
	if err != nil {
		t.Fatal(err)
	}
	down.add(func() { os.RemoveAll(nbDir) })
	name := filepath.Base(notebook)
	data, err := os.ReadFile(notebook)
	if err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(nbDir, name), data, 0o644); err != nil {
		t.Fatal(err)
	}

	ctx, cancel := context.WithTimeout(context.Background(), runAllTimeout+5*time.Minute)
	defer cancel()

	// 1. The Jupyter server.
	base, token := startJupyter(t, down, nbDir, filepath.Join(outDir, "browser-test-jupyter.log"))
	t.Logf("Jupyter Notebook serves %s on %s (%.1fs)", nbDir, base, time.Since(start).Seconds())

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

	page := &pageT{t: t, ctx: bctx, outDir: outDir}
	defer page.onFailure()

	// 3. Open the notebook; wait for its kernel.
	if err := chromedp.Do(bctx, chromedp.Navigate(base+"/notebooks/"+name+"?token="+token)); err != nil {
		t.Fatalf("opening the notebook: %v", err)
	}
	page.waitFor("the kernel to be ready", 2*time.Minute, `typeof Jupyter !== 'undefined' && Jupyter.notebook &&
		Jupyter.notebook._fully_loaded && Jupyter.notebook.kernel && Jupyter.notebook.kernel.is_connected() &&
		!Jupyter.notebook.kernel_busy`)
	page.eval(`Jupyter.notebook.set_autosave_interval(0), true`) // The copy is thrown away: never save it.
	t.Logf("notebook open, kernel ready (%.1fs)", time.Since(start).Seconds())

	// 4. Run all cells. The slider cell keeps running (it listens to the slider),
	// so "done" is: every code cell before it has its execution count, and the
	// slider is there.
	runStart := time.Now()
	page.eval(`Jupyter.notebook.clear_all_output(), Jupyter.notebook.execute_all_cells(), true`)
	var cells []cellState
	deadline := time.Now().Add(runAllTimeout)
	lastReport := time.Now()
	for {
		cells = page.cells()
		if ps := problems(cells); len(ps) > 0 {
			t.Fatalf("a cell shows an error:\n%s", strings.Join(ps, "\n"))
		}
		slider := slices.IndexFunc(cells, func(c cellState) bool { return c.Sliders > 0 })
		if slider >= 0 && !slices.ContainsFunc(cells[:slider], func(c cellState) bool { return !c.done() }) {
			break
		}
		if slider < 0 && !slices.ContainsFunc(cells, func(c cellState) bool { return !c.done() }) {
			t.Fatalf("every cell ran, and no cell shows a slider (input[type=range]): " +
				"does the notebook have the λ slider cell?")
		}
		if time.Now().After(deadline) {
			t.Fatalf("cells still running after %v:\n%s", runAllTimeout, pending(cells))
		}
		if time.Since(lastReport) > time.Minute {
			t.Logf("still running (%.0fs):\n%s", time.Since(runStart).Seconds(), pending(cells))
			lastReport = time.Now()
		}
		time.Sleep(500 * time.Millisecond)
	}
	t.Logf("all cells ran, the slider is there (%.1fs)", time.Since(runStart).Seconds())

	// 5. The plots.
	plots := 0
	for _, c := range cells {
		plots += c.Plots
		if (c.Show || c.Sliders > 0) && c.Plots == 0 {
			t.Errorf("cell %d (%s) shows no plot", c.Index, c.First)
		}
	}
	if plots < 3 {
		t.Errorf("the notebook shows %d plots, want at least 3", plots)
	}

	// 6. The slider: move it, then choose L1; each must redraw the plot.
	page.eval(`(() => {
		const s = document.querySelector('.output_area input[type=range]');
		const cell = s.closest('.cell');
		cell.id = 'regnb-slider-cell';
		s.closest('.output_area').scrollIntoView();
		return true;
	})()`)
	page.screenshot("browser-slider-before.png")
	plotJS := `(() => { const p = document.querySelectorAll('#regnb-slider-cell .output_area .regnb-plot');
		return p.length ? p[p.length - 1].parentElement.innerHTML : ''; })()`
	before := page.evalString(plotJS)
	if !strings.Contains(before, "<svg") {
		t.Fatalf("the slider cell shows no plot: %.300q", before)
	}
	wantLambda := fmt.Sprintf("λ = %.2g", lambdaAt(sliderStart))
	if !strings.Contains(before, wantLambda) {
		t.Errorf("the slider's first plot does not say %q", wantLambda)
	}

	moveStart := time.Now()
	page.eval(fmt.Sprintf(`(() => {
		const s = document.querySelector('#regnb-slider-cell input[type=range]');
		s.value = '%d';
		s.dispatchEvent(new Event('input', {bubbles: true}));
		s.dispatchEvent(new Event('change', {bubbles: true}));
		return true;
	})()`, sliderMoved))
	wantLambda = fmt.Sprintf("L2, λ = %.2g", lambdaAt(sliderMoved))
	moved := page.waitChange("the plot to follow the slider", plotJS, before, wantLambda)
	t.Logf("slider moved to λ = %.2g: plot redrawn in %.2fs", lambdaAt(sliderMoved), time.Since(moveStart).Seconds())

	selectStart := time.Now()
	page.eval(`(() => {
		const s = document.querySelector('#regnb-slider-cell select');
		s.value = '1';
		s.dispatchEvent(new Event('change', {bubbles: true}));
		return true;
	})()`)
	page.waitChange("the plot to follow the choice of L1", plotJS, moved, fmt.Sprintf("L1, λ = %.2g", lambdaAt(sliderMoved)))
	t.Logf("L1 chosen: plot redrawn in %.2fs", time.Since(selectStart).Seconds())
	page.eval(`document.querySelector('#regnb-slider-cell input[type=range]').closest('.output_area').scrollIntoView(), true`)
	page.screenshot("browser-slider.png")

	// 7. ■ (interrupt): the slider cell stops listening and ends without an error.
	page.eval(`Jupyter.notebook.kernel.interrupt(), true`)
	page.waitFor("the slider cell to stop after an interrupt", time.Minute, `(() => {
		const c = document.getElementById('regnb-slider-cell');
		const s = c.querySelector('input[type=range]');
		return !Jupyter.notebook.kernel_busy && s && s.disabled && /stopped listening/.test(c.innerText);
	})()`)
	if ps := problems(page.cells()); len(ps) > 0 {
		t.Errorf("after the interrupt:\n%s", strings.Join(ps, "\n"))
	}

	// 8. The page's console.
	allowed := 0
	for _, m := range console.messages() {
		if m.Type != chromedp.ConsoleException && m.Type != chromedp.ConsoleError {
			continue
		}
		if allowedConsole.MatchString(m.Text + " " + m.URL) {
			allowed++
		} else {
			t.Errorf("browser console: %s (%s:%d)", m, m.URL, m.Line)
		}
	}
	t.Logf("browser console: %d known harmless errors (no ipywidgets; a font at about:blank; comm messages for GoNB)", allowed)
	t.Logf("browser test done in %.1fs; screenshots in %s", time.Since(start).Seconds(), outDir)
}

// lambdaAt is the slider cell's λ at a slider position.
func lambdaAt(position int) float64 { return math.Pow(10, float64(position)/4-4) }

func pending(cells []cellState) string {
	var b strings.Builder
	for _, c := range cells {
		if !c.done() {
			state := "not run"
			if c.Prompt == "*" {
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

// pageT drives the notebook's page; every failure is fatal.
type pageT struct {
	t      *testing.T
	ctx    context.Context
	outDir string
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
	if err := json.Unmarshal([]byte(p.evalString(cellsJS)), &cells); err != nil {
		p.t.Fatalf("reading the cells: %v", err)
	}
	return cells
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
			p.t.Fatalf("waited %v for %s (last error: %v)", timeout, what, err)
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
	if s, err := chromedp.Run(ctx, chromedp.Evaluate[string](cellsJS)); err == nil {
		p.t.Logf("cells at the failure: %s", s)
	}
}

// consoleLog collects the page's console messages.
type consoleLog struct {
	ch   chan chromedp.ConsoleMessage
	done chan []chromedp.ConsoleMessage
}

func (c *consoleLog) start(ctx context.Context) {
	msgs := chromedp.Console(ctx) // Subscribes now; starts the browser.
	c.ch = make(chan chromedp.ConsoleMessage, 1024)
	go func() {
		defer close(c.ch)
		for m, err := range msgs {
			if err != nil {
				return
			}
			c.ch <- m
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

// teardown runs the test's clean-ups once, last in first out: when the test
// ends (t.Cleanup), or on SIGINT or SIGTERM (Ctrl-C on make), which would end
// the test binary without Go's clean-ups.
type teardown struct {
	mu   sync.Mutex
	fns  []func()
	done bool
}

func (d *teardown) add(fn func()) {
	d.mu.Lock()
	defer d.mu.Unlock()
	d.fns = append(d.fns, fn)
}

func (d *teardown) run() {
	d.mu.Lock()
	defer d.mu.Unlock()
	if d.done {
		return
	}
	d.done = true
	for i := len(d.fns) - 1; i >= 0; i-- {
		d.fns[i]()
	}
}

func (d *teardown) onSignal() {
	sig := make(chan os.Signal, 1)
	signal.Notify(sig, os.Interrupt, syscall.SIGTERM)
	stop := make(chan struct{})
	d.add(func() { signal.Stop(sig); close(stop) })
	go func() {
		select {
		case s := <-sig:
			fmt.Fprintf(os.Stderr, "browser test: %v: stopping Jupyter, its kernel and the browser\n", s)
			d.run()
			os.Exit(1)
		case <-stop:
		}
	}()
}

// startJupyter starts `jupyter notebook` (Debian's Notebook 6, as `make lab`)
// on 127.0.0.1 with a random token, in its own process group and with its
// own runtime directory, and registers its end: SIGTERM (it shuts its kernels
// down), then SIGKILL for every process that is left of it, the kernel and the
// cells' programs included.
func startJupyter(t *testing.T, down *teardown, nbDir, logPath string) (base, token string) {
	t.Helper()
	python := "/usr/bin/python3"
	if _, err := os.Stat(python); err != nil {
		python = "python3"
	}
	port := freePort(t)
	var b [16]byte
	if _, err := rand.Read(b[:]); err != nil {
		t.Fatal(err)
	}
	token = hex.EncodeToString(b[:])
	runtimeDir, err := os.MkdirTemp("", "regnb-browser-test-jupyter-")
	if err != nil {
		t.Fatal(err)
	}
	down.add(func() { os.RemoveAll(runtimeDir) }) // After the server's end (last in, first out).
	args := []string{"-m", "jupyter", "notebook", "--ip", "127.0.0.1", "--port", strconv.Itoa(port),
		"--port-retries=0", "--no-browser", "--NotebookApp.token=" + token, "--notebook-dir", nbDir}
	if os.Geteuid() == 0 {
		args = append(args, "--allow-root")
	}
	logFile, err := os.Create(logPath)
	if err != nil {
		t.Fatal(err)
	}
	cmd := exec.Command(python, args...)
	cmd.Dir = nbDir
	cmd.Stdout, cmd.Stderr = logFile, logFile
	cmd.Env = append(slices.DeleteFunc(os.Environ(), func(kv string) bool {
		// A browser is connected: the slider cell must not take the headless path.
		return strings.HasPrefix(kv, "REGNB_HEADLESS=") || strings.HasPrefix(kv, "JUPYTER_RUNTIME_DIR=")
	}), "JUPYTER_RUNTIME_DIR="+runtimeDir)
	cmd.SysProcAttr = &syscall.SysProcAttr{Setpgid: true, Pdeathsig: syscall.SIGKILL}
	if err := cmd.Start(); err != nil {
		t.Fatalf("starting Jupyter: %v", err)
	}
	exited := make(chan struct{})
	go func() { cmd.Wait(); logFile.Close(); close(exited) }()
	down.add(func() { stopJupyter(t, cmd.Process.Pid, runtimeDir, exited) })

	base = fmt.Sprintf("http://127.0.0.1:%d", port)
	deadline := time.Now().Add(60 * time.Second)
	for {
		select {
		case <-exited:
			log, _ := os.ReadFile(logPath)
			t.Fatalf("Jupyter exited at its start:\n%s", log)
		default:
		}
		resp, err := http.Get(base + "/api/status?token=" + token)
		if err == nil {
			resp.Body.Close()
			if resp.StatusCode == http.StatusOK {
				return base, token
			}
		}
		if time.Now().After(deadline) {
			t.Fatalf("Jupyter does not answer on %s after 60s (log: %s)", base, logPath)
		}
		time.Sleep(200 * time.Millisecond)
	}
}

func stopJupyter(t testing.TB, pid int, runtimeDir string, exited chan struct{}) {
	// Everything that descends from the server, or names its runtime directory
	// (the kernel runs in a session of its own, with a connection file there).
	procs := func() []int {
		set := descendants(pid)
		for _, p := range processesNaming(runtimeDir) {
			if !slices.Contains(set, p) {
				set = append(set, p)
				set = append(set, descendants(p)...)
			}
		}
		return set
	}
	left := procs()
	syscall.Kill(-pid, syscall.SIGTERM)
	select {
	case <-exited:
	case <-time.After(15 * time.Second):
		t.Logf("Jupyter did not stop within 15s of SIGTERM: killing it")
	}
	syscall.Kill(-pid, syscall.SIGKILL)
	for _, p := range append(left, procs()...) {
		if syscall.Kill(p, 0) == nil {
			syscall.Kill(p, syscall.SIGKILL)
		}
	}
	<-exited
}

// descendants returns the processes whose parent chain leads to pid.
func descendants(pid int) []int {
	parent := map[int][]int{}
	entries, _ := os.ReadDir("/proc")
	for _, e := range entries {
		p, err := strconv.Atoi(e.Name())
		if err != nil {
			continue
		}
		stat, err := os.ReadFile("/proc/" + e.Name() + "/stat")
		if err != nil {
			continue
		}
		// pid (comm) state ppid ...: comm may hold spaces and parentheses.
		fields := strings.Fields(string(stat[bytes.LastIndexByte(stat, ')')+1:]))
		if len(fields) < 2 {
			continue
		}
		ppid, _ := strconv.Atoi(fields[1])
		parent[ppid] = append(parent[ppid], p)
	}
	var out []int
	queue := []int{pid}
	for len(queue) > 0 {
		p := queue[0]
		queue = queue[1:]
		for _, c := range parent[p] {
			out = append(out, c)
			queue = append(queue, c)
		}
	}
	return out
}

// processesNaming returns the processes whose command line contains s.
func processesNaming(s string) []int {
	var out []int
	entries, _ := os.ReadDir("/proc")
	for _, e := range entries {
		p, err := strconv.Atoi(e.Name())
		if err != nil || p == os.Getpid() {
			continue
		}
		cmdline, err := os.ReadFile("/proc/" + e.Name() + "/cmdline")
		if err == nil && bytes.Contains(cmdline, []byte(s)) {
			out = append(out, p)
		}
	}
	return out
}

func freePort(t *testing.T) int {
	t.Helper()
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer l.Close()
	return l.Addr().(*net.TCPAddr).Port
}
