package regnb

import (
	"encoding/csv"
	"encoding/json"
	"fmt"
	"io"
	"math"
	"os"
	"path/filepath"
	"slices"
	"strconv"
)

// History is what a run leaves behind, as plain data: the settings, every
// logged step, every epoch's test accuracy, weight histograms before and after,
// and a summary. Plots are functions of a History, so a run read back from disk
// plots like a fresh one.
type History struct {
	Config     Config            `json:"config"`
	Backend    string            `json:"backend"`           // Backend configuration, e.g. "go:ops_sequential" or "xla:cpu".
	Kernels    string            `json:"kernels,omitempty"` // The kernels it ran with, e.g. "go (simd/avx2)" (see Kernels).
	Terms      []string          `json:"terms"`             // Penalty term names, as reported by the regularizers.
	Steps      []StepRecord      `json:"steps"`
	Epochs     []EpochRecord     `json:"epochs"`
	Histograms []WeightHistogram `json:"histograms"`
	Summary    Summary           `json:"summary"`
	Status     string            `json:"status"` // "running", "finished", "interrupted" or "diverged".
	StepsDone  int               `json:"steps_done"`
	// StepsPerEpoch is the number of mini-batches in an epoch.
	StepsPerEpoch int `json:"steps_per_epoch"`
}

// StepRecord is one logged mini-batch. Loss values are those of that
// mini-batch; norms are over all trainable parameters after its update.
type StepRecord struct {
	Step      int       `json:"step"`  // Global step, 1-based.
	Epoch     int       `json:"epoch"` // 1-based.
	Batch     int       `json:"batch"` // Mini-batch within the epoch, 1-based.
	Total     float64   `json:"total"` // Data loss plus every term.
	Data      float64   `json:"data"`  // Cross-entropy.
	Terms     []float64 `json:"terms"` // Weighted penalty values, in History.Terms order.
	L1Norm    float64   `json:"l1_norm"`
	SquaredL2 float64   `json:"squared_l2_norm"`
	Small     float64   `json:"frac_small"` // Fraction of parameters with |w| < SmallWeight.
	Zeros     int       `json:"zeros"`      // Parameters exactly 0.
}

// EpochRecord is the state at the end of an epoch.
type EpochRecord struct {
	Epoch        int     `json:"epoch"`
	Step         int     `json:"step"`
	TestAccuracy float64 `json:"test_accuracy"`
	Seconds      float64 `json:"seconds"` // Training time since the start of the run.
}

// Summary is the state at the end of the run.
type Summary struct {
	TestAccuracy      float64 `json:"test_accuracy"`
	InitialAccuracy   float64 `json:"initial_accuracy"`
	PrunedAccuracy    float64 `json:"pruned_accuracy"` // After setting every |w| < SmallWeight to 0.
	Params            int     `json:"params"`
	L1Norm            float64 `json:"l1_norm"`
	SquaredL2         float64 `json:"squared_l2_norm"`
	Small             float64 `json:"frac_small"`
	Zeros             int     `json:"zeros"`
	TrainSeconds      float64 `json:"train_seconds"`
	CompileSeconds    float64 `json:"compile_seconds"`
	ExamplesPerSecond float64 `json:"examples_per_second"`
	PeakRSSMB         float64 `json:"peak_rss_mb"` // Peak resident memory of the process (Linux), MiB.
}

// WeightHistogram counts a layer's weights by order of magnitude: Counts[i]
// holds the weights with Edges[i] ≤ log10|w| < Edges[i+1]; exact zeros are
// counted apart.
type WeightHistogram struct {
	Layer  string    `json:"layer"` // Variable, e.g. "/dense_0/weights".
	Stage  string    `json:"stage"` // "initial" or "final".
	Edges  []float64 `json:"edges"`
	Counts []int     `json:"counts"`
	Zeros  int       `json:"zeros"`
}

// SmallWeight is the threshold under which a weight counts as (near) zero.
const SmallWeight = 1e-3

// histogramEdges are the log10|w| bin edges: 1e-9 … 10, four bins a decade.
var histogramEdges = func() []float64 {
	var e []float64
	for x := -9.0; x <= 1.0001; x += 0.25 {
		e = append(e, x)
	}
	return e
}()

func newHistogram(layer, stage string, values []float64) WeightHistogram {
	h := WeightHistogram{Layer: layer, Stage: stage, Edges: histogramEdges, Counts: make([]int, len(histogramEdges)-1)}
	last := len(h.Counts) - 1
	for _, w := range values {
		if w == 0 {
			h.Zeros++
			continue
		}
		i := int(math.Floor((math.Log10(math.Abs(w)) - h.Edges[0]) / 0.25))
		h.Counts[min(max(i, 0), last)]++
	}
	return h
}

// TermValue returns the value of the named term in r, and whether it exists.
func (h *History) TermValue(r StepRecord, name string) (float64, bool) {
	i := slices.Index(h.Terms, name)
	if i < 0 || i >= len(r.Terms) {
		return 0, false
	}
	return r.Terms[i], true
}

// WriteJSON writes h as indented JSON. Non-finite numbers (a diverged run) are
// written as null, since JSON has no NaN.
func (h *History) WriteJSON(w io.Writer) error {
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	return enc.Encode(h.finite())
}

// finite returns a copy of h whose non-finite loss values are replaced by the
// largest float64 with the right sign (NaN by 0), so it can be encoded.
func (h *History) finite() *History {
	c := *h
	c.Steps = slices.Clone(h.Steps)
	fix := func(x *float64) {
		switch {
		case math.IsNaN(*x):
			*x = 0
		case math.IsInf(*x, 1):
			*x = math.MaxFloat64
		case math.IsInf(*x, -1):
			*x = -math.MaxFloat64
		}
	}
	for i := range c.Steps {
		r := &c.Steps[i]
		r.Terms = slices.Clone(r.Terms)
		fix(&r.Total)
		fix(&r.Data)
		fix(&r.L1Norm)
		fix(&r.SquaredL2)
		for j := range r.Terms {
			fix(&r.Terms[j])
		}
	}
	return &c
}

// ReadHistoryJSON reads a History written by WriteJSON.
func ReadHistoryJSON(r io.Reader) (*History, error) {
	h := &History{}
	if err := json.NewDecoder(r).Decode(h); err != nil {
		return nil, fmt.Errorf("reading history JSON: %w", err)
	}
	return h, nil
}

// LoadHistory reads a history.json file, or the one in a run's output directory.
func LoadHistory(path string) (*History, error) {
	if st, err := os.Stat(path); err == nil && st.IsDir() {
		path = filepath.Join(path, "history.json")
	}
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	h, err := ReadHistoryJSON(f)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", path, err)
	}
	return h, nil
}

// csvHeader returns the columns of WriteCSV.
func (h *History) csvHeader() []string {
	head := []string{"step", "epoch", "batch", "total", "data"}
	head = append(head, h.Terms...)
	return append(head, "l1_norm", "squared_l2_norm", "frac_small", "zeros")
}

// WriteCSV writes the logged steps as CSV, one row per record, with a header
// naming each penalty term by its name.
func (h *History) WriteCSV(w io.Writer) error {
	cw := csv.NewWriter(w)
	if err := cw.Write(h.csvHeader()); err != nil {
		return err
	}
	f := func(x float64) string { return strconv.FormatFloat(x, 'g', -1, 64) }
	for _, r := range h.Steps {
		row := []string{strconv.Itoa(r.Step), strconv.Itoa(r.Epoch), strconv.Itoa(r.Batch), f(r.Total), f(r.Data)}
		for i := range h.Terms {
			v := 0.0
			if i < len(r.Terms) {
				v = r.Terms[i]
			}
			row = append(row, f(v))
		}
		row = append(row, f(r.L1Norm), f(r.SquaredL2), f(r.Small), strconv.Itoa(r.Zeros))
		if err := cw.Write(row); err != nil {
			return err
		}
	}
	cw.Flush()
	return cw.Error()
}

// ReadStepsCSV reads what WriteCSV wrote: the term names and the records.
func ReadStepsCSV(r io.Reader) (terms []string, steps []StepRecord, err error) {
	rows, err := csv.NewReader(r).ReadAll()
	if err != nil {
		return nil, nil, fmt.Errorf("reading history CSV: %w", err)
	}
	if len(rows) == 0 || len(rows[0]) < 9 || rows[0][0] != "step" {
		return nil, nil, fmt.Errorf("reading history CSV: no regnb header")
	}
	nTerms := len(rows[0]) - 9
	terms = slices.Clone(rows[0][5 : 5+nTerms])
	for n, row := range rows[1:] {
		var rec StepRecord
		var errs []error
		atoi := func(s string) int { v, err := strconv.Atoi(s); errs = append(errs, err); return v }
		atof := func(s string) float64 { v, err := strconv.ParseFloat(s, 64); errs = append(errs, err); return v }
		rec.Step, rec.Epoch, rec.Batch = atoi(row[0]), atoi(row[1]), atoi(row[2])
		rec.Total, rec.Data = atof(row[3]), atof(row[4])
		for i := range nTerms {
			rec.Terms = append(rec.Terms, atof(row[5+i]))
		}
		k := 5 + nTerms
		rec.L1Norm, rec.SquaredL2, rec.Small, rec.Zeros = atof(row[k]), atof(row[k+1]), atof(row[k+2]), atoi(row[k+3])
		for _, e := range errs {
			if e != nil {
				return nil, nil, fmt.Errorf("reading history CSV, row %d: %w", n+2, e)
			}
		}
		steps = append(steps, rec)
	}
	return terms, steps, nil
}
