package e2e

import (
	"os"
	"regexp"
	"sort"
	"strings"
	"testing"

	"pchat-hadr/templates"
)

// Tests of the permission, chain and prerequisite checks of issue 11: each
// reads the rendered scripts a DBA would run.

// renderText renders a site file and returns its outputs as text, CRs
// dropped, by path.
func renderText(t *testing.T, name string, data []byte) map[string]string {
	t.Helper()
	files, probs, err := renderSite(t, name, data)
	if err != nil || files == nil {
		t.Fatalf("%s: render: %v %v", name, err, probs)
	}
	out := map[string]string{}
	for p, b := range files {
		out[p] = strings.ReplaceAll(string(b), "\r", "")
	}
	return out
}

func exampleText(t *testing.T) map[string]string {
	t.Helper()
	ex, err := templates.FS.ReadFile(templates.ExampleSite)
	if err != nil {
		t.Fatal(err)
	}
	return renderText(t, "example.toml", ex)
}

// minimalWith renders fixtures/minimal.toml with replacements applied.
func minimalWith(t *testing.T, replace ...string) map[string]string {
	t.Helper()
	src := minimalFixture(t)
	for i := 0; i+1 < len(replace); i += 2 {
		if !strings.Contains(src, replace[i]) {
			t.Fatalf("fixtures/minimal.toml has no %q", replace[i])
		}
		src = strings.Replace(src, replace[i], replace[i+1], 1)
	}
	return renderText(t, "minimal.toml", []byte(src))
}

// one returns the single output whose path matches the pattern.
func one(t *testing.T, files map[string]string, pattern string) string {
	t.Helper()
	re := regexp.MustCompile(pattern)
	var hits []string
	for p := range files {
		if re.MatchString(p) {
			hits = append(hits, p)
		}
	}
	sort.Strings(hits)
	if len(hits) != 1 {
		t.Fatalf("%d outputs match %s: %v", len(hits), pattern, hits)
	}
	return files[hits[0]]
}

func mustContain(t *testing.T, what, text string, wants ...string) {
	t.Helper()
	for _, w := range wants {
		if !strings.Contains(text, w) {
			t.Errorf("%s lacks %q", what, w)
		}
	}
}

func mustNotContain(t *testing.T, what, text string, bad ...string) {
	t.Helper()
	for _, b := range bad {
		if strings.Contains(text, b) {
			t.Errorf("%s still contains %q", what, b)
		}
	}
}

// batches splits a .sql file at its GO lines.
func sqlBatches(sql string) []string {
	return regexp.MustCompile(`(?m)^GO$`).Split(sql, -1)
}

// Other log backups: counted from the chain's start, not a 7-day window,
// and the jobs that take them are named; log shipping's own are left out.
func TestChainBreakersChecked(t *testing.T) {
	files := exampleText(t)
	jobs := []string{"msdb.dbo.sysjobsteps", "% BACKUP LOG %", "DATABASEBACKUP", "@BACKUPTYPE=LOG",
		"msdb.dbo.sysmaintplan_subplans", `SQLTask:BackupAction="2"`, "%sqllogship%", "b.is_copy_only = 0", "b.type = 'L'"}
	init := one(t, files, `^log-shipping/10-.*-init-backup-mgc\.sql$`)
	mustContain(t, "init backup", init, jobs...)
	mustContain(t, "init backup", init, "AND b.type = 'D' AND b.is_copy_only = 0", "IF @breaks > 0")
	mustNotContain(t, "init backup", init, "DATEADD(day, -7", "UPPER(@init)")
	if strings.Index(init, "IF @breaks > 0") > strings.Index(init, "BACKUP DATABASE [mgc]") {
		t.Error("the init check runs after the initializing backup")
	}
	for _, pat := range []string{`^log-shipping/70-atl-sql-01-pchat-health-mgc\.sql$`, `^log-shipping/70-atl-sql-02-pchat-health-mgc\.sql$`} {
		h := one(t, files, pat)
		mustContain(t, pat, h, jobs...)
		mustContain(t, pat, h, "UPPER(f.physical_device_name) = UPPER(@init)", "IF @breaks > 0")
	}
	mustNotContain(t, "backup health", one(t, files, `^log-shipping/70-dal-sql-01-pchat-health-mgc\.sql$`), "sysjobsteps")
	for _, pat := range []string{`^log-shipping/80-check-log-shipping\.ps1$`} {
		ps := one(t, files, pat)
		mustContain(t, pat, ps, jobs...)
		mustContain(t, pat, ps, "Get-ChainBreaker -Server $server",
			"$chainParameters = @{ '@db' = 'mgc'; '@share' = '\\\\dal-fs-01.contoso.com\\pchat-logship'; '@init' = '\\\\dal-fs-01.contoso.com\\pchat-logship\\mgc\\mgc_init.bak' }")
	}
}

func renderFixture(t *testing.T, path string) map[string]string {
	t.Helper()
	data, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	return renderText(t, path, data)
}
