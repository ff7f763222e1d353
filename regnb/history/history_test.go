package history_test

import (
	"bytes"
	"math"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/regnb/regnb/regnb/history"
)

func TestNonFiniteValuesRoundTrip(t *testing.T) {
	h := &history.History{Terms: []string{"L1"}, Steps: []history.StepRecord{
		{Step: 1, Total: math.NaN(), Data: math.Inf(1), Terms: []float64{math.Inf(-1)}, L1Norm: 2.5},
	}}
	h.Summary.L1Norm = math.NaN()
	var js bytes.Buffer
	require.NoError(t, h.WriteJSON(&js))
	assert.Contains(t, js.String(), `"total": "NaN"`)
	assert.Contains(t, js.String(), `"data": "Infinity"`)
	back, err := history.ReadJSON(&js)
	require.NoError(t, err)
	r := back.Steps[0]
	assert.True(t, math.IsNaN(r.Total), "NaN reads back as NaN, not 0")
	assert.True(t, math.IsInf(r.Data, 1))
	assert.True(t, math.IsInf(r.Terms[0], -1))
	assert.Equal(t, 2.5, r.L1Norm)
	assert.True(t, math.IsNaN(back.Summary.L1Norm))

	// Histories written before JSON v2 ("+Inf"), and null (JSON's usual
	// stand-in), read back too.
	back, err = history.ReadJSON(strings.NewReader(`{"steps": [{"step": 1, "data": "+Inf", "total": "-Inf"}]}`))
	require.NoError(t, err)
	assert.True(t, math.IsInf(back.Steps[0].Data, 1))
	assert.True(t, math.IsInf(back.Steps[0].Total, -1))
	back, err = history.ReadJSON(strings.NewReader(`{"steps": [{"step": 1, "total": null, "terms": [null, 1]}]}`))
	require.NoError(t, err)
	assert.True(t, math.IsNaN(back.Steps[0].Total))
	assert.True(t, math.IsNaN(back.Steps[0].Terms[0]))
	assert.Equal(t, 1.0, back.Steps[0].Terms[1])
	_, err = history.ReadJSON(strings.NewReader(`{"steps": [{"total": "lots"}]}`))
	assert.Error(t, err)

	var csv bytes.Buffer
	require.NoError(t, h.WriteCSV(&csv))
	assert.Contains(t, csv.String(), "\n1,0,0,NaN,+Inf,-Inf,2.5,")
	_, steps, err := history.ReadStepsCSV(&csv)
	require.NoError(t, err)
	assert.True(t, math.IsNaN(steps[0].Total))
	assert.True(t, math.IsInf(steps[0].Data, 1))
}
