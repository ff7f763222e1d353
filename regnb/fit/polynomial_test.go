package fit_test

import (
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/regnb/regnb/internal/backend"
	"github.com/regnb/regnb/regnb/fit"
)

func TestFitPolynomialFindsALine(t *testing.T) {
	assert.InDelta(t, 2*0.3*0.3-1, fit.Polynomial{C: []float64{0, 0, 1}}.Eval(0.3), 1e-12, "T2(x) = 2x²−1")
	b, _, err := backend.New("")
	require.NoError(t, err)
	pts := fit.Points{X: []float64{-1, -0.5, 0, 0.5, 1}}
	for _, x := range pts.X {
		pts.Y = append(pts.Y, 0.5+2*x)
	}
	p, err := fit.FitPolynomial(b, pts, 1, nil, 2000)
	require.NoError(t, err)
	assert.InDelta(t, 0.5, p.C[0], 1e-3)
	assert.InDelta(t, 2, p.C[1], 1e-3)
	_, err = fit.FitPolynomial(b, fit.Points{X: []float64{1}}, 1, nil, 1)
	assert.Error(t, err)
}
