package sweep_test

import (
	"bytes"
	"context"
	"path/filepath"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/regnb/regnb/regnb/settings"
	"github.com/regnb/regnb/regnb/sweep"
)

// λ = 0 on each penalty's path is one configuration, no penalty at all: the
// plan runs it once, in DIR/no-penalty, and every path's point of λ = 0
// reads those runs. Other points keep directories of their own.
func TestPlanRunsASharedConfigurationOnce(t *testing.T) {
	dir := t.TempDir()
	p, err := sweep.NewPlan(sweep.Grid{Base: settings.Default(), Lambdas: []float64{0, 1e-4},
		Vary:  sweep.Axis{Setting: sweep.PenaltyAxis, Values: []string{"l1", "l2", "elastic-net"}},
		Seeds: []uint64{42, 43}, Dir: dir})
	require.NoError(t, err)
	require.Len(t, p.Points, 6)
	assert.Len(t, p.Jobs, 8, "no penalty twice (2 seeds), then 3 penalties × 2 seeds")
	for _, i := range []int{2, 4} {
		pt := p.Points[i]
		assert.Equal(t, 0.0, pt.Lambda)
		assert.Equal(t, "no penalty", pt.Label)
		assert.Equal(t, sweep.NoPenalty, pt.Key)
		assert.Equal(t, p.Points[0].Jobs, pt.Jobs)
	}
	assert.Equal(t, []string{"l1", "l2", "elastic-net"}, []string{p.Points[0].Path, p.Points[2].Path, p.Points[4].Path})
	assert.Equal(t, "l2-lambda-0.0001", p.Points[3].Key)
	seen := map[string]bool{}
	for _, j := range p.Jobs {
		assert.False(t, seen[j.Config.OutDir], "%s: two jobs in one directory", j.Config.OutDir)
		seen[j.Config.OutDir] = true
	}

	// Configurations that differ in a setting, even one that does not change
	// the training (proximal without a penalty), are not shared.
	p, err = sweep.NewPlan(sweep.Grid{Base: settings.Default(), Lambdas: []float64{0, 1e-4},
		Vary: sweep.Axis{Setting: "proximal", Values: []string{"false", "true"}}, Dir: dir})
	require.NoError(t, err)
	assert.Len(t, p.Jobs, 4)
	assert.Equal(t, []string{"no-penalty-proximal-false", "l1-proximal-false-lambda-0.0001", "no-penalty-proximal-true", "l1-proximal-true-lambda-0.0001"},
		[]string{p.Points[0].Key, p.Points[1].Key, p.Points[2].Key, p.Points[3].Key})
}

// A sweep with the shared configuration runs it once and reports it on
// every path; each path still chooses among its own points.
func TestSweepWithASharedConfiguration(t *testing.T) {
	dir := t.TempDir()
	g, d := smallGrid(t, dir)
	g.Lambdas = []float64{0, 0.3}
	g.Vary = sweep.Axis{Setting: sweep.PenaltyAxis, Values: []string{"l1", "l2"}}
	p, err := sweep.NewPlan(g)
	require.NoError(t, err)
	require.Len(t, p.Jobs, 6)
	var log bytes.Buffer
	s, err := sweep.Run(context.Background(), p, sweep.Options{Jobs: 2, Data: d, Log: &log})
	require.NoError(t, err, log.String())
	assert.Equal(t, 6, strings.Count(log.String(), "validation accuracy 0."), log.String())
	require.Len(t, s.Points, 4)
	none1, none2 := s.Points[0], s.Points[2]
	assert.Equal(t, "l1", none1.Path)
	assert.Equal(t, "l2", none2.Path)
	assert.Equal(t, none1.Figures, none2.Figures)
	assert.Equal(t, []string{filepath.Join("no-penalty", "seed-1"), filepath.Join("no-penalty", "seed-2")}, none2.Dirs)
	for _, path := range []string{"l1", "l2"} {
		chosen := 0
		for _, pt := range s.Points {
			if pt.Path == path {
				chosen += len(pt.Chosen)
			}
		}
		assert.Equal(t, 2, chosen, "%s: both rules chose on the path", path)
	}
}
