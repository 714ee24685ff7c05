package e2e

import (
	"regexp"
	"strings"
	"testing"
)

// Tests of the prerequisite check's Management Shell rows (Lync review
// finding 10): what the DR scripts need is checked before any disaster, the
// way they do it, and without changing anything.

// psFunction returns the text of a PowerShell function, from its first line
// to the closing brace at the start of a line.
func psFunction(t *testing.T, script, name string) string {
	t.Helper()
	start := strings.Index(script, "function "+name+" {\n")
	if start < 0 {
		t.Fatalf("no function %s", name)
	}
	end := strings.Index(script[start:], "\n}\n")
	if end < 0 {
		t.Fatalf("function %s does not end", name)
	}
	return script[start : start+end+3]
}

// The check resolves the service and its identities with the DR scripts'
// own functions, byte for byte, so a change there is checked here too.
func TestPrerequisitesUseTheDRLookups(t *testing.T) {
	files := exampleText(t)
	pre := one(t, files, `^prerequisites/.*\.ps1$`)
	for _, dr := range []string{`^dr-failover/.*\.ps1$`, `^dr-failback/90-.*\.ps1$`} {
		script := one(t, files, dr)
		for _, fn := range []string{"Get-PoolService", "Resolve-ServiceIdentity", "Get-PoolState", "Get-ActiveList"} {
			if psFunction(t, pre, fn) != psFunction(t, script, fn) {
				t.Errorf("the prerequisite check's %s differs from %s's", fn, dr)
			}
		}
	}
	mustContain(t, "prerequisites", pre,
		"    [string] $StateIdentity = '',\n    [string] $ActiveServerIdentity = '',",
		"$id = Resolve-ServiceIdentity -Override $Override",
		"$stateId = Get-CheckedIdentity -Cmdlet 'Set-CsPersistentChatState' -Override $StateIdentity",
		"$activeId = Get-CheckedIdentity -Cmdlet 'Set-CsPersistentChatActiveServer' -Override $ActiveServerIdentity",
		"$state = Get-PoolState -Identity $Identity",
		"$live = Get-ActiveList",
		"Test-TopologyStore -Service $service")
	over := one(t, minimalWith(t, `pool_fqdn = "pchat.fabrikam.local"`,
		"pool_fqdn = \"pchat.fabrikam.local\"\npool_state_identity = \"global\"\nactive_server_identity = \"global\""), `^prerequisites/.*\.ps1$`)
	mustContain(t, "prerequisites with identity overrides", over,
		"    [string] $StateIdentity = 'global',\n    [string] $ActiveServerIdentity = 'global',")
}

// The check is read-only: the only Set-Cs call it makes is
// Set-CsPersistentChatActiveServer with -WhatIf, and it never calls the DR
// scripts' Set-ActiveServerList or Set-ReplicatedActive, which it defines
// with their other pool functions.
func TestPrerequisitesChangeNothing(t *testing.T) {
	pre := one(t, exampleText(t), `^prerequisites/.*\.ps1$`)
	rest := pre
	for _, f := range []string{"Set-ActiveServerList", "Set-ReplicatedActive"} {
		rest = strings.Replace(rest, psFunction(t, pre, f), "", 1)
	}
	calls := regexp.MustCompile(`(?m)^[^#\n]*\bSet-Cs\w+ -[^\n]*$`).FindAllString(rest, -1)
	if len(calls) == 0 {
		t.Fatal("no Set-Cs call found: the binding check is missing")
	}
	for _, c := range calls {
		if !strings.Contains(c, "Set-CsPersistentChatActiveServer -Identity $Identity -ActiveServers @{Add = $servers} -WhatIf") || strings.Contains(c, "-Confirm:$false") {
			t.Errorf("a Set-Cs call that is not the -WhatIf binding check: %s", strings.TrimSpace(c))
		}
	}
	if regexp.MustCompile(`(?m)^[^#\n]*Set-(ActiveServerList|ReplicatedActive) -`).MatchString(rest) {
		t.Error("the prerequisite check calls Set-ActiveServerList or Set-ReplicatedActive")
	}
}

// The Central Management store is checked first, on both properties of
// Lync 2013 "Failing over a pool"; properties outside Microsoft's reference
// are looked for before they are read (StrictMode), and their absence warns.
func TestPrerequisitesShellChecks(t *testing.T) {
	pre := one(t, exampleText(t), `^prerequisites/.*\.ps1$`)
	shell := psFunction(t, pre, "Test-DrShell")
	order := []string{"Test-ManagementStore", "Test-PoolService", "Get-CheckedIdentity", "Test-PoolStateRead", "Test-ActiveListRead", "Test-PoolComputers", "Test-ActiveServerBinding"}
	at := -1
	for _, fn := range order {
		i := regexp.MustCompile(`(?m)^    (\$\w+ = )?` + fn + `\b`).FindStringIndex(shell)
		if i == nil || i[0] < at {
			t.Errorf("Test-DrShell does not run %s in order %v", fn, order)
			continue
		}
		at = i[0]
	}
	cms := psFunction(t, pre, "Test-ManagementStore")
	mustContain(t, "Test-ManagementStore", cms,
		"Get-CsManagementStoreReplicationStatus -CentralManagementStoreStatus",
		"@('ActiveMasterFqdn', 'ActiveFileTransferAgents') | Where-Object { -not $s.PSObject.Properties[$_] }",
		"Add-Result $check $target 'WARN'", "if ($master -and $agents) {")
	if strings.Index(cms, "PSObject.Properties[$_]") > strings.Index(cms, "$s.ActiveMasterFqdn") {
		t.Error("ActiveMasterFqdn is read before its presence is checked")
	}
	list := psFunction(t, pre, "Test-ActiveListRead")
	if g, r := strings.Index(list, "$Service.PSObject.Properties['ActiveServers']"), strings.Index(list, "$live = Get-ActiveList"); g < 0 || r < g {
		t.Error("ActiveServers is read before its presence is checked")
	}
	mustContain(t, "Test-ActiveListRead", list, "not in Microsoft''s reference", "$want = Get-SiteList 'Active'", ".\\topology\\10-set-normal-active-servers.ps1")
	mustContain(t, "Test-PoolComputers", psFunction(t, pre, "Test-PoolComputers"),
		"Get-CsPool -Identity $PoolFqdn | Select-Object -ExpandProperty Computers",
		"foreach ($s in $poolServers) {")
	mustContain(t, "prerequisites", pre,
		"Test-ActiveServerBinding -Identity $activeId -When 'normal operation' -Flag 'Active'",
		"Test-ActiveServerBinding -Identity $activeId -When 'after a DR failover' -Flag 'AfterFailover'",
		"https://learn.microsoft.com/powershell/module/skype/set-cspersistentchatactiveserver",
		"https://learn.microsoft.com/powershell/module/skype/get-cspersistentchatstate",
		"https://learn.microsoft.com/powershell/module/skype/get-cspool",
		"https://learn.microsoft.com/powershell/module/skype/get-csservice",
		"https://learn.microsoft.com/powershell/module/skype/get-csmanagementstorereplicationstatus",
		"https://learn.microsoft.com/previous-versions/office/lync-server-2013/lync-server-2013-failing-over-a-pool")
}

// The site's servers reach the check with their data centers and lists, and
// the placement rows follow the low-latency flag for normal operation only.
func TestPrerequisitesActiveLists(t *testing.T) {
	pre := one(t, exampleText(t), `^prerequisites/.*\.ps1$`)
	mustContain(t, "prerequisites", pre,
		"    @{ Fqdn = 'atl-pchat-01.contoso.com'; DataCenter = 'primary'; Active = $true; AfterFailover = $false },",
		"    @{ Fqdn = 'dal-pchat-04.contoso.com'; DataCenter = 'backup'; Active = $false; AfterFailover = $true }\n)",
		"$lowLatencyLink = $false",
		"$maxActive = 4",
		"Test-ActivePlacement -When 'in normal operation' -Flag 'Active' -Key 'active' -DataCenter 'primary' -AnyDataCenter $lowLatencyLink",
		"Test-ActivePlacement -When 'after a DR failover' -Flag 'AfterFailover' -Key 'active_after_failover' -DataCenter 'backup' -AnyDataCenter $false")
	shared := one(t, renderFixture(t, "fixtures/shared-compliance.toml"), `^prerequisites/.*\.ps1$`)
	mustContain(t, "shared-compliance prerequisites", shared, "$lowLatencyLink = $true")
	// Without the Management Shell the placement rows still run; the
	// shell's rows each say they were not checked.
	main := pre[strings.Index(pre, "\ntry {\n    $editions"):]
	skip := main[strings.Index(main, "} catch {\n        $shell = $false"):strings.Index(main, "if ($shell) {")]
	for _, row := range []string{"'Central Management store'", "'pool service found'", "'service identity'", "'pool state readable'", "'active list readable'", "'server is a pool computer'", "'Set-CsPersistentChatActiveServer binds'", "'topology stores'"} {
		mustContain(t, "the rows without a Management Shell", skip, row)
	}
	if strings.Index(main, "Test-ActivePlacement") < strings.Index(main, "if ($shell) {") {
		t.Error("the placement rows run before the shell's")
	}
}
