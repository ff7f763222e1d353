package run_test

import (
	"testing"

	"github.com/stretchr/testify/assert"

	"github.com/regnb/regnb/regnb/run"
)

func TestLogLine(t *testing.T) {
	// The tutorial's formats.
	assert.Equal(t, "Loss after mini-batch   500: 65.46844 (of which 63.18564 L1 loss)",
		run.LogLine(500, 65.468437, []string{"L1"}, []float64{63.185638}))
	assert.Equal(t, "Loss after mini-batch  6000: 2.93739 (of which 0.63481 L1 loss; 0.00000 L2 loss)",
		run.LogLine(6000, 2.937394, []string{"L1", "L2"}, []float64{0.634809, 0}))
	assert.Equal(t, "Loss after mini-batch  1000: 1.00388", run.LogLine(1000, 1.003875, nil, nil))
}
