package e2e

import (
	"strconv"
	"strings"
	"testing"
)

func itoa(n int) string { return strconv.Itoa(n) }

// runbookSection returns the runbook's text from the line that names the
// operation's command to the next heading.
func runbookSection(t *testing.T, runbook, command string) string {
	t.Helper()
	i := strings.Index(runbook, "Run `"+command+" -WhatIf`")
	if i < 0 {
		t.Fatalf("the runbook has no section running %s", command)
	}
	rest := runbook[i:]
	if j := strings.Index(rest, "\n#"); j >= 0 {
		rest = rest[:j]
	}
	return rest
}

func lineStarting(text, prefix string) string {
	for _, l := range strings.Split(text, "\n") {
		if strings.HasPrefix(l, prefix) {
			return l
		}
	}
	return ""
}

// tableStep is a step as the orchestrator's table states it.
type tableStep struct {
	N        int
	Title    string
	Requires []string
	Ensures  []string
	NoReturn bool
}

// orchestratorTable parses the $Tables literal of a rendered orchestrator:
// the table whose first step has the title given.
func orchestratorTable(script, firstTitle string, n int) []tableStep {
	lines := strings.Split(strings.ReplaceAll(script, "\r\n", "\n"), "\n")
	var out []tableStep
	var cur *tableStep
	var list *[]string
	in := false
	for _, l := range lines {
		tl := strings.TrimSpace(l)
		switch {
		case strings.HasPrefix(tl, "N = "):
			num, _ := strconv.Atoi(strings.TrimPrefix(tl, "N = "))
			if num == 1 {
				in = false
			}
			out = append(out, tableStep{N: num, Requires: []string{}, Ensures: []string{}})
			cur, list = &out[len(out)-1], nil
		case cur == nil:
		case strings.HasPrefix(tl, "Title = "):
			cur.Title = psQuoted(strings.TrimPrefix(tl, "Title = "))
			if cur.N == 1 && cur.Title == firstTitle {
				in = true
				out = append(out[:0], *cur)
				cur = &out[0]
			}
		case strings.HasPrefix(tl, "NoReturn = "):
			cur.NoReturn = tl == "NoReturn = $true"
		case strings.HasPrefix(tl, "Requires = @("):
			list = &cur.Requires
		case strings.HasPrefix(tl, "Unneeded = @("):
			list = nil
		case strings.HasPrefix(tl, "Ensures = @("):
			list = &cur.Ensures
		case strings.HasPrefix(tl, "Action = "):
			list = nil
		case list != nil && strings.HasPrefix(tl, "@{ Key = "):
			i := strings.Index(tl, "Text = ")
			*list = append(*list, psQuoted(tl[i+len("Text = "):]))
		}
		if in && len(out) == n && cur != nil && strings.HasPrefix(tl, "Action = ") && cur.N == n {
			return out
		}
	}
	return out
}

// psQuoted reads the PowerShell single-quoted string at the start of s.
func psQuoted(s string) string {
	if !strings.HasPrefix(s, "'") {
		return s
	}
	var b strings.Builder
	for i := 1; i < len(s); i++ {
		if s[i] == '\'' {
			if i+1 < len(s) && s[i+1] == '\'' {
				b.WriteByte('\'')
				i++
				continue
			}
			break
		}
		b.WriteByte(s[i])
	}
	return b.String()
}
