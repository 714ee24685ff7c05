package model

import (
	"regexp"
	"strings"
	"testing"

	"pchat-hadr/generator/plan"
	"pchat-hadr/templates"
)

// The model's Exec is the specification of the PowerShell step engine
// (templates/ps/engine.ps1.tmpl). No PowerShell runs here, so this test
// holds the engine's text to the spec's order and its answers to a
// declined prompt and a point of no return.

// engineShape lists where the text of Invoke-OneStep departs from Exec.
func engineShape(src string) []string {
	body := functionBody(src, "Invoke-OneStep")
	if body == "" {
		return []string{"no function Invoke-OneStep"}
	}
	var probs []string
	// Exec's order: ensures (already done), unneeded, requires, the
	// prompt (-WhatIf assumes the ensures), the point of no return, the
	// action, the read-back.
	order := []string{
		"Test-Group $Step.Ensures",
		"$Step.Unneeded",
		"Assert-Requirement",
		"$PSCmdlet.ShouldProcess(",
		"$Step.NoReturn",
		"& $Step.Action",
		"Assert-ReadBack",
	}
	at := -1
	for _, m := range order {
		i := strings.Index(body, m)
		if i < 0 {
			probs = append(probs, "missing "+m)
			continue
		}
		if i < at {
			probs = append(probs, m+" comes too early")
		}
		at = i
	}
	// A declined prompt ends the run (Exec: Declined, with the command
	// that continues); -WhatIf assumes the ensures and goes on.
	declined := block(body, "if (-not $PSCmdlet.ShouldProcess(")
	if !strings.Contains(declined, "Stop-Operation -Step $Step -Reason 'declined") || !strings.Contains(declined, "$Step.Continue") {
		probs = append(probs, "a declined prompt does not stop the run with the command that continues")
	}
	if !strings.Contains(declined, "$script:assumed[$e.Subject] = $e.Want") {
		probs = append(probs, "-WhatIf does not assume what the step ensures")
	}
	// ShouldContinue, which neither -Confirm:$false nor "Yes to All"
	// answers; only the documented switch skips it.
	ponr := block(body, "if ($Step.NoReturn")
	if !regexp.MustCompile(`\$PSCmdlet\.ShouldContinue\(\$query, '[^']*'\)`).MatchString(ponr) {
		probs = append(probs, "the point of no return is not asked with ShouldContinue(query, caption)")
	}
	if !strings.Contains(ponr, "Stop-Operation -Step $Step -Reason 'declined") {
		probs = append(probs, "a declined point of no return does not stop the run")
	}
	if strings.Contains(ponr, "ConfirmPreference") || strings.Contains(ponr, "yesToAll") {
		probs = append(probs, "the point of no return can be answered by a preference or Yes to All")
	}
	// The tables render each unneeded group as @{ Preds = @(...) }.
	if !strings.Contains(body, "Test-Group $g.Preds") {
		probs = append(probs, "an unneeded group is not read through its Preds")
	}
	// A failed action stops the run unless a switch given accepts it.
	if !strings.Contains(body, "Stop-Operation -Step $Step -Reason ('failed: '") {
		probs = append(probs, "a failed action does not stop the run")
	}
	return probs
}

// functionBody returns the text of a PowerShell function up to the next one.
func functionBody(src, name string) string {
	i := strings.Index(src, "function "+name+" {")
	if i < 0 {
		return ""
	}
	rest := src[i+len("function "+name+" {"):]
	if j := strings.Index(rest, "\nfunction "); j >= 0 {
		rest = rest[:j]
	}
	return rest
}

// block returns the braces-balanced block that starts at head.
func block(src, head string) string {
	i := strings.Index(src, head)
	if i < 0 {
		return ""
	}
	depth, quoted := 0, false
	for j := i; j < len(src); j++ {
		if src[j] == '\'' {
			// Braces in single-quoted strings are format items, not blocks
			// ('' inside one toggles twice).
			quoted = !quoted
		}
		if quoted {
			continue
		}
		switch src[j] {
		case '{':
			depth++
		case '}':
			depth--
			if depth == 0 {
				return src[i : j+1]
			}
		}
	}
	return src[i:]
}

func TestPowerShellEngineFollowsTheModel(t *testing.T) {
	data, err := templates.FS.ReadFile("ps/engine.ps1.tmpl")
	if err != nil {
		t.Fatal(err)
	}
	src := string(data)
	if probs := engineShape(src); len(probs) > 0 {
		t.Fatalf("the engine departs from the model's Exec:\n  %s", strings.Join(probs, "\n  "))
	}
	// Each mutation puts back something the reviews found; the check must
	// see each.
	mutations := map[string][2]string{
		"a decline carries on":          {"Stop-Operation -Step $Step -Reason 'declined at its prompt; nothing after it ran' -Continue $Step.Continue", "return"},
		"ShouldProcess for no return":   {"$PSCmdlet.ShouldContinue($query, 'Point of no return')", "$PSCmdlet.ShouldProcess($query, 'Point of no return')"},
		"no read-back":                  {"    Assert-ReadBack -Step $Step\n", ""},
		"requirements after the prompt": {"    foreach ($p in $Step.Requires) { Assert-Requirement -Step $Step -P $p }\n", ""},
		"a group read as a predicate":   {"if (Test-Group $g.Preds)", "if (Test-Group $g)"},
	}
	for name, m := range mutations {
		if !strings.Contains(src, m[0]) {
			t.Errorf("%s: the engine text changed; update the mutation", name)
			continue
		}
		if probs := engineShape(strings.Replace(src, m[0], m[1], 1)); len(probs) == 0 {
			t.Errorf("%s: the check does not see it", name)
		}
	}
}

// The partner script reads the session back before it resumes the log
// backup job the seed paused: in SSMS a failed SET PARTNER does not stop
// the later batches.
func TestPartnerReadBackBeforeTheJobResumes(t *testing.T) {
	p := planOf(t, "example")
	m := &Model{Site: NewSite(p)}
	var checked int
	for _, f := range m.Site.Plan.Files {
		if !strings.HasSuffix(f.Path, ".sql") || !strings.HasSuffix(strings.TrimSuffix(f.Path, ".sql"), "-partner-mgc") || strings.HasSuffix(strings.TrimSuffix(f.Path, ".sql"), "-partner-mgccomp") {
			continue
		}
		src, err := renderOne(t, p, f.Path)
		if err != nil {
			t.Fatal(err)
		}
		resume := strings.Index(src, "@enabled = 1")
		guard := strings.Index(src, "the log-shipping backup job stays paused")
		partnerOK := strings.Index(src, "N'SET PARTNER failed;")
		if resume < 0 || guard < 0 || partnerOK < 0 || guard > resume {
			t.Errorf("%s: SET PARTNER checked %v, session read back at %d, job resumed at %d", f.Path, partnerOK >= 0, guard, resume)
		}
		checked++
	}
	if checked == 0 {
		t.Fatal("no partner scripts in the plan")
	}
}

// Every predicate kind of the plan has a reader in the PowerShell engine:
// one T-SQL query (the scalar kinds, templates/sql/predicates.sql.tmpl) or
// a case of Get-Live. The model reads every kind in Go, so a kind the
// engine lacks would pass the model check and fail on the night.
func TestEveryPredicateKindHasAPowerShellReader(t *testing.T) {
	engine, err := templates.FS.ReadFile("ps/engine.ps1.tmpl")
	if err != nil {
		t.Fatal(err)
	}
	preds, err := templates.FS.ReadFile("sql/predicates.sql.tmpl")
	if err != nil {
		t.Fatal(err)
	}
	live := functionBody(string(engine), "Get-Live")
	cases := map[string]bool{}
	for _, m := range regexp.MustCompile(`(?m)^\s+'([a-z.]+)' \{`).FindAllStringSubmatch(live, -1) {
		cases[m[1]] = true
	}
	queries := map[string]bool{}
	for _, m := range regexp.MustCompile(`eq \. "([a-z.]+)"`).FindAllStringSubmatch(string(preds), -1) {
		queries[m[1]] = true
	}
	for name, k := range plan.Kinds {
		switch {
		case k.Scalar && !queries[name]:
			t.Errorf("the scalar kind %s has no query in sql.pred", name)
		case !k.Scalar && !cases[name]:
			t.Errorf("the kind %s has no case in Get-Live", name)
		}
	}
	// And every kind a rendered orchestrator uses is a kind of the plan.
	p := planOf(t, "example")
	for _, o := range p.Operations {
		for _, pr := range allPreds(o) {
			if _, ok := plan.Kinds[pr.Kind]; !ok {
				t.Errorf("%s uses the unknown kind %s", o.Name, pr.Kind)
			}
		}
	}
}

func allPreds(o *plan.Operation) []plan.Pred {
	out := append(append([]plan.Pred(nil), o.Preflight...), o.Ends...)
	for _, st := range o.Steps {
		out = append(out, st.Requires...)
		out = append(out, st.Ensures...)
		for _, g := range st.Unneeded {
			out = append(out, g...)
		}
	}
	return out
}

// A refused login is not an instance that is down: only network errors
// read as "unreachable", which the DR guards accept as "serves nothing".
// And a printed command repeats the run's switches.
func TestPowerShellProbeAndCommands(t *testing.T) {
	partials, err := templates.FS.ReadFile("ps/partials.ps1.tmpl")
	if err != nil {
		t.Fatal(err)
	}
	engine, err := templates.FS.ReadFile("ps/engine.ps1.tmpl")
	if err != nil {
		t.Fatal(err)
	}
	probe := functionBody(string(partials), "Invoke-SqlQuery")
	if !strings.Contains(probe, "if ($Probe -and $unreachable) { return $null }") || strings.Contains(probe, "if ($Probe) { return $null }") {
		t.Error("Invoke-SqlQuery -Probe reads errors other than network errors as unreachable")
	}
	for _, n := range []string{"18456", "4060"} {
		if regexp.MustCompile(`\$NetworkErrors = @\([^)]*\b` + n + `\b`).Match(partials) {
			t.Errorf("login error %s is listed as a network error", n)
		}
	}
	run := functionBody(string(engine), "Invoke-Operation")
	if !strings.Contains(run, "$s.Continue = Add-RunArguments") || !strings.Contains(run, "$p.Fix = Add-RunArguments") {
		t.Error("the printed commands do not carry the run's switches")
	}
}
