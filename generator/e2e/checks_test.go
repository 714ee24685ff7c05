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

// A witness has no rows in sys.database_mirroring: only
// sys.database_mirroring_witnesses shows that sessions use its endpoint,
// and an endpoint in use must never be advised to be recreated.
func TestWitnessEndpointSeesItsSessions(t *testing.T) {
	files := exampleText(t)
	for _, pat := range []string{`^mirroring/10-atl-sqlw-01-witness-endpoint\.sql$`, `^mirroring/10-atl-sql-01-pchat-endpoint\.sql$`} {
		sql := one(t, files, pat)
		mustContain(t, pat, sql, "sys.database_mirroring_witnesses", "WHERE mirroring_guid IS NOT NULL")
		mustNotContain(t, pat, sql, "Recreate", "recreate")
	}
}

// Endpoints get an explicit owner, the login with SID 0x01, in their own
// batch before any CONNECT grant.
func TestEndpointOwner(t *testing.T) {
	for path, sql := range exampleText(t) {
		if !strings.HasSuffix(path, "-endpoint.sql") {
			continue
		}
		owner := strings.Index(sql, "ALTER AUTHORIZATION ON ENDPOINT::")
		grant := strings.Index(sql, "GRANT CONNECT ON ENDPOINT::")
		if owner < 0 || grant < 0 || owner > grant {
			t.Errorf("%s: the owner is not set before the grants (at %d, grants at %d)", path, owner, grant)
		}
		mustContain(t, path, sql, "QUOTENAME(SUSER_SNAME(0x01))", "IF @ownersid = 0x01")
	}
}

// Every CONNECT grant batch stops on a DENY (state 'D') to the login or
// to public before it would grant, and the grant check ignores denies.
func TestConnectCheckSeesDeny(t *testing.T) {
	sql := one(t, exampleText(t), `^mirroring/10-atl-sql-01-pchat-endpoint\.sql$`)
	n := 0
	for _, b := range sqlBatches(sql) {
		grant := strings.Index(b, "GRANT CONNECT ON ENDPOINT::")
		if grant < 0 {
			continue
		}
		n++
		deny := strings.Index(b, "p.state = 'D'")
		stop := strings.Index(b, "REVOKE CONNECT ON ENDPOINT::")
		if deny < 0 || stop < 0 || deny > grant || stop > grant {
			t.Errorf("a grant batch does not stop on a DENY before granting:\n%s", b)
		}
		mustContain(t, "grant batch", b, "s.name = N'public' AND s.type = 'R'", "p.state IN ('G', 'W')")
	}
	if n == 0 {
		t.Fatal("no CONNECT grant batch found")
	}
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
