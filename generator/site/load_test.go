package site

import (
	"strings"
	"testing"

	"pchat-hadr/generator/diag"
)

// problems loads src and returns its problems, failing if there are none.
func problems(t *testing.T, src string) diag.List {
	t.Helper()
	_, probs := Load("s.toml", []byte(src), nil)
	if len(probs) == 0 {
		t.Fatalf("Load reported no problems for:\n%s", src)
	}
	return probs
}

// TestLoadUnknownKeys proves that every unknown key is reported at its
// position with a suggestion, and that a key differing only in case is
// refused with a message saying keys are case-sensitive.
func TestLoadUnknownKeys(t *testing.T) {
	src := `schema_version = 1
[site]
name = "fabrikam"
pool_fdqn = "pchat.fabrikam.local"
[sql.primary]
Port = 5022
witness = "x"
[[servers]]
fqdn = "a"
[[servers]]
Active = true
`
	got := problems(t, src).String()
	want := "s.toml:4:1: site.pool_fdqn: unknown key; did you mean \"pool_fqdn\"?\n" +
		"s.toml:6:1: sql.primary.Port: unknown key; keys are case-sensitive: did you mean \"port\"?\n" +
		"s.toml:7:1: sql.primary.witness: unknown key; allowed here: agent_account, data_center, fqdn, instance, move, netbios_name, port, service_account\n" +
		"s.toml:11:1: servers[1].Active: unknown key; keys are case-sensitive: did you mean \"active\"?\n"
	if got != want {
		t.Errorf("got:\n%swant:\n%s", got, want)
	}
}

// TestLoadTypeErrorsStable proves that several type errors are all
// reported, in source line order, identically on every load, and that the
// site is then not decoded.
func TestLoadTypeErrorsStable(t *testing.T) {
	src := `schema_version = "1"
[data_centers]
low_latency_link = 0
[sql]
version = 2012
primary = { port = 5022.5, move = { database = "x" } }
backup_mirror = "dub-sql2"
[[servers]]
fqdn = "a"
[[servers]]
active = 1979-05-27
`
	want := []string{
		`s.toml:1:1: schema_version: expected an integer, found a string ("1")`,
		`s.toml:3:1: data_centers.low_latency_link: expected true or false, found an integer (0)`,
		`s.toml:5:1: sql.version: expected a string, found an integer (2012)`,
		`s.toml:6:13: sql.primary.port: expected an integer, found a float (5022.5)`,
		`s.toml:6:28: sql.primary.move: expected an array of tables ([[sql.primary.move]]), found a table`,
		`s.toml:7:1: sql.backup_mirror: expected a table, found a string ("dub-sql2")`,
		`s.toml:11:1: servers[1].active: expected true or false, found a date or time`,
	}
	wantText := strings.Join(want, "\n") + "\n"
	for range 20 {
		l, probs := Load("s.toml", []byte(src), nil)
		if l != nil {
			t.Fatal("a site with type errors was decoded")
		}
		if got := probs.String(); got != wantText {
			t.Fatalf("got:\n%swant:\n%s", got, wantText)
		}
	}
}

// TestLoadSyntaxError proves that a TOML syntax error is reported once,
// with its line and column.
func TestLoadSyntaxError(t *testing.T) {
	for src, want := range map[string]Pos{
		"a = 1\n[site]\nname = \"x\n":   {3, 10},
		"schema_version = 1\nx = = 2\n": {2, 5},
	} {
		l, probs := Load("s.toml", []byte(src), nil)
		if l != nil || len(probs) != 1 || (Pos{probs[0].Line, probs[0].Col}) != want ||
			!strings.HasPrefix(probs[0].Message, "TOML syntax error: ") {
			t.Errorf("%q: got %s; want one syntax error at %d:%d", src, probs, want.Line, want.Col)
		}
	}
}

// TestLoadWholeFileProblems proves that an oversized file and invalid UTF-8
// are each reported once, for the whole file, without a line or key, and
// that a file of exactly MaxFileSize bytes is accepted.
func TestLoadWholeFileProblems(t *testing.T) {
	const ok = "schema_version = 1\n#"
	big := ok + strings.Repeat("x", MaxFileSize)
	for msg, src := range map[string]string{
		"file is 1048577 bytes; a site file may be at most 1048576 bytes": big[:MaxFileSize+1],
		"file is not valid UTF-8 text: byte 0xE9 at offset 30 is not UTF-8; it looks like an 8-bit code page such as Windows-1252; save it as UTF-8 (or UTF-16 with a byte-order mark)": "schema_version = 1\nname = \"caf\xe9\"\n",
	} {
		l, probs := Load("s.toml", []byte(src), nil)
		if l != nil || len(probs) != 1 || probs[0].Line != 0 || probs[0].Key != "" || probs[0].Message != msg {
			t.Errorf("got %#v; want one whole-file problem %q", probs, msg)
		}
	}
	if l, probs := Load("s.toml", []byte(big[:MaxFileSize]), nil); l == nil || len(probs) != 0 {
		t.Errorf("a file of exactly MaxFileSize bytes was refused: %s", probs)
	}
}

// TestLoadDefined proves that Defined tells an explicit port = 0 from an
// absent port, so that defaults never replace a written value.
func TestLoadDefined(t *testing.T) {
	src := "schema_version = 1\n[sql.primary]\nport = 0\n[sql.primary_mirror]\nfqdn = \"b\"\n"
	l, probs := Load("s.toml", []byte(src), nil)
	if l == nil || len(probs) != 0 {
		t.Fatal(probs)
	}
	if !l.Defined("sql", "primary", "port") {
		t.Error("explicit port = 0 is not Defined")
	}
	if l.Defined("sql", "primary_mirror", "port") {
		t.Error("absent port is Defined")
	}
	l.ApplyDefaults()
	if l.Site.SQL.Primary.Port != 0 || l.Site.SQL.PrimaryMirror.Port != DefaultPartnerPort {
		t.Errorf("ports after defaults: %d, %d; want 0, %d", l.Site.SQL.Primary.Port, l.Site.SQL.PrimaryMirror.Port, DefaultPartnerPort)
	}
}

// TestNetworkLogin proves which service accounts map to which network
// login, and that accounts without a domain identity are refused.
func TestNetworkLogin(t *testing.T) {
	const dom, host = "FABRIKAM", "lon-sql1"
	for account, want := range map[string]string{
		`FABRIKAM\sqlsvc`:              `FABRIKAM\sqlsvc`,
		`fabrikam\sqlsvc`:              `FABRIKAM\sqlsvc`,
		"LocalSystem":                  `FABRIKAM\LON-SQL1$`,
		`NT AUTHORITY\SYSTEM`:          `FABRIKAM\LON-SQL1$`,
		"NETWORK SERVICE":              `FABRIKAM\LON-SQL1$`,
		`nt authority\network service`: `FABRIKAM\LON-SQL1$`,
		`NT SERVICE\MSSQL$X`:           `FABRIKAM\LON-SQL1$`,
		` NT Service\MSSQLSERVER `:     `FABRIKAM\LON-SQL1$`,
	} {
		got, err := NetworkLogin(account, dom, host)
		if err != nil || got != want {
			t.Errorf("NetworkLogin(%q) = %q, %v; want %q", account, got, err, want)
		}
	}
	for account, why := range map[string]string{
		"LOCAL SERVICE":             "no network identity",
		`NT AUTHORITY\LocalService`: "no network identity",
		`.\sqlsvc`:                  "local account of lon-sql1",
		`LON-SQL1\sqlsvc`:           "local account of lon-sql1",
		"sqlsvc@fabrikam.local":     "user principal name",
		`CONTOSO\sqlsvc`:            "not in the site's domain FABRIKAM",
		"sqlsvc":                    "is not DOMAIN\\name",
		`FABRIKAM\a\b`:              "is not DOMAIN\\name",
	} {
		got, err := NetworkLogin(account, dom, host)
		if err == nil || !strings.Contains(err.Error(), why) {
			t.Errorf("NetworkLogin(%q) = %q, %v; want an error saying %q", account, got, err, why)
		}
	}
}
