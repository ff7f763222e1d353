package regnb

import (
	"testing"

	"github.com/stretchr/testify/assert"
)

// The λ slider's positions: four a decade from 0.0001 to 1; a λ is shown at
// the position nearest it, and λ beyond the ends at the ends.
func TestLambdaSliderPositions(t *testing.T) {
	assert.InDelta(t, 1e-4, lambdaAt(sliderMin), 1e-12)
	assert.InDelta(t, 1.0, lambdaAt(sliderMax), 1e-12)
	assert.InDelta(t, 0.01, lambdaAt(8), 1e-12)
	for p := sliderMin; p <= sliderMax; p++ {
		assert.Equal(t, p, lambdaPosition(lambdaAt(p)), "position %d", p)
	}
	assert.Equal(t, 8, lambdaPosition(0.011))
	assert.Equal(t, sliderMin, lambdaPosition(1e-9))
	assert.Equal(t, sliderMax, lambdaPosition(100))
}
