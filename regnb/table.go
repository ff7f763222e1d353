package regnb

import (
	"fmt"
	"html"
	"os"
	"strings"

	"github.com/janpfeifer/gonb/gonbui"
	"github.com/regnb/regnb/regnb/history"
)

// ShowSummary shows the runs' results as a table (history.SummaryRows'
// columns): an HTML table in a notebook, Markdown on stdout elsewhere.
func ShowSummary(hs ...*History) {
	rows := history.SummaryRows(hs)
	ShowTable(rows[0], rows[1:])
}

// ShowTable shows a table with a header row: HTML in a notebook, Markdown
// on stdout elsewhere. Cells that look like numbers are right-aligned.
func ShowTable(header []string, rows [][]string) {
	if !InNotebook() {
		Check(history.WriteMarkdown(os.Stdout, append([][]string{header}, rows...)))
		return
	}
	gonbui.DisplayHTML(TableHTML(header, rows))
	gonbui.Sync()
}

// TableHTML returns a table with a header row as HTML.
func TableHTML(header []string, rows [][]string) string {
	var b strings.Builder
	b.WriteString(`<table class="regnb-table" style="border-collapse:collapse;font-size:90%">` + "\n<thead><tr>")
	for _, h := range header {
		fmt.Fprintf(&b, `<th style="border-bottom:1px solid #888;padding:2px 8px;text-align:left">%s</th>`, html.EscapeString(h))
	}
	b.WriteString("</tr></thead>\n<tbody>\n")
	for _, r := range rows {
		b.WriteString("<tr>")
		for i, c := range r {
			align := "left"
			if i > 0 && looksNumeric(c) {
				align = "right"
			}
			fmt.Fprintf(&b, `<td style="padding:2px 8px;text-align:%s">%s</td>`, align, html.EscapeString(c))
		}
		b.WriteString("</tr>\n")
	}
	b.WriteString("</tbody></table>")
	return b.String()
}

func looksNumeric(s string) bool {
	s = strings.TrimSpace(strings.TrimSuffix(strings.TrimSpace(s), "%"))
	if s == "" {
		return false
	}
	for _, r := range s {
		if !strings.ContainsRune("0123456789.-+eE ", r) {
			return false
		}
	}
	return true
}
