package importer

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"pchat-hadr/generator/collect"
	"pchat-hadr/generator/pipeline"
	"pchat-hadr/generator/site"
)

// update rewrites the expected imports in testdata/ instead of comparing:
// PCHAT_HADR_UPDATE=1 go test ./generator/importer (then review the diff).
var update = os.Getenv("PCHAT_HADR_UPDATE") == "1"

func fixture(t *testing.T, name string) *collect.Document {
	t.Helper()
	doc, err := collect.ReadFile(filepath.Join("..", "collect", "testdata", name+".json"))
	if err != nil {
		t.Fatal(err)
	}
	return doc
}

// TestImportFixtures: each collector fixture imports to the site file in
// testdata/, which validates with its TODOs as the only errors, each
// "TODO: fill in ..." at its line.
func TestImportFixtures(t *testing.T) {
	for _, name := range []string{"named-instance", "default-instance", "shared-compliance", "failed-over", "fresh"} {
		t.Run(name, func(t *testing.T) {
			text, err := Import(fixture(t, name), name+".json", "")
			if err != nil {
				t.Fatal(err)
			}
			path := filepath.Join("testdata", name+".toml")
			if update {
				if err := os.WriteFile(path, text, 0o644); err != nil {
					t.Fatal(err)
				}
			} else if want, err := os.ReadFile(path); err != nil || string(want) != string(text) {
				t.Errorf("the import differs from %s (%v); run PCHAT_HADR_UPDATE=1 go test ./generator/importer and review the diff", path, err)
			}
			l, lp := site.Load(name+".toml", text, nil)
			if l == nil {
				t.Fatalf("does not load:\n%s", lp)
			}
			_, probs := pipeline.Validate([]pipeline.Input{{File: name + ".toml", Data: text}})
			errs := probs.Errors()
			if len(errs) == 0 || len(errs) != len(l.TODOs) {
				t.Errorf("%d TODOs, but these errors:\n%s", len(l.TODOs), errs)
			}
			for _, e := range errs {
				if !strings.HasPrefix(e.Message, "TODO: fill in ") || e.Line == 0 {
					t.Errorf("not a TODO at a line: %s", e)
				}
			}
		})
	}
}

// TestImportStates: the active list fills the plan of the state the pool
// is in; the other plan is a TODO.
func TestImportStates(t *testing.T) {
	normal, _ := Import(fixture(t, "default-instance"), "c.json", "")
	failed, _ := Import(fixture(t, "failed-over"), "c.json", "")
	for _, c := range []struct {
		text, want string
	}{
		{string(normal), "fqdn = \"lon-pc1.fabrikam.local\"\n"},
		{string(normal), "active = true\n"},
		{string(normal), "active_after_failover = \"TODO: "},
		{string(failed), "active = \"TODO: "},
		{string(failed), "active_after_failover = true\n"},
		{string(failed), "service_account = \"TODO: the SQL Server service account\"\n"},
	} {
		if !strings.Contains(c.text, c.want) {
			t.Errorf("no %q in:\n%s", c.want, c.text)
		}
	}
}

// TestImportFresh: before set-up, what is not configured yet is a TODO,
// and an instance without sys.dm_server_services has a TODO account.
func TestImportFresh(t *testing.T) {
	text, _ := Import(fixture(t, "fresh"), "c.json", "")
	for _, want := range []string{
		"log_shipping = \"TODO: ", "copy_destination = \"TODO: ",
		"# sys.dm_server_services is not on this instance (SQL Server before 2008 R2 SP1).\nservice_account = \"TODO: ",
		"# port: no mirroring endpoint on this instance yet; the default 5022 applies.",
		"# Log shipping of mgc is not configured yet: SSMS's defaults apply.",
		"version = \"2008r2\"",
	} {
		if !strings.Contains(string(text), want) {
			t.Errorf("no %q", want)
		}
	}
}

// TestChoosePool: a collection of several pools needs --pool.
func TestChoosePool(t *testing.T) {
	doc := fixture(t, "default-instance")
	other := doc.Pools[0]
	other.PoolFQDN = "pchat2.fabrikam.local"
	doc.Pools = append(doc.Pools, other)
	if _, err := Import(doc, "c.json", ""); err == nil || !strings.Contains(err.Error(), "choose one with --pool") {
		t.Errorf("two pools: %v", err)
	}
	if _, err := Import(doc, "c.json", "nope.fabrikam.local"); err == nil || !strings.Contains(err.Error(), "no Persistent Chat pool nope.fabrikam.local") {
		t.Errorf("unknown pool: %v", err)
	}
	if _, err := Import(doc, "c.json", "PCHAT2.fabrikam.local"); err != nil {
		t.Errorf("a named pool: %v", err)
	}
}

func TestValueEncoding(t *testing.T) {
	for in, want := range map[any]string{
		`C:\x`: `'C:\x'`, `O'Brien\x`: `"O'Brien\\x"`, "plain": `"plain"`, "TODO: a\\b": `"TODO: a\\b"`, 5022: "5022", true: "true",
	} {
		if got := value(in); got != want {
			t.Errorf("value(%v) = %s, want %s", in, got, want)
		}
	}
}

// TestImportHostileValues: a collected value with quotes, backslashes or a
// line break stays one TOML value (and one comment line): it cannot add a
// key or a table to the site file.
func TestImportHostileValues(t *testing.T) {
	doc := fixture(t, "default-instance")
	evil := "FABRIKAM\\O'Brien\"\n[site]\nname = \"pwned\""
	doc.Instances[0].Services[0].ServiceAccount = evil
	doc.Instances[0].Services[0].ServiceName = "SQL Server (MSSQLSERVER)\n[evil]"
	text, err := Import(doc, "c.json", "")
	if err != nil {
		t.Fatal(err)
	}
	l, probs := site.Load("s.toml", text, nil)
	if l == nil {
		t.Fatalf("does not load:\n%s\n%s", probs, text)
	}
	if l.Site.SQL.Primary.ServiceAccount != evil || strings.Contains(string(text), "\n[evil]") || l.Site.Site.Name != "" {
		t.Errorf("the value escaped: %q, name %q", l.Site.SQL.Primary.ServiceAccount, l.Site.Site.Name)
	}
}
