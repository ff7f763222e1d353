package run_test

import (
	"fmt"

	"github.com/regnb/regnb/regnb/run"
	"github.com/regnb/regnb/regnb/settings"
)

// The tutorial's examples are presets of one Config; explicit settings
// override them.
func ExamplePreset() {
	cfg, err := settings.Preset("elastic-net")
	if err != nil {
		panic(err)
	}
	fmt.Println(cfg.L1, cfg.L2, cfg.BatchSize, cfg.LR, cfg.Epochs)
	cfg.L1, cfg.L2 = -1, 0.7
	fmt.Println(cfg.Validate())
	// Output:
	// 0.3 0.7 10 0.0001 5
	// l1 = -1: must be ≥ 0
}

// The tutorial's log line, one part per penalty term.
func ExampleLogLine() {
	fmt.Println(run.LogLine(500, 65.468437, []string{"L1"}, []float64{63.185638}))
	fmt.Println(run.LogLine(6000, 2.937394, []string{"L1", "L2"}, []float64{0.634809, 0}))
	// Output:
	// Loss after mini-batch   500: 65.46844 (of which 63.18564 L1 loss)
	// Loss after mini-batch  6000: 2.93739 (of which 0.63481 L1 loss; 0.00000 L2 loss)
}
