package e2e

import (
	"path/filepath"
	"regexp"
	"strings"
	"testing"
)

// Statements of the runbook's Mermaid flowchart; a label is one quoted
// string in which quotes, < (but for <br/>), # (but for entity codes), `
// and | never appear raw.
var (
	mermaidLabel = `"(?:[^"<#` + "`" + `|]|<br/>|#[0-9]+;)*"`
	mermaidLines = []*regexp.Regexp{
		regexp.MustCompile(`^flowchart LR$`),
		regexp.MustCompile(`^  subgraph dc[12]\[` + mermaidLabel + `\]$`),
		regexp.MustCompile(`^  end$`),
		regexp.MustCompile(`^ +(n[0-9]+)(?:\[` + mermaidLabel + `\]|\(\[` + mermaidLabel + `\]\)|\[\(` + mermaidLabel + `\)\])$`),
		regexp.MustCompile(`^  (n[0-9]+) (?:<-->|<-\.->|---|-\.-|-->|-\.->)\|` + mermaidLabel + `\| (n[0-9]+)$`),
	}
)

// TestRunbookDiagram checks the site picture of every golden runbook: one
// Mermaid block right after the title block, every statement of a form
// Mermaid reads, with every label quoted, every link between nodes that
// exist, and every SQL Server instance of the runbook's instance table in it.
func TestRunbookDiagram(t *testing.T) {
	runbooks, _ := filepath.Glob("golden/*/RUNBOOK.md")
	more, _ := filepath.Glob("golden/*/*/RUNBOOK.md")
	runbooks = append(runbooks, more...)
	if len(runbooks) == 0 {
		t.Fatal("no golden runbooks")
	}
	for _, rb := range runbooks {
		text := string(readTree(t, filepath.Dir(rb))["RUNBOOK.md"])
		start := strings.Index(text, "\n```mermaid\n")
		if start < 0 || strings.Count(text, "```mermaid") != 1 || start > strings.Index(text, "\n## SQL Server instances") {
			t.Errorf("%s: want one mermaid block before the instance table", rb)
			continue
		}
		body := text[start+len("\n```mermaid\n"):]
		body = body[:strings.Index(body, "\n```\n")]
		nodes, links := map[string]bool{}, [][2]string{}
		for _, line := range strings.Split(body, "\n") {
			matched := false
			for i, re := range mermaidLines {
				if m := re.FindStringSubmatch(line); m != nil {
					matched = true
					switch i {
					case 3:
						nodes[m[1]] = true
					case 4:
						links = append(links, [2]string{m[1], m[2]})
					}
				}
			}
			if !matched {
				t.Errorf("%s: not a statement the diagram may hold: %q", rb, line)
			}
		}
		for _, l := range links {
			if !nodes[l[0]] || !nodes[l[1]] {
				t.Errorf("%s: link %s - %s to a node that does not exist", rb, l[0], l[1])
			}
		}
		for _, row := range regexp.MustCompile("(?m)^\\| [a-z_]+ \\| `([^`]+)` \\|").FindAllStringSubmatch(text, -1) {
			if !strings.Contains(body, "<br/>"+row[1]+"<br/>") {
				t.Errorf("%s: instance %s is not in the diagram", rb, row[1])
			}
		}
	}
}
