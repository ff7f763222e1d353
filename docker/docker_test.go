// Package docker holds the checks of the workshop image's Dockerfile that
// need no container engine: its pins, its layer order against the build
// context (.dockerignore), the Go toolchain's checksum, the backend check and
// Jupyter's token. scripts/image-test.sh (make image-test) builds and runs
// the image itself, with podman.
package docker

import (
	"archive/zip"
	"bytes"
	"fmt"
	"io/fs"
	"net/http"
	"net/http/httptest"
	"os"
	"os/exec"
	"path"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"golang.org/x/mod/sumdb/dirhash"
)

func dockerfile(t *testing.T) string {
	raw, err := os.ReadFile("Dockerfile")
	require.NoError(t, err)
	return string(raw)
}

// instruction is one Dockerfile instruction, continuation lines joined.
type instruction struct {
	Cmd  string // Upper case: FROM, RUN, COPY, ENV, …
	Args string
}

func instructions(t *testing.T) []instruction {
	var out []instruction
	var cur strings.Builder
	for _, line := range strings.Split(dockerfile(t), "\n") {
		trimmed := strings.TrimSpace(line)
		if cur.Len() == 0 && (trimmed == "" || strings.HasPrefix(trimmed, "#")) {
			continue
		}
		if cur.Len() > 0 && strings.HasPrefix(trimmed, "#") {
			continue // A comment inside a continued instruction.
		}
		if strings.HasSuffix(trimmed, "\\") {
			cur.WriteString(strings.TrimSuffix(trimmed, "\\") + " ")
			continue
		}
		cur.WriteString(trimmed)
		cmd, args, _ := strings.Cut(cur.String(), " ")
		out = append(out, instruction{strings.ToUpper(cmd), strings.TrimSpace(args)})
		cur.Reset()
	}
	return out
}

// index returns the position of the first instruction cmd whose arguments
// contain substr, or -1.
func index(ins []instruction, cmd, substr string) int {
	for i, in := range ins {
		if in.Cmd == cmd && strings.Contains(in.Args, substr) {
			return i
		}
	}
	return -1
}

// copySources returns the sources of a COPY instruction (flags dropped, the
// destination last), relative to the build context.
func copySources(in instruction) []string {
	var fields []string
	for _, f := range strings.Fields(in.Args) {
		if !strings.HasPrefix(f, "--") {
			fields = append(fields, f)
		}
	}
	return fields[:len(fields)-1]
}

// --- The build context: .dockerignore, as Docker reads it ---------------------

// ignorePattern is a .dockerignore line, as moby/patternmatcher reads it.
type ignorePattern struct {
	re     *regexp.Regexp
	negate bool
}

func dockerignore(t *testing.T) []ignorePattern {
	raw, err := os.ReadFile(filepath.Join("..", ".dockerignore"))
	require.NoError(t, err, "a .dockerignore at the root of the build context")
	var pats []ignorePattern
	for _, line := range strings.Split(string(raw), "\n") {
		line = strings.TrimSpace(line)
		if line == "" || strings.HasPrefix(line, "#") {
			continue
		}
		negate := strings.HasPrefix(line, "!")
		line = strings.TrimPrefix(line, "!")
		line = strings.TrimPrefix(path.Clean("/"+line), "/")
		var re strings.Builder
		re.WriteString("^")
		for i := 0; i < len(line); i++ {
			switch c := line[i]; {
			case strings.HasPrefix(line[i:], "**/"):
				re.WriteString("(.*/)?")
				i += 2
			case strings.HasPrefix(line[i:], "**"):
				re.WriteString(".*")
				i++
			case c == '*':
				re.WriteString("[^/]*")
			case c == '?':
				re.WriteString("[^/]")
			default:
				re.WriteString(regexp.QuoteMeta(string(c)))
			}
		}
		re.WriteString("$")
		pats = append(pats, ignorePattern{regexp.MustCompile(re.String()), negate})
	}
	return pats
}

// ignored reports whether .dockerignore keeps rel (slash-separated, relative
// to the context) out of the build context: the last pattern that matches
// rel or one of its parent directories decides.
func ignored(pats []ignorePattern, rel string) bool {
	out := false
	for _, p := range pats {
		for prefix := rel; prefix != "." && prefix != "/" && prefix != ""; prefix = path.Dir(prefix) {
			if p.re.MatchString(prefix) {
				out = !p.negate
				break
			}
		}
	}
	return out
}

// contextFiles lists the files of the build context (the repository root,
// less what .dockerignore excludes), slash-separated.
func contextFiles(t *testing.T) []string {
	pats := dockerignore(t)
	var files []string
	err := filepath.WalkDir("..", func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		rel, _ := filepath.Rel("..", p)
		rel = filepath.ToSlash(rel)
		if rel == "." {
			return nil
		}
		if ignored(pats, rel) {
			if d.IsDir() {
				return filepath.SkipDir
			}
			return nil
		}
		if !d.IsDir() {
			files = append(files, rel)
		}
		return nil
	})
	require.NoError(t, err)
	return files
}

func TestDockerignoreKeepsOutputsOutOfTheContext(t *testing.T) {
	pats := dockerignore(t)
	for _, p := range []string{".git/HEAD", ".git", "out/test/02-l1.html", "out/image-test/build.log",
		"bin/regnb", "notebooks/runs/l1/history.json", "runs/enet/history.csv", "regnb/regnb.test",
		"cpu.prof", "notebooks/.ipynb_checkpoints/02-l1-checkpoint.ipynb", ".gpu/x", ".gl/x", ".ci/run",
		".venv/bin/python", ".browser-test-123/02-l1.ipynb", "scripts/image-test.sh", "scripts/image/standin.sh"} {
		assert.True(t, ignored(pats, p), "%s must not enter the build context", p)
	}
	for _, p := range []string{"go.mod", "go.sum", "notebooks/02-l1.ipynb", "docker/Dockerfile",
		"docker/go-toolchain.sum", "scripts/setup.sh", "regnb/train.go", "README.md"} {
		assert.False(t, ignored(pats, p), "%s is needed in the build context", p)
	}
	// Everything the Dockerfile copies by name is in the context.
	for _, in := range instructions(t) {
		if in.Cmd != "COPY" {
			continue
		}
		for _, src := range copySources(in) {
			if src == "." {
				continue
			}
			_, err := os.Stat(filepath.Join("..", src))
			assert.NoError(t, err, "COPY %s", src)
			assert.False(t, ignored(pats, src), "COPY %s: excluded by .dockerignore", src)
		}
	}
}

// --- Layer order ----------------------------------------------------------------

// TestLayerOrder simulates the build cache: editing a file re-runs every step
// from the first COPY that copies it. Editing a notebook must not re-run the
// set-up, the plugin or the Go build; editing Go code must not re-run the
// set-up or the plugin; and the Go build must see every Go package.
func TestLayerOrder(t *testing.T) {
	ins := instructions(t)
	setup := index(ins, "RUN", "scripts/setup.sh")
	plugin := index(ins, "RUN", "pjrt-install")
	build := index(ins, "RUN", "go build ./...")
	notebooks := index(ins, "RUN", "scripts/run-notebooks.sh")
	require.True(t, setup >= 0 && plugin >= 0 && build >= 0 && notebooks >= 0, "the set-up, plugin, build and notebook steps")
	require.True(t, setup < plugin && plugin < build && build < notebooks, "in this order")
	for i := notebooks + 1; i < len(ins); i++ {
		assert.NotEqual(t, "RUN", ins[i].Cmd, "nothing runs after the notebooks: %s", ins[i].Args)
	}

	firstCopy := func(file string) int {
		for i, in := range ins {
			if in.Cmd != "COPY" || strings.Contains(in.Args, "--from") {
				continue
			}
			for _, src := range copySources(in) {
				src = strings.TrimSuffix(src, "/")
				if src == "." || src == file || strings.HasPrefix(file, src+"/") {
					return i
				}
			}
		}
		return -1
	}

	setupInputs := []string{"go.mod", "go.sum", "scripts/setup.sh", "scripts/goenv.sh", "scripts/pyenv.sh",
		"docker/go-toolchain.py", "docker/go-toolchain.sum"}
	pluginInputs := regexp.MustCompile(`^scripts/(pjrt-install\.sh|requirements/xla-[a-z0-9]+\.txt)$`)
	goDirs := map[string]bool{}
	files := contextFiles(t)
	for _, f := range files {
		// Packages with code; docker/ holds only these tests, not built in the image.
		// As `./...`, which skips directories named testdata or starting with . or _.
		if strings.HasSuffix(f, ".go") && !strings.HasSuffix(f, "_test.go") &&
			!regexp.MustCompile(`(^|/)(testdata|[._][^/]*)/`).MatchString(f) {
			goDirs[path.Dir(f)] = true
		}
	}
	require.NotEmpty(t, goDirs)
	for _, f := range files {
		at := firstCopy(f)
		if !assert.GreaterOrEqual(t, at, 0, "%s is never copied into the image", f) {
			continue
		}
		if at < setup {
			assert.Contains(t, setupInputs, f, "editing %s would re-run the set-up and everything after it", f)
		}
		if at < plugin && !slices.Contains(setupInputs, f) {
			assert.Regexp(t, pluginInputs, f, "editing %s would re-run the XLA plugin's install", f)
		}
		if strings.HasPrefix(f, "notebooks/") {
			assert.Greater(t, at, build, "editing %s would re-run the Go build", f)
		}
		if goDirs[path.Dir(f)] {
			assert.Less(t, at, build, "%s (a Go package's) is not there when the Go build runs", f)
		}
	}
	// The README quotes figures that the notebooks' run checks (scripts/check_figures.py).
	assert.Greater(t, firstCopy("README.md"), build, "editing the README re-runs neither the set-up nor the Go build")
	assert.Less(t, firstCopy("README.md"), notebooks, "the notebooks' run checks the figures the README quotes")
	assert.Greater(t, firstCopy("Makefile"), notebooks, "editing the Makefile re-runs nothing")
	assert.Greater(t, firstCopy("notebooks/02-l1.ipynb"), build)
}

// --- Pins, toolchain and architecture ---------------------------------------------

func goVersion(t *testing.T) string {
	m := regexp.MustCompile(`(?m)^ARG GO_VERSION=(\S+)$`).FindStringSubmatch(dockerfile(t))
	require.NotNil(t, m)
	require.Regexp(t, `^1\.\d+\.\d+$`, m[1])
	return m[1]
}

func TestBaseImageAndToolchainArePinned(t *testing.T) {
	d := dockerfile(t)
	base := regexp.MustCompile(`(?m)^ARG BASE_IMAGE=(\S+)$`).FindStringSubmatch(d)
	require.NotNil(t, base, "BASE_IMAGE argument")
	assert.Regexp(t, `^quay\.io/jupyter/base-notebook:\d{4}-\d{2}-\d{2}$`, base[1], "a dated docker-stacks tag, never latest")
	assert.Contains(t, d, "FROM ${BASE_IMAGE}")
	goVersion(t)
	assert.NotContains(t, strings.ToLower(d), ":latest")
	assert.NotContains(t, d, "@latest")
	assert.NotContains(t, d, "go.dev", "the toolchain comes from the Go module proxy")
	assert.NotRegexp(t, `(?m)^RUN .*\b(curl|wget)\b`, d, "nothing fetched unverified")
}

// The Go toolchain is golang.org/toolchain from the module proxy, for the
// image's architecture, with the checksums sum.golang.org publishes pinned
// for both architectures the image builds for.
func TestToolchainForTargetArchitecture(t *testing.T) {
	d := dockerfile(t)
	ins := instructions(t)
	i := index(ins, "RUN", "go-toolchain.py")
	require.GreaterOrEqual(t, i, 0, "the toolchain step")
	assert.Contains(t, ins[i].Args, `-version "${GO_VERSION}"`)
	assert.Contains(t, ins[i].Args, `-arch "${TARGETARCH`)
	assert.NotContains(t, d, "linux-amd64", "no architecture hard-coded")
	c := index(ins, "COPY", "go-toolchain.py")
	require.GreaterOrEqual(t, c, 0)
	assert.Contains(t, ins[c].Args, "docker/go-toolchain.sum")
	assert.Less(t, c, i)

	sums := readSums(t)
	for _, arch := range []string{"amd64", "arm64"} {
		v := fmt.Sprintf("v0.0.1-go%s.linux-%s", goVersion(t), arch)
		assert.Regexp(t, `^h1:[A-Za-z0-9+/]{43}=$`, sums[v], "go-toolchain.sum: golang.org/toolchain %s", v)
	}
}

func readSums(t *testing.T) map[string]string {
	raw, err := os.ReadFile("go-toolchain.sum")
	require.NoError(t, err)
	sums := map[string]string{}
	for _, line := range strings.Split(strings.TrimSpace(string(raw)), "\n") {
		f := strings.Fields(line)
		require.Len(t, f, 3, "go.sum format: %q", line)
		require.Equal(t, "golang.org/toolchain", f[0])
		sums[f[1]] = f[2]
	}
	return sums
}

// The pinned sums are the ones the go command checked against sum.golang.org
// when it downloaded the toolchain into this machine's module cache (if it
// did: `go mod download golang.org/toolchain@v0.0.1-go1.26.8.linux-amd64`).
func TestToolchainSumMatchesTheModuleCache(t *testing.T) {
	out, err := exec.Command("go", "env", "GOMODCACHE").Output()
	require.NoError(t, err)
	dir := filepath.Join(strings.TrimSpace(string(out)), "cache", "download", "golang.org", "toolchain", "@v")
	found := 0
	for v, sum := range readSums(t) {
		raw, err := os.ReadFile(filepath.Join(dir, v+".ziphash"))
		if err != nil {
			continue
		}
		found++
		assert.Equal(t, strings.TrimSpace(string(raw)), sum, v)
	}
	if found == 0 {
		t.Skipf("no toolchain of go-toolchain.sum in %s", dir)
	}
}

func python(t *testing.T) string {
	for _, p := range []string{"/usr/bin/python3", "python3"} {
		if full, err := exec.LookPath(p); err == nil {
			return full
		}
	}
	t.Skip("no python3")
	return ""
}

// fakeToolchain is a module zip laid out as golang.org/toolchain's.
func fakeToolchain(t *testing.T, version string, extra string) []byte {
	var buf bytes.Buffer
	z := zip.NewWriter(&buf)
	prefix := "golang.org/toolchain@" + version + "/"
	for name, body := range map[string]string{
		"go.mod":                "module golang.org/toolchain\n",
		"VERSION":               "go9.9.9\n" + extra,
		"bin/go":                "#!/bin/sh\necho fake go\n",
		"pkg/tool/x/vet":        "tool",
		"src/_go.mod":           "module std\n",
		"src/cmd/_go.mod":       "module cmd\n",
		"lib/time/zoneinfo.zip": "tz",
	} {
		w, err := z.Create(prefix + name)
		require.NoError(t, err)
		_, err = w.Write([]byte(body))
		require.NoError(t, err)
	}
	require.NoError(t, z.Close())
	return buf.Bytes()
}

// TestToolchainChecksumIsVerified runs docker/go-toolchain.py (what the
// Dockerfile runs) against a module proxy on loopback: it installs a
// toolchain whose zip hashes to the pinned sum (Go's own dirhash), for the
// architecture asked, and refuses one that does not.
func TestToolchainChecksumIsVerified(t *testing.T) {
	py := python(t)
	const goVer = "9.9.9"
	good := fakeToolchain(t, "v0.0.1-go9.9.9.linux-arm64", "")
	tampered := fakeToolchain(t, "v0.0.1-go9.9.9.linux-arm64", "tampered\n")
	var requested []string
	serve := good
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		requested = append(requested, r.URL.Path)
		if r.URL.Path != "/golang.org/toolchain/@v/v0.0.1-go9.9.9.linux-arm64.zip" {
			http.NotFound(w, r)
			return
		}
		_, _ = w.Write(serve)
	}))
	defer srv.Close()

	tmp := t.TempDir()
	zipPath := filepath.Join(tmp, "good.zip")
	require.NoError(t, os.WriteFile(zipPath, good, 0o644))
	sum, err := dirhash.HashZip(zipPath, dirhash.Hash1)
	require.NoError(t, err)
	sums := filepath.Join(tmp, "sums")
	require.NoError(t, os.WriteFile(sums, []byte(
		"golang.org/toolchain v0.0.1-go9.9.9.linux-amd64 h1:AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=\n"+
			"golang.org/toolchain v0.0.1-go9.9.9.linux-arm64 "+sum+"\n"), 0o644))

	run := func(dest string, args ...string) (string, error) {
		cmd := exec.Command(py, append([]string{"go-toolchain.py", "-version", goVer, "-sums", sums,
			"-proxy", "off," + srv.URL + "/missing," + srv.URL}, append(args, dest)...)...)
		out, err := cmd.CombinedOutput()
		return string(out), err
	}

	dest := filepath.Join(tmp, "go")
	out, err := run(dest, "-arch", "arm64")
	require.NoError(t, err, out)
	assert.Contains(t, out, sum+" verified")
	assert.Contains(t, requested, "/golang.org/toolchain/@v/v0.0.1-go9.9.9.linux-arm64.zip", "the toolchain for the architecture asked")
	info, err := os.Stat(filepath.Join(dest, "bin", "go"))
	require.NoError(t, err)
	assert.NotZero(t, info.Mode()&0o111, "bin/go is executable")
	info, err = os.Stat(filepath.Join(dest, "pkg", "tool", "x", "vet"))
	require.NoError(t, err)
	assert.NotZero(t, info.Mode()&0o111, "pkg/tool is executable")
	info, err = os.Stat(dest)
	require.NoError(t, err)
	assert.Equal(t, os.FileMode(0o755), info.Mode().Perm())
	for _, m := range []string{"src/go.mod", "src/cmd/go.mod"} {
		_, err := os.Stat(filepath.Join(dest, m))
		assert.NoError(t, err, "%s restored from _go.mod, as the go command does", m)
	}

	// A zip that does not hash to the published sum installs nothing.
	serve = tampered
	bad := filepath.Join(tmp, "bad")
	out, err = run(bad, "-arch", "arm64")
	assert.Error(t, err)
	assert.Contains(t, out, "checksum mismatch")
	assert.NoDirExists(t, bad)

	// No published sum for the version: refused before any download.
	requested = nil
	out, err = run(filepath.Join(tmp, "none"), "-arch", "riscv64")
	assert.Error(t, err)
	assert.Contains(t, out, "no checksum")
	assert.Empty(t, requested)
}

// --- Set-up, user, SIMD -------------------------------------------------------

func TestUsesTheSharedSetUpScript(t *testing.T) {
	d := dockerfile(t)
	assert.Contains(t, d, "RUN scripts/setup.sh")
	makefile, err := os.ReadFile(filepath.Join("..", "Makefile"))
	require.NoError(t, err)
	assert.Contains(t, string(makefile), "scripts/setup.sh", "make tutorial uses the same script")
	ci, err := os.ReadFile(filepath.Join("..", ".ci", "run"))
	require.NoError(t, err)
	assert.Contains(t, string(ci), "make test", "CI runs make test, which runs the set-up script")
}

func TestReferencedFilesExist(t *testing.T) {
	d := dockerfile(t)
	for _, m := range regexp.MustCompile(`((?:scripts|docker)/[\w./-]+|notebooks/[\w*/-]+\.ipynb)`).FindAllString(d, -1) {
		m = strings.TrimRight(m, "/.")
		_, err := os.Stat(filepath.Join("..", m))
		assert.NoError(t, err, "the Dockerfile refers to %s", m)
	}
}

func TestRunsOfflineAsANonRootUser(t *testing.T) {
	d := dockerfile(t)
	assert.Contains(t, d, "GOMLX_NO_AUTO_INSTALL=1")
	assert.Contains(t, d, "GOFLAGS=-tags=xla")
	assert.Regexp(t, `(?m)^USER \$\{NB_UID\}$`, d)
	lastUser := d[strings.LastIndex(d, "\nUSER "):]
	assert.NotContains(t, strings.SplitN(lastUser, "\n", 3)[1], "root")
	assert.Contains(t, d, "EXPOSE 8888")
	assert.Regexp(t, `(?m)^WORKDIR .*/notebooks$`, d)
	assert.Contains(t, d, "ARG VARIANT=cpu")
	// Notebooks are shipped without outputs: trusting them means nothing.
	assert.NotContains(t, d, "jupyter trust")
}

// GoMLX's pure-Go backend has its SIMD kernels only when built with
// GOEXPERIMENT=simd, an amd64-only experiment: the amd64 stage sets it, and
// the image's stage is picked by BuildKit's TARGETARCH.
func TestGoExperimentSimdOnAmd64(t *testing.T) {
	d := dockerfile(t)
	assert.Regexp(t, `(?m)^ARG TARGETARCH$`, d, "declared without a default, which would override BuildKit's")
	assert.NotRegexp(t, `(?m)^ARG TARGETARCH=`, d)
	assert.Regexp(t, `(?m)^FROM \$\{BASE_IMAGE\} AS base-amd64\nENV GOEXPERIMENT=simd$`, d)
	arm := regexp.MustCompile(`(?ms)^FROM \$\{BASE_IMAGE\} AS base-arm64$(.*?)^FROM `).FindStringSubmatch(d)
	require.NotNil(t, arm, "an arm64 stage")
	assert.NotContains(t, arm[1], "GOEXPERIMENT")
	assert.Regexp(t, `(?m)^FROM base-\$\{TARGETARCH\}$`, d)
	code := regexp.MustCompile(`(?m)^\s*#.*$`).ReplaceAllString(d, "")
	assert.Equal(t, 1, strings.Count(code, "GOEXPERIMENT="), "set only in the amd64 stage")
	// The set-up script writes the kernel's environment (GOEXPERIMENT,
	// GOMLX_NO_AUTO_INSTALL) into kernel.json.
	setup, err := os.ReadFile(filepath.Join("..", "scripts", "setup.sh"))
	require.NoError(t, err)
	assert.Contains(t, string(setup), `env["GOMLX_NO_AUTO_INSTALL"] = "1"`)
	assert.Contains(t, string(setup), `env["GOEXPERIMENT"] = goexperiment`)
}

// --- XLA -------------------------------------------------------------------------

// The PJRT plugin comes from PyPI through scripts/pjrt-install.sh, the one
// install path of setup.sh too (its own tests: pjrt_install_test.go), from the
// pinned, hashed requirements files copied just before. The step is a build
// argument: install or skip. The set-up before it installs no plugin.
func TestPJRTPluginStep(t *testing.T) {
	d := dockerfile(t)
	ins := instructions(t)
	assert.Regexp(t, `(?m)^ARG PJRT=install$`, d)
	i := index(ins, "RUN", "pjrt-install")
	require.GreaterOrEqual(t, i, 0)
	assert.Contains(t, ins[i].Args, `install) scripts/pjrt-install.sh "${VARIANT}" ;;`)
	assert.Regexp(t, `skip\) echo .*pure-Go backend`, ins[i].Args, "a skipped plugin is said")
	assert.Regexp(t, `\*\) .*exit 1`, ins[i].Args, "any other value fails")
	c := index(ins, "COPY", "scripts/requirements/xla-cpu.txt")
	require.GreaterOrEqual(t, c, 0, "the pins are copied for the plugin step")
	assert.Less(t, c, i)
	for _, v := range []string{"cpu", "cuda13", "cuda12"} {
		assert.Contains(t, ins[c].Args, "scripts/requirements/xla-"+v+".txt")
	}
	assert.Contains(t, ins[index(ins, "RUN", "scripts/setup.sh")].Args, "--no-xla")
	// The base's Jupyter: the set-up only registers the kernel for it.
	assert.Regexp(t, `(?m)^\s+REGNB_PYTHON=python3 \\$`, d)
}

// The advertised backend (GOMLX_BACKEND) is set before the warm-up, and the
// build runs docker/backend-check.sh after building regnb, which fails unless
// one training step's summary line names XLA.
func TestBuildFailsWhenTheAdvertisedBackendDoesNotLoad(t *testing.T) {
	ins := instructions(t)
	env := index(ins, "ENV", "GOMLX_BACKEND=xla:${VARIANT}")
	check := index(ins, "RUN", "docker/backend-check.sh regnb")
	nbs := index(ins, "RUN", "scripts/run-notebooks.sh")
	require.True(t, env >= 0 && check >= 0, "ENV GOMLX_BACKEND and the backend check")
	assert.Less(t, env, check)
	assert.Less(t, check, nbs, "the backend is checked before the notebooks' warm-up")
	assert.Contains(t, ins[nbs].Args, "GOMLX_BACKEND=go scripts/run-notebooks.sh",
		"the warm-up fills the Go build cache on the pure-Go backend (the same cache, minutes faster than xla:cpu)")
	assert.Less(t, index(ins, "RUN", "pjrt-install"), env)
	assert.Contains(t, ins[check].Args, "go install ./cmd/regnb")

	sh, err := exec.LookPath("sh")
	if err != nil {
		t.Skip("no sh")
	}
	tmp := t.TempDir()
	fake := filepath.Join(tmp, "regnb")
	require.NoError(t, os.WriteFile(fake, []byte("#!/bin/sh\n[ \"$1 $2 $3\" = \"train -max-steps 1\" ] || exit 9\n"+
		"[ -n \"$NOTICE\" ] && echo \"$NOTICE\" >&2\nprintf '%s\\n' \"$SUMMARY\"\nexit ${STATUS:-0}\n"), 0o755))
	plugin := filepath.Join(tmp, "pjrt_c_api_cuda_plugin.so")
	require.NoError(t, os.WriteFile(plugin, nil, 0o644))
	xlaLine := "Time: 1 steps in 0s (10 examples/s, first step with compilation 0.5s, peak memory 1 MiB) on backend xla:cpu, kernels: xla"
	goLine := "Time: 1 steps in 0s (10 examples/s, first step with compilation 0.0s, peak memory 1 MiB) on backend go:ops_sequential, kernels: go (simd/avx2)"
	for _, c := range []struct {
		name string
		env  []string
		ok   bool
		says string
	}{
		{"xla loads", []string{"GOMLX_BACKEND=xla:cpu", "SUMMARY=" + xlaLine}, true, "XLA loads"},
		{"xla falls back", []string{"GOMLX_BACKEND=xla:cpu", "SUMMARY=" + goLine,
			"NOTICE=regnb: no usable XLA PJRT plugin \"cpu\"; using the pure-Go backend (go:ops_sequential)"}, false, "XLA does not load"},
		{"no summary", []string{"GOMLX_BACKEND=xla:cpu", "SUMMARY=something else"}, false, "no summary line"},
		{"run fails", []string{"GOMLX_BACKEND=xla:cpu", "SUMMARY=" + xlaLine, "STATUS=1"}, false, "one-step run failed"},
		{"plugin skipped", []string{"GOMLX_BACKEND=xla:cpu", "PJRT=skip", "SUMMARY=" + goLine}, true, "XLA was NOT checked"},
		{"pure-Go image", []string{"GOMLX_BACKEND=go", "SUMMARY=" + goLine}, true, "on backend go"},
		{"cuda, no GPU, plugin installed", []string{"GOMLX_BACKEND=xla:cuda", "REGNB_PJRT_CUDA=" + plugin, "SUMMARY=" + goLine}, true, "NOT checked here"},
		{"cuda, no GPU, no plugin", []string{"GOMLX_BACKEND=xla:cuda", "REGNB_PJRT_CUDA=" + filepath.Join(tmp, "none.so"), "SUMMARY=" + goLine}, false, "no CUDA plugin"},
	} {
		t.Run(c.name, func(t *testing.T) {
			cmd := exec.Command(sh, "backend-check.sh", fake)
			cmd.Env = append([]string{"PATH=" + os.Getenv("PATH")}, c.env...)
			out, err := cmd.CombinedOutput()
			if c.ok {
				assert.NoError(t, err, string(out))
			} else {
				assert.Error(t, err, string(out))
			}
			assert.Contains(t, string(out), c.says)
		})
	}
}

// --- Jupyter's token ------------------------------------------------------------

// Jupyter keeps its token: docker-stacks listens on all interfaces, so an
// empty token would let anyone who reaches the port run code. The README
// publishes the port on 127.0.0.1, or on all interfaces only with the
// organiser's own token.
func TestJupyterKeepsItsToken(t *testing.T) {
	ins := instructions(t)
	cmd := ins[len(ins)-1]
	for _, in := range ins {
		if in.Cmd == "CMD" || in.Cmd == "ENTRYPOINT" {
			cmd = in
		}
	}
	require.Equal(t, "CMD", cmd.Cmd)
	assert.Contains(t, cmd.Args, "start-notebook.py", "docker-stacks' start-up, which prints the URL with its token")
	assert.NotRegexp(t, `(?i)token=("|'|\s|,|\]|$)`, cmd.Args, "an empty token switches authentication off")
	assert.NotRegexp(t, `(?i)(password=|disable_check_xsrf|allow_origin)`, cmd.Args)
	code := regexp.MustCompile(`(?m)^\s*#.*$`).ReplaceAllString(dockerfile(t), "")
	assert.NotContains(t, code, "JUPYTER_TOKEN", "no token baked into the image")

	readme, err := os.ReadFile("README.md")
	require.NoError(t, err)
	runs := regexp.MustCompile(`(?m)^.*docker run .*$`).FindAllString(string(readme), -1)
	require.NotEmpty(t, runs)
	local := 0
	for _, r := range runs {
		if !strings.Contains(r, "8888") {
			continue
		}
		if strings.Contains(r, "-p 127.0.0.1:8888:8888") {
			local++
			continue
		}
		assert.Contains(t, r, "JUPYTER_TOKEN", "published on all interfaces only with the organiser's token: %s", r)
	}
	assert.NotZero(t, local, "the README runs it on 127.0.0.1")
	assert.Contains(t, string(readme), "token=")
}

// --- The image test's wiring ------------------------------------------------------

func TestImageTestBuildsThisDockerfile(t *testing.T) {
	makefile, err := os.ReadFile(filepath.Join("..", "Makefile"))
	require.NoError(t, err)
	assert.Regexp(t, `(?m)^image-test:.*\n\tscripts/image-test\.sh`, string(makefile))
	ci, err := os.ReadFile(filepath.Join("..", ".ci", "run"))
	require.NoError(t, err)
	assert.Regexp(t, `(?s)make test\n.*make image-test`, string(ci), "CI runs the image test after make test")
	script, err := os.ReadFile(filepath.Join("..", "scripts", "image-test.sh"))
	require.NoError(t, err)
	s := string(script)
	assert.Contains(t, s, "podman build --layers -f docker/Dockerfile")
	assert.Contains(t, s, `--build-arg "BASE_IMAGE=$standin"`)
	assert.NotContains(t, s, "PJRT=skip", "the image test installs the XLA plugin and checks that it loads")
	assert.Contains(t, s, "--network=none", "a notebook runs offline")
	assert.Contains(t, s, `-p "127.0.0.1:$port:8888"`, "published on loopback only")
}
