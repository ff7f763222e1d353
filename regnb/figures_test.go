package regnb

import (
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func TestRecordFigure(t *testing.T) {
	path := filepath.Join(t.TempDir(), "figures.json")
	if err := recordFigure(path, "full", "a", 0.5); err != nil {
		t.Fatal(err)
	}
	if err := recordFigure(path, "full", "b", 2); err != nil {
		t.Fatal(err)
	}
	if err := recordFigure(path, "full", "a", 0.25); err != nil { // Replaced, not appended.
		t.Fatal(err)
	}
	var f Figures
	raw, _ := os.ReadFile(path)
	if err := json.Unmarshal(raw, &f); err != nil {
		t.Fatal(err)
	}
	if f.Mode != "full" || len(f.Figures) != 2 || f.Figures["a"] != 0.25 || f.Figures["b"] != 2 {
		t.Errorf("figures file: %+v", f)
	}
	if err := recordFigure(path, "quick", "c", 1); err == nil || !strings.Contains(err.Error(), "full-mode") {
		t.Errorf("a quick-mode figure in a full-mode file: %v", err)
	}
}

func TestSourceLinesAndTable(t *testing.T) {
	lines, first, err := SourceLines("figures.go", "func Record(", "Check(recordFigure")
	if err != nil || first == 0 || len(lines) < 3 || !strings.Contains(lines[len(lines)-1], "Check(recordFigure") {
		t.Errorf("SourceLines: %d lines from %d, %v", len(lines), first, err)
	}
	if _, _, err := SourceLines("figures.go", "no such line", "x"); err == nil {
		t.Error("SourceLines found a line that does not exist")
	}
	html := TableHTML([]string{"run", "accuracy"}, [][]string{{"l1 <1>", "0.94"}})
	for _, want := range []string{"<table", "<th", "l1 &lt;1&gt;", `text-align:right">0.94`} {
		if !strings.Contains(html, want) {
			t.Errorf("TableHTML: no %q in %s", want, html)
		}
	}
}
