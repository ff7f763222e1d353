package regnb

import (
	"fmt"
	"html"
	"os"
	"path/filepath"
	"strings"

	"github.com/janpfeifer/gonb/gonbui"
)

// RepoFile returns the path of a file of this repository, given relative to
// its root, as seen from a notebook (whose folder is $GONB_DIR, one level
// below the root) or from the current directory.
func RepoFile(rel string) string {
	if dir := os.Getenv("GONB_DIR"); dir != "" {
		return filepath.Join(dir, "..", rel)
	}
	return rel
}

// SourceLines returns the lines of the repository's file rel from the first
// line containing from to the next line containing to, both included, and
// the first one's number; an error if either is missing.
func SourceLines(rel, from, to string) (lines []string, first int, err error) {
	raw, err := os.ReadFile(RepoFile(rel))
	if err != nil {
		return nil, 0, err
	}
	all := strings.Split(string(raw), "\n")
	start := -1
	for i, l := range all {
		if start < 0 && strings.Contains(l, from) {
			start = i
		}
		if start >= 0 && strings.Contains(l, to) {
			return all[start : i+1], start + 1, nil
		}
	}
	if start < 0 {
		return nil, 0, fmt.Errorf("%s: no line contains %q", rel, from)
	}
	return nil, 0, fmt.Errorf("%s: no line after %d contains %q", rel, start+1, to)
}

// ShowSource shows lines of the repository's own source (see SourceLines),
// with the file's name and line numbers: the code itself, not a copy of it.
// A missing line stops the cell.
func ShowSource(rel, from, to string) {
	lines, first, err := SourceLines(rel, from, to)
	Check(err)
	indent := -1
	for _, l := range lines {
		if strings.TrimSpace(l) == "" {
			continue
		}
		n := len(l) - len(strings.TrimLeft(l, "\t"))
		if indent < 0 || n < indent {
			indent = n
		}
	}
	var b strings.Builder
	fmt.Fprintf(&b, "// %s, lines %d–%d\n", rel, first, first+len(lines)-1)
	for i, l := range lines {
		if len(l) >= indent && indent > 0 {
			l = l[indent:]
		}
		fmt.Fprintf(&b, "%4d  %s\n", first+i, strings.ReplaceAll(l, "\t", "    "))
	}
	if !InNotebook() {
		fmt.Print(b.String())
		return
	}
	gonbui.DisplayHTML(`<pre style="background:#f6f6f6;padding:0.5em;font-size:90%">` + html.EscapeString(b.String()) + `</pre>`)
	gonbui.Sync()
}
