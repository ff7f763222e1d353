package history

import (
	"encoding/csv"
	"fmt"
	"io"
	"math"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"

	"github.com/go-json-experiment/json"
	"github.com/go-json-experiment/json/jsontext"
)

// WriteJSON writes h as indented JSON. JSON has no NaN or infinity: such
// numbers (a diverged run's) are written as the strings "NaN", "Infinity"
// and "-Infinity", the non-finite form of Go's JSON v2
// (github.com/go-json-experiment/json), which ReadJSON reads back.
func (h *History) WriteJSON(w io.Writer) error {
	return json.MarshalWrite(w, h, nonFinite, jsontext.WithIndent("  "))
}

// ReadJSON reads a History written by WriteJSON. It also reads the strings
// "+Inf" and "-Inf" and null for a non-finite number (histories written
// before JSON v2 was used).
func ReadJSON(r io.Reader) (*History, error) {
	h := &History{}
	if err := json.UnmarshalRead(r, h, nonFinite); err != nil {
		return nil, fmt.Errorf("reading history JSON: %w", err)
	}
	return h, nil
}

// nonFinite makes every float64 of a History round-trip NaN and ±Inf.
var nonFinite = json.JoinOptions(
	json.WithMarshalers(json.MarshalToFunc(func(enc *jsontext.Encoder, x float64) error {
		if math.IsNaN(x) || math.IsInf(x, 0) {
			return enc.WriteToken(jsontext.Float(x)) // "NaN", "Infinity", "-Infinity".
		}
		return json.SkipFunc
	})),
	json.WithUnmarshalers(json.UnmarshalFromFunc(func(dec *jsontext.Decoder, x *float64) error {
		switch dec.PeekKind() {
		case 'n':
			_, err := dec.ReadToken()
			*x = math.NaN()
			return err
		case '"':
			tok, err := dec.ReadToken()
			if err != nil {
				return err
			}
			switch tok.String() {
			case "NaN":
				*x = math.NaN()
			case "Infinity", "+Inf":
				*x = math.Inf(1)
			case "-Infinity", "-Inf":
				*x = math.Inf(-1)
			default:
				return fmt.Errorf("%q: want a number, NaN, Infinity or -Infinity", tok.String())
			}
			return nil
		}
		return json.SkipFunc
	})),
)

// The names of a run's history in its output directory.
const (
	File    = "history.json"
	CSVFile = "history.csv" // Its logged steps (WriteCSV).
)

// Load reads a history.json file, or the one in a run's output directory.
func Load(path string) (*History, error) {
	if st, err := os.Stat(path); err == nil && st.IsDir() {
		path = filepath.Join(path, File)
	}
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	h, err := ReadJSON(f)
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
