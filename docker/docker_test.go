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
