package backend_test

import (
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/regnb/regnb/internal/backend"
)

func TestBackends(t *testing.T) {
	b, notice, err := backend.New("")
	require.NoError(t, err)
	assert.Empty(t, notice)
	assert.Equal(t, "go", b.String(), "the pure-Go backend")
	_, _, err = backend.New("go:no_such_option")
	assert.ErrorContains(t, err, `backend "go:no_such_option"`)
	_, _, err = backend.New("tpu")
	assert.EqualError(t, err, `unknown backend "tpu": want go, go:OPTIONS, xla:cpu, xla:cuda or xla:/path/to/pjrt_plugin.so`)
	// Without -tags xla, asking for XLA falls back with a one-line notice.
	b, notice, err = backend.New("xla:cpu")
	require.NoError(t, err)
	assert.NotNil(t, b)
	assert.Contains(t, notice, "using the pure-Go backend")
	assert.NotContains(t, notice, "\n")
	t.Setenv("GOMLX_BACKEND", "")
	assert.Equal(t, backend.DefaultBackend, backend.DefaultBackendFor(10))
	assert.Equal(t, backend.LargeBatchBackend, backend.DefaultBackendFor(backend.LargeBatch))
	// A configuration saved before the port (GoMLX v0.26's kernel option).
	b, notice, err = backend.New("go:ops_sequential,dotgeneral_large")
	require.NoError(t, err)
	assert.Empty(t, notice)
	assert.Equal(t, "go", b.String())
	assert.Contains(t, backend.Names(), "go")
}

func TestKernelsNameTheSIMDBuild(t *testing.T) {
	b, _, err := backend.New("")
	require.NoError(t, err)
	kernels := backend.Kernels(b)
	assert.Regexp(t, `^go \(.+\)$`, kernels)
	if backend.SIMDBuild {
		assert.Contains(t, kernels, "simd")
		assert.NotContains(t, kernels, "no simd")
	} else {
		assert.Equal(t, "go (no simd)", kernels)
	}
}
