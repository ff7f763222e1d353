package experiment

import (
	"encoding/csv"
	"encoding/json"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
)

// WriteJSON writes h as indented JSON. Numbers that are not finite (a
// diverged run) are written as the strings "NaN", "+Inf" and "-Inf", since
// JSON has no such numbers; ReadHistoryJSON reads them back.
func (h *History) WriteJSON(w io.Writer) error {
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	return enc.Encode(h)
}

// ReadHistoryJSON reads a History written by WriteJSON.
func ReadHistoryJSON(r io.Reader) (*History, error) {
	h := &History{}
	if err := json.NewDecoder(r).Decode(h); err != nil {
		return nil, fmt.Errorf("reading history JSON: %w", err)
	}
	return h, nil
}

// HistoryFile is the name of a run's history in its output directory.
const HistoryFile = "history.json"

// LoadHistory reads a history.json file, or the one in a run's output directory.
func LoadHistory(path string) (*History, error) {
	if st, err := os.Stat(path); err == nil && st.IsDir() {
		path = filepath.Join(path, HistoryFile)
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
	return append(head, "l1_norm", "squared_l2_norm", "frac_small", "zeros", "units_kept")
}

// unitsCell writes the units kept per hidden layer in one CSV cell, "23 11".
func unitsCell(units []int) string {
	parts := make([]string, len(units))
	for i, u := range units {
		parts[i] = strconv.Itoa(u)
	}
	return strings.Join(parts, " ")
}

// WriteCSV writes the logged steps as CSV, one row per record, with a header
// naming each penalty term by its name. Values that are not finite are
// written NaN, +Inf or -Inf.
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
		row = append(row, f(r.L1Norm), f(r.SquaredL2), f(r.Small), strconv.Itoa(r.Zeros), unitsCell(r.UnitsKept))
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
	fixed := 9 // Columns other than the terms.
	hasUnits := rows[0][len(rows[0])-1] == "units_kept"
	if hasUnits {
		fixed++
	}
	nTerms := len(rows[0]) - fixed
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
		if hasUnits {
			for _, u := range strings.Fields(row[k+4]) {
				rec.UnitsKept = append(rec.UnitsKept, atoi(u))
			}
		}
		for _, e := range errs {
			if e != nil {
				return nil, nil, fmt.Errorf("reading history CSV, row %d: %w", n+2, e)
			}
		}
		steps = append(steps, rec)
	}
	return terms, steps, nil
}

// WriteFiles writes h as history.json and history.csv into dir, each
// replaced in one rename.
func (h *History) WriteFiles(dir string) error {
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return fmt.Errorf("output directory %s: %w", dir, unwrapPath(err))
	}
	if err := writeFileAtomic(filepath.Join(dir, HistoryFile), h.WriteJSON); err != nil {
		return err
	}
	return writeFileAtomic(filepath.Join(dir, "history.csv"), h.WriteCSV)
}

// writeFileAtomic writes path through a temporary file renamed into place.
func writeFileAtomic(path string, write func(io.Writer) error) error {
	tmp, err := os.CreateTemp(filepath.Dir(path), "."+filepath.Base(path)+".*")
	if err != nil {
		return fmt.Errorf("writing %s: %w", path, unwrapPath(err))
	}
	defer os.Remove(tmp.Name())
	if err := write(tmp); err != nil {
		tmp.Close()
		return fmt.Errorf("writing %s: %w", path, err)
	}
	if err := tmp.Close(); err != nil {
		return fmt.Errorf("writing %s: %w", path, err)
	}
	if err := os.Rename(tmp.Name(), path); err != nil {
		return fmt.Errorf("writing %s: %w", path, unwrapPath(err))
	}
	return nil
}
