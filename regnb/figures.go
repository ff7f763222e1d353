package regnb

import (
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"math"
	"os"
	"path/filepath"
)

// FiguresEnv names the environment variable that makes Record write: the
// path of a JSON file (scripts/run-notebooks.sh sets it to OUTDIR/figures.json).
const FiguresEnv = "REGNB_FIGURES"

// Figures is the file that Record writes: every figure a cell measured that
// the prose of a notebook or of README.md quotes, by name, and the mode
// ("full" or "quick") of the runs that measured them. scripts/check_figures.py
// compares the quoted numbers with it.
type Figures struct {
	Mode    string             `json:"mode"`
	Figures map[string]float64 `json:"figures"`
}

// Mode returns "quick" in quick mode (REGNB_QUICK), else "full".
func Mode() string {
	if QuickMode() {
		return "quick"
	}
	return "full"
}

// Record saves a measured figure under name in the file named by
// $REGNB_FIGURES (nothing happens when it is not set), replacing an earlier
// value of that name. Record it in the unit the prose quotes it in (a
// percentage as a percentage). A file written in the other mode, or a value
// that is not a number, stops the cell.
func Record(name string, value float64) {
	path := os.Getenv(FiguresEnv)
	if path == "" {
		return
	}
	Check(recordFigure(path, Mode(), name, value))
}

func recordFigure(path, mode, name string, value float64) error {
	if math.IsNaN(value) || math.IsInf(value, 0) {
		return fmt.Errorf("figure %s = %v: not a number", name, value)
	}
	f := Figures{Mode: mode, Figures: map[string]float64{}}
	raw, err := os.ReadFile(path)
	switch {
	case errors.Is(err, fs.ErrNotExist):
	case err != nil:
		return fmt.Errorf("figures file: %w", err)
	default:
		if err := json.Unmarshal(raw, &f); err != nil {
			return fmt.Errorf("figures file %s: %w", path, err)
		}
		if f.Mode != mode {
			return fmt.Errorf("figures file %s holds %s-mode figures; this cell runs in %s mode", path, f.Mode, mode)
		}
		if f.Figures == nil {
			f.Figures = map[string]float64{}
		}
	}
	f.Figures[name] = value
	out, err := json.MarshalIndent(f, "", "  ")
	if err != nil {
		return err
	}
	tmp, err := os.CreateTemp(filepath.Dir(path), ".figures-*.json")
	if err != nil {
		return fmt.Errorf("figures file: %w", err)
	}
	if _, err := tmp.Write(append(out, '\n')); err != nil {
		tmp.Close()
		os.Remove(tmp.Name())
		return fmt.Errorf("figures file: %w", err)
	}
	if err := tmp.Close(); err != nil {
		os.Remove(tmp.Name())
		return err
	}
	return os.Rename(tmp.Name(), path)
}

// Assert checks a claim that the cell's prose makes. If ok, it prints
// "✓ " and the message; if not, it stops the cell with the message in a red
// box ("check failed: …"). Put the measured numbers in the message, so that a
// failure says by how much.
func Assert(ok bool, format string, args ...any) {
	msg := fmt.Sprintf(format, args...)
	if !ok {
		Check(errors.New("check failed: " + msg))
	}
	fmt.Println("✓ " + msg)
}
