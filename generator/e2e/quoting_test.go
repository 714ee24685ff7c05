package e2e

import (
	"path"
	"path/filepath"
	"strings"
	"testing"
)

// quotingGolden is the golden tree of fixtures/hostile-quoting.toml, a
// valid site whose names and paths hold ' ] $ and spaces.
const quotingGolden = "golden/hostile-quoting"

// quotingForms lists, per golden file, text that must appear in it
// exactly: each value of the fixture in the form its context needs.
var quotingForms = map[string][]string{
	// T-SQL literals: N'...' with ' doubled; ] needs no escape there.
	"log-shipping/30-lon-sql1-primary-mgc.sql": {
		`@backup_job_name = N'O''Brien]job',`,
		`@schedule_name = N'O''Brien]sched',`,
		`@backup_directory = N'\\dub-fs1\log ship$\O''Brien''s logs\mgc',`,
		`@backup_share = N'\\dub-fs1\log ship$\O''Brien''s logs\mgc',`,
		`IF @job_name IS NOT NULL AND @job_name <> N'O''Brien]job'`,
	},
	"log-shipping/50-lon-sql2-primary-mgc.sql": {
		`@backup_job_name = N'O''Brien]job',`,
		`@schedule_name = N'O''Brien]sched',`,
	},
	"log-shipping/40-dub-sql1-secondary-mgc.sql": {
		`@backup_source_directory = N'\\dub-fs1\log ship$\O''Brien''s logs\mgc',`,
		`@backup_destination_directory = N'D:\Log Ship\O''Brien $copy',`,
		`@copy_job_name = N'O''Brien]copy',`,
		`@restore_job_name = N'O''Brien]restore',`,
		`@schedule_name = N'O''Brien]copy sched',`,
		`@schedule_name = N'O''Brien]restore sched',`,
	},
	// Identifiers: [...] with ] doubled; ' needs no escape there.
	"mirroring/10-lon-sql1-endpoint.sql": {
		`CREATE ENDPOINT [Mir]]ror]`,
		`CREATE LOGIN [FABRIKAM\O'Brien] FROM WINDOWS;`,
		`WHERE sid = SUSER_SID(N'FABRIKAM\O''Brien')`,
		`N' TO ' + QUOTENAME(@grantee)`,
	},
	"mirroring/10-lon-sql2-endpoint.sql": {
		`CREATE ENDPOINT [Mir]]ror]`,
		`CREATE LOGIN [FABRIKAM\O'Brien] FROM WINDOWS;`,
	},
	"mirroring/20-lon-sql1-seed-mgc.sql": {
		`BACKUP DATABASE [mgc] TO DISK = N'\\lon-fs1\seed$\O''Brien seed\mgc.bak'`,
		`BACKUP LOG [mgc] TO DISK = N'\\lon-fs1\seed$\O''Brien seed\mgc.trn'`,
	},
	"dr-switchover/12-lon-sql1-tail-log-mgc.sql": {
		`BACKUP LOG [mgc] TO DISK = N'\\dub-fs1\log ship$\O''Brien''s logs\tail\mgc_tail.trn' WITH NORECOVERY`,
	},
	// PowerShell: single-quoted strings with ' doubled; $ stays literal.
	"dr-failover/30-dr-failover.ps1": {
		`A1 = '\\dub-fs1\log ship$\O''Brien''s logs\mgc'`,
		`-Share '\\dub-fs1\seed$\O''Brien seed'`,
	},
	"dr-switchover/30-dr-switchover.ps1": {
		`A1 = '\\dub-fs1\log ship$\O''Brien''s logs\tail\mgc_tail.trn'`,
	},
	"prerequisites/00-check-prerequisites.ps1": {
		`Login = 'FABRIKAM\O''Brien'; Agent = $true }`,
		`@{ Path = '\\lon-fs1\seed$\O''Brien seed'; What = 'mirroring seed share'; Operator = ''; Needs = @(@{ Login = 'FABRIKAM\O''Brien'; Access = 'read/write' }) }`,
		`@{ Path = '\\dub-fs1\log ship$\O''Brien''s logs\mgc';`,
	},
	// The runbook: prose and code spans as written; a command in it is
	// PowerShell and quoted as such.
	"RUNBOOK.md": {
		`stretched over **St John's** (primary data center)`,
		"| Jobs | `O'Brien]job`; `O'Brien]copy`, `O'Brien]restore` |",
		"| Copy folder on the backup instance | `D:\\Log Ship\\O'Brien $copy` |",
		`-FileShare '\\lon-fs1\seed$\O''Brien seed'`,
	},
}

// TestQuotingGoldenForms proves that each value of the hostile-quoting
// fixture appears in its golden files in exactly the quoted form its
// context needs: T-SQL literal, T-SQL identifier, PowerShell string.
func TestQuotingGoldenForms(t *testing.T) {
	files := readTree(t, quotingGolden)
	if len(files) == 0 {
		t.Fatalf("%s is empty or missing", quotingGolden)
	}
	for name, forms := range quotingForms {
		data, ok := files[name]
		if !ok {
			t.Errorf("%s/%s: not generated", quotingGolden, name)
			continue
		}
		for _, f := range forms {
			if !strings.Contains(string(data), f) {
				t.Errorf("%s/%s: missing %s", quotingGolden, name, f)
			}
		}
	}
}

// TestQuotingGoldenNoRawValues proves that no value of the fixture stands
// outside a string, identifier or comment in any .sql or .ps1 golden file,
// and that no T-SQL or PowerShell string holds a quote left undoubled.
func TestQuotingGoldenNoRawValues(t *testing.T) {
	files := readTree(t, quotingGolden)
	checked := 0
	for name, data := range files {
		ext := path.Ext(name)
		if ext != ".sql" && ext != ".ps1" {
			continue
		}
		checked++
		for _, p := range unquotedUses(name, data, "O'Brien", "O''Brien", "Mir]ror", "Mir]]ror", "St John", "$copy", "log ship$") {
			t.Error(p)
		}
		// A comment holds values as written: a quote there ends nothing.
		code := codeLines(ext, string(data))
		for _, bad := range []string{`N'O'Brien`, `'FABRIKAM\O'Brien'`, `[Mir]ror]`, `O'Brien's`} {
			if strings.Contains(code, bad) {
				t.Errorf("%s: holds %s, a value quoted without escaping", filepath.Join(quotingGolden, name), bad)
			}
		}
	}
	if checked == 0 {
		t.Fatalf("no .sql or .ps1 file in %s", quotingGolden)
	}
}

// TestQuotingGoldenPassesChecks proves the hostile-quoting output passes
// every output check (T-SQL structure and signatures, bytes, encoding).
func TestQuotingGoldenPassesChecks(t *testing.T) {
	if p := outputProblems(t, readTree(t, quotingGolden)); len(p) > 0 {
		t.Errorf("%s fails the output checks:\n%s", quotingGolden, strings.Join(p, "\n"))
	}
}

// codeLines drops the whole-line comments of a script: T-SQL "--" lines,
// PowerShell "#" lines and the comment-based help block.
func codeLines(ext, text string) string {
	var b strings.Builder
	help := false
	for _, l := range strings.Split(text, "\n") {
		t := strings.TrimSpace(l)
		switch {
		case ext == ".sql" && strings.HasPrefix(t, "--"):
		case ext == ".ps1" && t == "<#":
			help = true
		case ext == ".ps1" && t == "#>":
			help = false
		case ext == ".ps1" && (help || strings.HasPrefix(t, "#")):
		default:
			b.WriteString(l)
			b.WriteByte('\n')
		}
	}
	return b.String()
}
