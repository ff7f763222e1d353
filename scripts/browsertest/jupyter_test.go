package browsertest_test

import (
	"bytes"
	"crypto/rand"
	"encoding/hex"
	"fmt"
	"net"
	"net/http"
	"os"
	"os/exec"
	"os/signal"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"
)

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
			fmt.Fprintf(os.Stderr, "browser test: %v: stopping JupyterLab, its kernels and the browser\n", s)
			d.run()
			os.Exit(1)
		case <-stop:
		}
	}()
}

type jupyterLab struct {
	base, token string
}

// startJupyterLab starts scripts/lab.sh, what `make lab` runs (JupyterLab on
// 127.0.0.1 with a token), on nbDir with a free port and a random token, with
// its own runtime, settings and workspaces folders (a user's JupyterLab
// settings and saved layout do not apply, and nothing is written to them), in
// its own process group, and registers its end: SIGTERM (it shuts its kernels
// down), then SIGKILL for every process that is left of it, the kernels and
// the cells' programs included. The kernels run in quick mode (REGNB_QUICK=1)
// and see a browser (no REGNB_HEADLESS).
func startJupyterLab(t *testing.T, down *teardown, root, nbDir, logPath string) jupyterLab {
	t.Helper()
	python := os.Getenv("REGNB_PYTHON")
	if python == "" {
		t.Fatal("REGNB_PYTHON is not set: run the test through scripts/browser-test.sh (make browser-test)")
	}
	if out, err := exec.Command(python, "-c", "import jupyterlab; print(jupyterlab.__version__)").CombinedOutput(); err != nil {
		t.Fatalf("%s has no JupyterLab (%v: %s): this test drives JupyterLab 4; scripts/setup.sh installs it from PyPI "+
			"(where PyPI cannot be reached it falls back to Debian's classic Notebook, which this test does not drive)",
			python, err, bytes.TrimSpace(out))
	} else {
		t.Logf("JupyterLab %s (%s)", bytes.TrimSpace(out), python)
	}
	port := freePort(t)
	var b [16]byte
	if _, err := rand.Read(b[:]); err != nil {
		t.Fatal(err)
	}
	lab := jupyterLab{base: fmt.Sprintf("http://127.0.0.1:%d", port), token: hex.EncodeToString(b[:])}
	state, err := os.MkdirTemp("", "regnb-browser-test-jupyter-")
	if err != nil {
		t.Fatal(err)
	}
	down.add(func() { os.RemoveAll(state) }) // After the server's end (last in, first out).
	runtimeDir := filepath.Join(state, "runtime")
	// JupyterLab's settings for this run only: it does not ask whether to
	// fetch Jupyter's news (a toast over the screenshots).
	settings := filepath.Join(state, "settings", "@jupyterlab", "apputils-extension")
	if err := os.MkdirAll(settings, 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(settings, "notification.jupyterlab-settings"),
		[]byte(`{"fetchNews": "false", "checkForUpdates": false}`), 0o644); err != nil {
		t.Fatal(err)
	}
	logFile, err := os.Create(logPath)
	if err != nil {
		t.Fatal(err)
	}
	cmd := exec.Command(filepath.Join(root, "scripts", "lab.sh"), "--root", nbDir, "--port", strconv.Itoa(port),
		"--expose-app-in-browser") // window.jupyterapp, which the test reads the notebook through.
	cmd.Dir = root
	cmd.Stdout, cmd.Stderr = logFile, logFile
	cmd.Env = append(slices.DeleteFunc(os.Environ(), func(kv string) bool {
		for _, k := range []string{"REGNB_HEADLESS", "JUPYTER_RUNTIME_DIR", "JUPYTERLAB_SETTINGS_DIR",
			"JUPYTERLAB_WORKSPACES_DIR", "JUPYTER_TOKEN", "REGNB_QUICK", "REGNB_RUNS", "REGNB_FIGURES"} {
			if strings.HasPrefix(kv, k+"=") {
				return true
			}
		}
		return false
	}),
		"JUPYTER_TOKEN="+lab.token,
		"JUPYTER_RUNTIME_DIR="+runtimeDir,
		"JUPYTERLAB_SETTINGS_DIR="+filepath.Join(state, "settings"),
		"JUPYTERLAB_WORKSPACES_DIR="+filepath.Join(state, "workspaces"),
		"REGNB_QUICK=1", // Notebook 2's trainings: a few hundred steps.
		"REGNB_RUNS="+filepath.Join(state, "runs"), // The runs' folders, thrown away.
	)
	cmd.SysProcAttr = &syscall.SysProcAttr{Setpgid: true, Pdeathsig: syscall.SIGKILL}
	if err := cmd.Start(); err != nil {
		t.Fatalf("starting JupyterLab: %v", err)
	}
	exited := make(chan struct{})
	go func() { cmd.Wait(); logFile.Close(); close(exited) }()
	down.add(func() { stopJupyter(t, cmd.Process.Pid, runtimeDir, exited) })

	deadline := time.Now().Add(90 * time.Second)
	for {
		select {
		case <-exited:
			log, _ := os.ReadFile(logPath)
			t.Fatalf("JupyterLab exited at its start:\n%s", log)
		default:
		}
		resp, err := http.Get(lab.base + "/api/status?token=" + lab.token)
		if err == nil {
			resp.Body.Close()
			if resp.StatusCode == http.StatusOK {
				return lab
			}
		}
		if time.Now().After(deadline) {
			t.Fatalf("JupyterLab does not answer on %s after 90s (log: %s)", lab.base, logPath)
		}
		time.Sleep(200 * time.Millisecond)
	}
}

func stopJupyter(t testing.TB, pid int, runtimeDir string, exited chan struct{}) {
	// Everything that descends from the server, or names its runtime directory
	// (a kernel runs in a session of its own, with a connection file there).
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
		t.Logf("JupyterLab did not stop within 15s of SIGTERM: killing it")
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
