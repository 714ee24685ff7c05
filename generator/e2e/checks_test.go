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

// An endpoint the file creates gets an explicit owner, the login with SID
// 0x01, before any CONNECT grant (finding 5 of the DBA review).
func TestEndpointOwner(t *testing.T) {
	for path, sql := range exampleText(t) {
		if !strings.HasSuffix(path, "-endpoint.sql") {
			continue
		}
		// The owner is given at creation; an endpoint found is left with
		// its owner, since ALTER AUTHORIZATION on it would drop every
		// permission on it, other sessions' CONNECT grants included.
		owner := strings.Index(sql, "AUTHORIZATION ' + QUOTENAME(SUSER_SNAME(0x01))")
		grant := strings.Index(sql, "GRANT CONNECT ON ENDPOINT::")
		if owner < 0 || grant < 0 || owner > grant {
			t.Errorf("%s: the endpoint is not created with its owner before the grants (at %d, grants at %d)", path, owner, grant)
		}
		if strings.Contains(sql, "ALTER AUTHORIZATION ON ENDPOINT") {
			t.Errorf("%s: changes the owner of an endpoint it did not create", path)
		}
		mustContain(t, path, sql, "IF @ownersid = 0x01")
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

// The prerequisite check asks for SQL Server Agent only where jobs run:
// not on witnesses.
func TestPrerequisitesNoAgentOnWitness(t *testing.T) {
	ps := one(t, exampleText(t), `^prerequisites/.*\.ps1$`)
	mustContain(t, "prerequisites", ps,
		"Role = 'primary_witness'; Server = 'atl-sqlw-01.contoso.com\\WITNESS'; Host = 'atl-sqlw-01.contoso.com'; Port = 7022; Login = 'CONTOSO\\ATL-SQLW-01$'; Agent = $false }",
		"Role = 'backup_witness'; Server = 'dal-sqlw-01.contoso.com\\WITNESS'; Host = 'dal-sqlw-01.contoso.com'; Port = 7022; Login = 'CONTOSO\\DAL-SQLW-01$'; Agent = $false }",
		"Role = 'backup'; Server = 'dal-sql-01.contoso.com\\PCHAT'; Host = 'dal-sql-01.contoso.com'; Port = 5022; Login = 'CONTOSO\\svc-sql-dal'; Agent = $true }")
	agent := strings.Index(ps, "Add-Result 'SQL Server Agent running'")
	guard := strings.LastIndex(ps[:agent], "if ($i.Agent) {")
	if agent < 0 || guard < 0 || strings.Count(ps, "'SQL Server Agent running'") != 1 {
		t.Error("the SQL Server Agent check is not guarded by the instance's Agent flag")
	}
}

// Editions must match on the backup data center's pairs too, and the
// endpoints of every session (witness included) must share an algorithm.
func TestPrerequisitesBackupPairs(t *testing.T) {
	ps := one(t, exampleText(t), `^prerequisites/.*\.ps1$`)
	mustContain(t, "prerequisites", ps,
		"@{ What = 'mgc after a DR failover'; Principal = 'dal-sql-01.contoso.com\\PCHAT'; Mirror = 'dal-sql-02.contoso.com\\PCHAT' }",
		"@{ What = 'mgccomp after a DR failover'; Principal = 'dal-sql-03.contoso.com\\PCHATCOMP'; Mirror = 'dal-sql-04.contoso.com\\PCHATCOMP' }",
		"@{ What = 'mgc'; Servers = @('atl-sql-01.contoso.com\\PCHAT', 'atl-sql-02.contoso.com\\PCHAT', 'atl-sqlw-01.contoso.com\\WITNESS') }",
		"@{ What = 'mgc after a DR failover'; Servers = @('dal-sql-01.contoso.com\\PCHAT', 'dal-sql-02.contoso.com\\PCHAT', 'dal-sqlw-01.contoso.com\\WITNESS') }",
		"FROM sys.database_mirroring_endpoints AS e) AS algorithm",
		"foreach ($g in $endpointGroups) { Test-EndpointGroup -Group $g -Endpoints $endpoints }")
	shared := one(t, renderFixture(t, "fixtures/shared-compliance.toml"), `^prerequisites/.*\.ps1$`)
	mustContain(t, "shared-compliance prerequisites", shared, "@{ What = 'mgc and mgccomp after a DR failover';")
}

// The topology must hold the backup stores DR failover switches to.
func TestPrerequisitesTopologyStores(t *testing.T) {
	ps := one(t, exampleText(t), `^prerequisites/.*\.ps1$`)
	mustContain(t, "prerequisites", ps,
		"@{ Property = 'BackupPersistentChatDatabase'; Role = 'backup'; Fqdn = 'dal-sql-01.contoso.com'; Instance = 'PCHAT' }",
		"@{ Property = 'BackupMirrorPersistentChatDatabase'; Role = 'backup mirror'; Fqdn = 'dal-sql-02.contoso.com'; Instance = 'PCHAT' }",
		"@{ Property = 'BackupPersistentChatComplianceDatabase'; Role = 'compliance backup'; Fqdn = 'dal-sql-03.contoso.com'; Instance = 'PCHATCOMP' }",
		"Get-CsService -PersistentChatServer", "Get-CsService -PersistentChatDatabase", "Test-TopologyStore")
	minimal := one(t, renderFixture(t, "fixtures/minimal.toml"), `^prerequisites/.*\.ps1$`)
	mustContain(t, "minimal prerequisites", minimal, "Import-Module Lync",
		"@{ Property = 'BackupPersistentChatDatabase'; Role = 'backup'; Fqdn = 'dub-sql1.fabrikam.local'; Instance = '' }")
	mustNotContain(t, "minimal prerequisites", minimal, "ComplianceDatabase'; Role")
}

// A site whose SQL Server Agent runs under its own account gets that
// login in the share checks, with what the Agent's jobs need: the backup
// job prunes the share, the copy job reads it and fills the copy folder.
func TestAgentAccountInShareChecks(t *testing.T) {
	files := minimalWith(t,
		"[sql.primary]\ndata_center = \"primary\"\nfqdn = \"lon-sql1.fabrikam.local\"\nservice_account = 'FABRIKAM\\sqlsvc'",
		"[sql.primary]\ndata_center = \"primary\"\nfqdn = \"lon-sql1.fabrikam.local\"\nservice_account = 'FABRIKAM\\sqlsvc'\nagent_account = 'FABRIKAM\\sqlagent-lon'",
		"[sql.backup]\ndata_center = \"backup\"\nfqdn = \"dub-sql1.fabrikam.local\"\nservice_account = 'FABRIKAM\\sqlsvc'",
		"[sql.backup]\ndata_center = \"backup\"\nfqdn = \"dub-sql1.fabrikam.local\"\nservice_account = 'FABRIKAM\\sqlsvc'\nagent_account = 'FABRIKAM\\sqlagent-dub'")
	ps := one(t, files, `^prerequisites/.*\.ps1$`)
	mustContain(t, "prerequisites", ps,
		"@{ Path = '\\\\lon-fs1\\seed'; What = 'mirroring seed share'; Operator = ''; Needs = @(@{ Login = 'FABRIKAM\\sqlsvc'; Access = 'read/write' }, @{ Login = 'FABRIKAM\\sqlagent-lon'; Access = 'read/write' }) }",
		"@{ Path = '\\\\dub-fs1\\logship\\mgc'; What = 'log-shipping share folder'; Operator = 'read'; Needs = @(@{ Login = 'FABRIKAM\\sqlsvc'; Access = 'modify' }, @{ Login = 'FABRIKAM\\sqlagent-lon'; Access = 'modify' }, @{ Login = 'FABRIKAM\\sqlagent-dub'; Access = 'read' }) }",
		"@{ Path = '\\\\dub-sql1.fabrikam.local\\D$\\LogShipCopy'; What = 'copy folder on the backup instance, by its administrative share'; Operator = ''; Needs = @(@{ Login = 'FABRIKAM\\sqlagent-dub'; Access = 'modify' }, @{ Login = 'FABRIKAM\\sqlsvc'; Access = 'read' }) }")
	rb := files["RUNBOOK.md"]
	mustContain(t, "runbook", rb,
		"|  | `FABRIKAM\\sqlagent-lon` | modify | SQL Server Agent of primary: the backup job (sqllogship.exe) deletes backups older than 4320 minutes |",
		"| `\\\\dub-sql1.fabrikam.local\\D$\\LogShipCopy` (copy folder on the backup instance, by its administrative share) | `FABRIKAM\\sqlagent-dub` | modify |")
	mustNotContain(t, "runbook", rb, "its SQL Server Agent service account can write to it")
}

// Virtual accounts reach other hosts as DOMAIN\HOST$ (the backup's engine
// and Agent are then one login on the share), but the ACL of a folder on
// their own host names them as themselves.
func TestVirtualAccountsLocalAndRemote(t *testing.T) {
	files := minimalWith(t,
		"fqdn = \"dub-sql1.fabrikam.local\"\nservice_account = 'FABRIKAM\\sqlsvc'",
		"fqdn = \"dub-sql1.fabrikam.local\"\ninstance = \"PCHAT\"\nservice_account = 'NT SERVICE\\MSSQL$PCHAT'")
	ps := one(t, files, `^prerequisites/.*\.ps1$`)
	mustContain(t, "prerequisites", ps,
		"@{ Path = '\\\\dub-fs1\\logship\\mgc'; What = 'log-shipping share folder'; Operator = 'read'; Needs = @(@{ Login = 'FABRIKAM\\sqlsvc'; Access = 'modify' }, @{ Login = 'FABRIKAM\\DUB-SQL1$'; Access = 'read/write' }) }",
		"Needs = @(@{ Login = 'NT SERVICE\\SQLAgent$PCHAT'; Access = 'modify' }, @{ Login = 'NT SERVICE\\MSSQL$PCHAT'; Access = 'read' }) }",
		"'S-1-5-80-'")
}

// The operator's own read access to the log-shipping folder is checked by
// reading it, as the DR scripts do.
func TestPrerequisitesOperatorReadsShare(t *testing.T) {
	ps := one(t, exampleText(t), `^prerequisites/.*\.ps1$`)
	mustContain(t, "prerequisites", ps,
		"@{ Path = '\\\\dal-fs-01.contoso.com\\pchat-logship\\mgc'; What = 'log-shipping share folder'; Operator = 'read';",
		"Get-ChildItem -LiteralPath $s.Path -Filter '*.trn' -ErrorAction Stop",
		"Add-Result 'your read access'")
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
	for _, pat := range []string{`^log-shipping/80-check-log-shipping\.ps1$`, `^prerequisites/.*\.ps1$`} {
		ps := one(t, files, pat)
		mustContain(t, pat, ps, jobs...)
		mustContain(t, pat, ps, "Get-ChainBreaker -Server $server",
			"$chainParameters = @{ '@db' = 'mgc'; '@share' = '\\\\dal-fs-01.contoso.com\\pchat-logship'; '@init' = '\\\\dal-fs-01.contoso.com\\pchat-logship\\mgc\\mgc_init.bak' }")
	}
}

// The runbook's removal line names the database type and the instance,
// and "How to run the scripts" says how to get past the execution policy.
func TestRunbookRemovalAndExecutionPolicy(t *testing.T) {
	rb := exampleText(t)["RUNBOOK.md"]
	mustContain(t, "runbook", rb,
		"    Uninstall-CsMirrorDatabase -DatabaseType PersistentChat -SqlServerFqdn 'atl-sql-01.contoso.com' -SqlInstanceName 'PCHAT' -Verbose",
		"    Uninstall-CsMirrorDatabase -DatabaseType PersistentChatCompliance -SqlServerFqdn 'atl-sql-03.contoso.com' -SqlInstanceName 'PCHATCOMP' -Verbose")
	run := rb[strings.Index(rb, "## How to run the scripts"):strings.Index(rb, "## Before you start")]
	mustContain(t, "How to run the scripts", run, "Unblock-File", "RemoteSigned", "AllSigned")
}

func renderFixture(t *testing.T, path string) map[string]string {
	t.Helper()
	data, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	return renderText(t, path, data)
}
