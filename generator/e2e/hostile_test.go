package e2e

import (
	"fmt"
	"slices"
	"strings"
	"testing"
)

// hostileBase is a valid site that uses every string key of the schema.
// Each «key» placeholder is replaced by a TOML string: the key's default
// below, or a hostile value under test.
const hostileBase = `schema_version = 1

[site]
name = «site.name»
product = "sfb2015"
pool_fqdn = «site.pool_fqdn»
ad_domain = «site.ad_domain»
pool_state_identity = «site.pool_state_identity»
active_server_identity = «site.active_server_identity»

[data_centers]
primary = «data_centers.primary»
backup = «data_centers.backup»
low_latency_link = false

[compliance]
enabled = true
shared_instances = true

[sql]
version = "2014"

[sql.primary]
data_center = "primary"
fqdn = «sql.primary.fqdn»
instance = «sql.primary.instance»
service_account = «sql.primary.service_account»

[sql.primary_mirror]
data_center = "primary"
fqdn = "lon-sql2.fabrikam.local"
netbios_name = «sql.primary_mirror.netbios_name»
service_account = 'FABRIKAM\sqlsvc'

[[sql.primary_mirror.move]]
database = "mgc"
logical_name = «sql.primary_mirror.move[0].logical_name»
physical_name = «sql.primary_mirror.move[0].physical_name»

[sql.primary_witness]
data_center = "primary"
fqdn = "lon-sqlw.fabrikam.local"
instance = "WIT"
service_account = «sql.primary_witness.service_account»

[sql.backup]
data_center = "backup"
fqdn = "dub-sql1.fabrikam.local"
service_account = 'FABRIKAM\sqlsvc-dub'

[sql.backup_mirror]
data_center = "backup"
fqdn = "dub-sql2.fabrikam.local"
service_account = 'FABRIKAM\sqlsvc-dub'

[mirroring]
endpoint_name = «mirroring.endpoint_name»

[shares]
mirroring_seed = «shares.mirroring_seed»
backup_mirroring_seed = «shares.backup_mirroring_seed»
log_shipping = «shares.log_shipping»
copy_destination = «shares.copy_destination»

[log_shipping]
backup_job_name = «log_shipping.backup_job_name»
copy_job_name = «log_shipping.copy_job_name»
restore_job_name = «log_shipping.restore_job_name»
backup_schedule_name = «log_shipping.backup_schedule_name»
copy_schedule_name = «log_shipping.copy_schedule_name»
restore_schedule_name = «log_shipping.restore_schedule_name»

[log_shipping.monitor]
fqdn = «log_shipping.monitor.fqdn»
instance = «log_shipping.monitor.instance»
netbios_name = «log_shipping.monitor.netbios_name»

[[servers]]
fqdn = «servers[0].fqdn»
data_center = "primary"
active = true

[[servers]]
fqdn = "dub-pc1.fabrikam.local"
data_center = "backup"
active_after_failover = true
`

// hostileField is a string key and how to put a hostile fragment into an
// otherwise well-formed value of that key, so that what is tested is the
// fragment and not the shape (a path must still start with a drive).
type hostileField struct {
	key  string
	def  string              // the valid default
	wrap func(string) string // builds the value around a fragment
}

// hostileRelated lists the keys a change of another key may make invalid:
// another AD domain makes every DOMAIN\name account foreign.
var hostileRelated = map[string][]string{
	"site.ad_domain": {"sql.primary.service_account", "sql.primary_mirror.service_account", "sql.backup.service_account", "sql.backup_mirror.service_account"},
}

func around(prefix, suffix string) func(string) string {
	return func(h string) string { return prefix + h + suffix }
}

var hostileFields = []hostileField{
	{"site.name", "hostile", around("ho", "stile")},
	{"site.pool_fqdn", "pchat.fabrikam.local", around("pc", "hat.fabrikam.local")},
	{"site.ad_domain", "FABRIKAM", around("FAB", "RIKAM")},
	{"site.pool_state_identity", "PersistentChatServer:pchat.fabrikam.local", around("PersistentChatServer:pc", "hat.fabrikam.local")},
	{"site.active_server_identity", "PersistentChatServer:pchat.fabrikam.local", around("PersistentChatServer:pc", "hat.fabrikam.local")},
	{"data_centers.primary", "London", around("Lon", "don")},
	{"data_centers.backup", "Dublin", around("Dub", "lin")},
	{"sql.primary.fqdn", "lon-sql1.fabrikam.local", around("lon-", "sql1.fabrikam.local")},
	{"sql.primary.instance", "PCHAT", around("PC", "HAT")},
	{"sql.primary.service_account", `FABRIKAM\sqlsvc`, around(`FABRIKAM\sql`, "svc")},
	{"sql.primary_mirror.netbios_name", "LON-SQL2", around("LON-", "SQL2")},
	{"sql.primary_mirror.move[0].logical_name", "mgc", around("mg", "c")},
	{"sql.primary_mirror.move[0].physical_name", `E:\Data\mgc.mdf`, around(`E:\Da`, `ta\mgc.mdf`)},
	{"sql.primary_witness.service_account", `NT SERVICE\MSSQL$WIT`, around(`NT SERVICE\MSSQL`, "$WIT")},
	{"mirroring.endpoint_name", "Mirroring", around("Mirr", "oring")},
	{"shares.mirroring_seed", `\\lon-fs1\seed`, around(`\\lon-fs1\se`, "ed")},
	{"shares.backup_mirroring_seed", `\\dub-fs1\seed`, around(`\\dub-fs1\se`, "ed")},
	{"shares.log_shipping", `\\dub-fs1\logship`, around(`\\dub-fs1\log`, "ship")},
	{"shares.copy_destination", `D:\LogShipCopy`, around(`D:\LogShip`, "Copy")},
	{"log_shipping.backup_job_name", "LSBackup_mgc", around("LSBackup", "_mgc")},
	{"log_shipping.copy_job_name", "LSCopy_mgc", around("LSCopy", "_mgc")},
	{"log_shipping.restore_job_name", "LSRestore_mgc", around("LSRestore", "_mgc")},
	{"log_shipping.backup_schedule_name", "LSBackupSchedule_mgc", around("LSBackupSchedule", "_mgc")},
	{"log_shipping.copy_schedule_name", "LSCopySchedule_mgc", around("LSCopySchedule", "_mgc")},
	{"log_shipping.restore_schedule_name", "LSRestoreSchedule_mgc", around("LSRestoreSchedule", "_mgc")},
	{"log_shipping.monitor.fqdn", "mon-sql.fabrikam.local", around("mon-", "sql.fabrikam.local")},
	{"log_shipping.monitor.instance", "MON", around("M", "ON")},
	{"log_shipping.monitor.netbios_name", "MON-SQL", around("MON-", "SQL")},
	{"servers[0].fqdn", "lon-pc1.fabrikam.local", around("lon-", "pc1.fabrikam.local")},
}

// hostileFragments are the characters and sequences that end or escape a
// T-SQL literal or identifier, a PowerShell string, a comment, a sqlcmd
// line or a Markdown table, plus control, non-ASCII and overlong text.
var hostileFragments = map[string]string{
	"quote":           "'",
	"two-quotes":      "''",
	"close-bracket":   "]",
	"open-bracket":    "[",
	"double-quote":    `"`,
	"dollar":          "$",
	"dollar-var":      "$x",
	"dollar-paren":    "$(x)",
	"dollar-brace":    "${x}",
	"backtick":        "`",
	"semicolon":       ";",
	"line-comment":    "--",
	"block-comment":   "/*",
	"end-comment":     "*/",
	"percent":         "%s%d",
	"pipe":            "|",
	"colon":           ":",
	"bang":            "!!",
	"ampersand":       "&",
	"at":              "@",
	"backslash":       `\`,
	"space":           " ",
	"go":              " GO ",
	"injection":       "'); DROP TABLE x; --",
	"ps-injection":    "'; Remove-Item C:\\ -Recurse; '",
	"newline":         "\n",
	"newline-go":      "\nGO\n",
	"carriage-return": "\r",
	"tab":             "\t",
	"nul":             "\x00",
	"escape":          "\x1b",
	"delete":          "\x7f",
	"non-ascii":       "é",
	"typographic":     "\u2019",
	"line-separator":  "\u2028",
	"nbsp":            "\u00a0",
	"long-130":        strings.Repeat("x", 130),
	"long-300":        strings.Repeat("y", 300),
	"long-70000":      strings.Repeat("z", 70000),
}

func hostileSite(overrides map[string]string) string {
	pairs := make([]string, 0, 2*len(hostileFields))
	for _, f := range hostileFields {
		v, ok := overrides[f.key]
		if !ok {
			v = f.def
		}
		pairs = append(pairs, "«"+f.key+"»", tomlString(v))
	}
	return strings.NewReplacer(pairs...).Replace(hostileBase)
}

// TestHostileBaseIsValid proves the base site renders and passes the
// checks, so that a refusal in TestHostileValues is due to the value tested.
func TestHostileBaseIsValid(t *testing.T) {
	files, probs, err := renderSite(t, "hostile.toml", []byte(hostileSite(nil)))
	if files == nil {
		t.Fatalf("the base site does not render: %v\n%s", err, probs)
	}
	if p := outputProblems(t, files); len(p) > 0 {
		t.Fatalf("the base site's output fails the checks:\n%s", strings.Join(p, "\n"))
	}
}

// TestHostileValues puts every hostile fragment into every string key.
// Each value must either be refused by validation, with a problem on that
// key, or render files that pass every output check.
func TestHostileValues(t *testing.T) {
	for _, f := range hostileFields {
		for name, frag := range hostileFragments {
			t.Run(f.key+"/"+name, func(t *testing.T) {
				t.Parallel()
				value := f.wrap(frag)
				src := hostileSite(map[string]string{f.key: value})
				files, probs, err := renderSite(t, "hostile.toml", []byte(src))
				if err != nil {
					t.Fatalf("validation accepted %s but rendering failed: %s", clip(fmt.Sprintf("%q", value)), clip(err.Error()))
				}
				if files == nil {
					t.Logf("refused: %s", clip(probs.Errors()[0].Message))
					for _, p := range probs.Errors() {
						if p.Key != f.key && !slices.Contains(hostileRelated[f.key], p.Key) {
							t.Errorf("refused for another key than %s: %s", f.key, clip(p.String()))
						}
					}
					return
				}
				p := outputProblems(t, files)
				// The value as it stands inside a T-SQL or PowerShell
				// string ('' for '), or inside [...] (]] for ]).
				forms := []string{strings.ReplaceAll(value, "'", "''"), strings.ReplaceAll(value, "]", "]]")}
				for name, data := range files {
					p = append(p, unquotedUses(name, data, forms...)...)
				}
				if len(p) > 0 {
					t.Errorf("accepted %s but the output fails the checks:\n%s", clip(fmt.Sprintf("%q", value)), clip(strings.Join(p, "\n")))
				}
			})
		}
	}
}

// clip shortens a message that quotes an overlong value.
func clip(s string) string {
	if len(s) > 400 {
		return s[:200] + fmt.Sprintf("...(%d bytes)...", len(s)-400) + s[len(s)-200:]
	}
	return s
}

// TestUnquotedUses proves the scanners behind unquotedUses find a value
// that stands outside a string, so that TestHostileValues can trust them.
func TestUnquotedUses(t *testing.T) {
	const v = "x'; DROP y; '"
	forms := []string{strings.ReplaceAll(v, "'", "''")}
	for name, tc := range map[string]struct {
		src  string
		want int
	}{
		"quoted.sql":      {"SELECT N'x''; DROP y; ''';\r\n-- x''; DROP y; ''\r\nSELECT [x''; DROP y; ''];\r\n", 0},
		"bare.sql":        {"SELECT 1; x''; DROP y; '';\r\n", 1},
		"split.sql":       {"SELECT N'a' + x''; DROP y; '' + N'b';\r\n", 1},
		"quoted.ps1":      {"$a = 'x''; DROP y; '''\r\n# x''; DROP y; ''\r\n<# x''; DROP y; '' #>\r\n", 0},
		"bare.ps1":        {"$a = 1; x''; DROP y; ''\r\n", 1},
		"double.ps1":      {"$a = \"x''; DROP y; ''\"\r\n", 1},
		"here-string.ps1": {"$q = @'\r\nx''; DROP y; ''\r\n'@\r\n", 1},
		"ignored.md":      {"x''; DROP y; ''\n", 0},
	} {
		if got := unquotedUses(name, []byte(tc.src), forms...); len(got) != tc.want {
			t.Errorf("%s: found %d unquoted uses, want %d: %v", name, len(got), tc.want, got)
		}
	}
}
