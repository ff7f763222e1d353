package regnb

import (
	"fmt"
	"strings"
	"time"

	"gonum.org/v1/plot"

	"github.com/regnb/regnb/internal/backend"
	"github.com/regnb/regnb/regnb/data"
	"github.com/regnb/regnb/regnb/infer"
	"github.com/regnb/regnb/regnb/plots"
)

// Speed is the inference time of networks at several batch sizes, measured
// in one process on one backend: Timings[b][n] is network n's at batch size
// Batches[b] (infer.Timing: every pass's time, median, quartiles).
type Speed struct {
	Labels  []string
	Nets    []*Network
	Batches []int
	Timings [][]Timing
}

// speedReps is how many passes over the data set MeasureSpeed times per
// network at a batch size: with batch 1 a pass over 10 000 images is 10 000
// calls (about a second), with 1 000 ten (a few milliseconds). Quick mode
// times fewer.
func speedReps(batch int) int {
	switch {
	case QuickMode():
		return 5
	case batch < 10:
		return 15
	}
	return 61
}

// MeasureSpeed times each network's forward pass over the whole data set ds
// (labels[i] names nets[i]) on the pure-Go backend, in this process, at each
// batch size: after a warm-up pass, the networks' passes interleaved, each
// after a garbage collection (infer.Time).
func MeasureSpeed(ds *data.Set, batches []int, labels []string, nets ...*Network) (*Speed, error) {
	if len(labels) != len(nets) {
		return nil, fmt.Errorf("measure speed: %d labels for %d networks", len(labels), len(nets))
	}
	b, _, err := backend.New("")
	if err != nil {
		return nil, err
	}
	s := &Speed{Labels: labels, Nets: nets, Batches: batches}
	for _, batch := range batches {
		t, err := infer.Time(b, ds, batch, speedReps(batch), nets...)
		if err != nil {
			return nil, err
		}
		s.Timings = append(s.Timings, t)
	}
	return s, nil
}

// SpeedUp is how many times faster network n ran than network 0 at the
// b-th batch size, pass by pass (infer.SpeedUp: median and quartiles of the
// ratios; BeyondNoise tells a speed-up from the noise).
func (s *Speed) SpeedUp(b, n int) infer.SpeedUp { return s.Timings[b][n].SpeedUpOver(s.Timings[b][0]) }

// ShowSpeed shows the timings as a table: per batch size and network, the
// median time of a pass over the data set and its quartiles, the time per
// image, and the speed-up over the first network pass by pass (median and
// quartiles), claimed only beyond the noise.
func ShowSpeed(s *Speed) {
	header := []string{"batch", "network", "hidden units", "parameters", "pass: median (ms)", "quartiles (ms)", "µs per image",
		"speed-up", "its quartiles", "beyond noise"}
	var rows [][]string
	for b, batch := range s.Batches {
		for n, t := range s.Timings[b] {
			q1, q3 := t.Quartiles()
			up, quartiles, beyond := "—", "—", "—"
			if n > 0 {
				r := s.SpeedUp(b, n)
				up, quartiles, beyond = fmt.Sprintf("%.2f×", r.Median), fmt.Sprintf("%.2f – %.2f", r.Q1, r.Q3), yesNo(r.BeyondNoise())
			}
			rows = append(rows, []string{fmt.Sprint(batch), s.Labels[n], fmt.Sprint(s.Nets[n].Units()), fmt.Sprint(s.Nets[n].Params()),
				fmt.Sprintf("%.1f", ms(t.Median())), fmt.Sprintf("%.1f – %.1f", ms(q1), ms(q3)),
				fmt.Sprintf("%.2f", t.PerImage().Seconds()*1e6), up, quartiles, beyond})
		}
	}
	ShowTable(header, rows)
	fmt.Printf("%d images a pass; passes: %s; the networks' passes interleaved.\n", s.Timings[0][0].Images, s.passes())
}

// passes says how many passes were timed at each batch size.
func (s *Speed) passes() string {
	var parts []string
	for b, batch := range s.Batches {
		parts = append(parts, fmt.Sprintf("%d at batch %d", len(s.Timings[b][0].Times), batch))
	}
	return strings.Join(parts, ", ")
}

func ms(d time.Duration) float64 { return d.Seconds() * 1000 }

func yesNo(b bool) string {
	if b {
		return "yes"
	}
	return "no"
}

// SpeedPlot draws each network's time per image at each batch size, median
// and quartiles.
func SpeedPlot(s *Speed) *plot.Plot {
	var bars []plots.TimingBar
	for b, batch := range s.Batches {
		for n, t := range s.Timings[b] {
			q1, q3 := t.Quartiles()
			per := func(x float64) float64 { return x * 1e6 / float64(t.Images) }
			bars = append(bars, plots.TimingBar{Group: fmt.Sprintf("batch %d", batch), Label: s.Labels[n],
				Median: per(t.Median().Seconds()), Q1: per(q1.Seconds()), Q3: per(q3.Seconds())})
		}
	}
	return plots.Timings(fmt.Sprintf("Inference on %d images, one process, pure-Go backend", s.Timings[0][0].Images), bars...)
}
