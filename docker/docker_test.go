// Package docker holds the static checks of the workshop image's Dockerfile
// (no Docker engine runs on our development and CI machines).
package docker

import (
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func dockerfile(t *testing.T) string {
	raw, err := os.ReadFile("Dockerfile")
	require.NoError(t, err)
	return string(raw)
}

func TestBaseImageAndToolchainArePinned(t *testing.T) {
	d := dockerfile(t)
	base := regexp.MustCompile(`(?m)^ARG BASE_IMAGE=(\S+)$`).FindStringSubmatch(d)
	require.NotNil(t, base, "BASE_IMAGE argument")
	assert.Regexp(t, `^quay\.io/jupyter/base-notebook:\d{4}-\d{2}-\d{2}$`, base[1], "a dated docker-stacks tag, never latest")
	assert.Contains(t, d, "FROM ${BASE_IMAGE}")
	goVersion := regexp.MustCompile(`(?m)^ARG GO_VERSION=(\S+)$`).FindStringSubmatch(d)
	require.NotNil(t, goVersion)
	assert.Regexp(t, `^1\.\d+\.\d+$`, goVersion[1])
	assert.NotContains(t, strings.ToLower(d), ":latest")
	assert.NotContains(t, d, "@latest")
}

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
	// The scripts it runs and the notebooks it trusts (not what it removes).
	for _, m := range regexp.MustCompile(`(scripts/[\w./-]+|notebooks/[\w*/-]+\.ipynb)`).FindAllString(d, -1) {
		if strings.Contains(m, "*") {
			matches, err := filepath.Glob(filepath.Join("..", m))
			require.NoError(t, err)
			assert.NotEmpty(t, matches, m)
			continue
		}
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
	assert.Contains(t, d, "jupyter trust")
	assert.Contains(t, d, "ARG VARIANT=cpu")
}

// GoMLX's pure-Go backend has its SIMD kernels only when built with
// GOEXPERIMENT=simd, an amd64-only experiment: the amd64 stage sets it, the
// image's stage is picked by BuildKit's TARGETARCH, and the Go toolchain is
// downloaded for that architecture.
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
	assert.NotContains(t, d, "linux-amd64", "the Go toolchain for the target architecture")
	assert.Contains(t, d, "linux-${arch}.tar.gz")
}

// The PJRT plugin goes where go-xla looks for it: scripts/pjrt-install's
// default (~/.local/lib/go-xla), which the tool, built with -tags xla as in
// the image, checks with go-xla's own search.
func TestPJRTPluginInstalledWhereGoXLALooks(t *testing.T) {
	d := dockerfile(t)
	run := regexp.MustCompile(`(?m)^RUN go run \./scripts/pjrt-install (.*)$`).FindStringSubmatch(d)
	require.NotNil(t, run)
	assert.NotContains(t, run[1], "-lib", "the default directory, which go-xla searches")
	assert.Contains(t, d, "REGNB_PJRT_CUDA=/home/${NB_USER}/.local/lib/go-xla/nvidia/pjrt_c_api_cuda_plugin.so")
	// The set-up script writes the kernel's environment (GOEXPERIMENT,
	// GOMLX_NO_AUTO_INSTALL) into kernel.json.
	setup, err := os.ReadFile(filepath.Join("..", "scripts", "setup.sh"))
	require.NoError(t, err)
	assert.Contains(t, string(setup), `env["GOMLX_NO_AUTO_INSTALL"] = "1"`)
	assert.Contains(t, string(setup), `env["GOEXPERIMENT"] = goexperiment`)
}
