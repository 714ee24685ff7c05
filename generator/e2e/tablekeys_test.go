package e2e

import (
	"regexp"
	"strings"
	"testing"

	"pchat-hadr/templates"
)

// TestStepTableKeysAreRead: every key the orchestrators' step tables carry
// is read by the engine. A key that is rendered but never read is a
// promise the scripts do not keep (the outage warning once was one).
func TestStepTableKeysAreRead(t *testing.T) {
	op, err := templates.FS.ReadFile("ps/operation.ps1.tmpl")
	if err != nil {
		t.Fatal(err)
	}
	engine, err := templates.FS.ReadFile("ps/engine.ps1.tmpl")
	if err != nil {
		t.Fatal(err)
	}
	text := string(op)
	start, end := strings.Index(text, "$Tables = @("), strings.Index(text, "$failed = $false")
	preds := text[strings.Index(text, `{{- define "ps.preds" }}`):]
	if start < 0 || end < start {
		t.Fatal("the step tables are not where this test looks for them")
	}
	keys := map[string]bool{}
	for _, part := range []string{text[start:end], preds[:strings.Index(preds, "{{ end }}{{ end }}")]} {
		for _, m := range regexp.MustCompile(`(?:@\{ |; |\n\s+)([A-Z]\w*) = `).FindAllStringSubmatch(part, -1) {
			keys[m[1]] = true
		}
	}
	if len(keys) < 20 {
		t.Fatalf("found only %d keys: the pattern no longer matches the tables", len(keys))
	}
	reads := string(engine) + text[end:]
	for k := range keys {
		if !regexp.MustCompile(`\.` + k + `\b|\['` + k + `'\]`).MatchString(reads) {
			t.Errorf("step table key %s is rendered but never read by the engine", k)
		}
	}
}
