package regnb_test

import (
	"testing"

	"github.com/gomlx/compute"
	"github.com/stretchr/testify/require"

	"github.com/regnb/regnb/regnb"
)

func newBackend(t testing.TB) compute.Backend {
	t.Helper()
	b, notice, err := regnb.NewBackend("")
	require.NoError(t, err)
	require.Empty(t, notice)
	return b
}
