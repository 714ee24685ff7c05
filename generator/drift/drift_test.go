package drift

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"pchat-hadr/generator/collect"
	"pchat-hadr/generator/pipeline"
	"pchat-hadr/generator/plan"
)

func sitePlan(t *testing.T, name string) *plan.Plan {
	t.Helper()
	path := filepath.Join("..", "..", "fixtures", name+".toml")
	if name == "example" {
		path = filepath.Join("..", "..", "templates", "example-site.toml")
	}
	data, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	loaded, probs := pipeline.Validate([]pipeline.Input{{File: name + ".toml", Data: data}})
	if loaded[0] == nil {
		t.Fatal(probs)
	}
	p, err := plan.Build(&loaded[0].Site, name+".toml")
	if err != nil {
		t.Fatal(err)
	}
	return p
}

func collection(t *testing.T, name string) *collect.Document {
	t.Helper()
	doc, err := collect.ReadFile(filepath.Join("..", "collect", "testdata", name+".json"))
	if err != nil {
		t.Fatal(err)
	}
	return doc
}

// TestInSync: a deployment set up as its site file says has no drift.
func TestInSync(t *testing.T) {
	for site, coll := range map[string]string{"minimal": "default-instance", "shared-compliance": "shared-compliance", "example": "named-instance"} {
		if d := Compare(sitePlan(t, site), collection(t, coll)); len(d) > 0 {
			t.Errorf("%s against %s: %+v", site, coll, d)
		}
	}
}

// find returns the differences whose key starts with key.
func find(diffs []Difference, key string) []Difference {
	var out []Difference
	for _, d := range diffs {
		if strings.HasPrefix(d.Key, key) {
			out = append(out, d)
		}
	}
	return out
}

// TestDrifts: each kind of drift the issue names is found, with the site
// value, the live value and what to do, naming the planned script.
func TestDrifts(t *testing.T) {
	p := sitePlan(t, "minimal")
	cases := []struct {
		name      string
		change    func(d *collect.Document)
		key       string
		site, liv string
		do        string // part of what to do
		script    string // the planned file it names, if any
	}{
		{"server added", func(d *collect.Document) {
			d.Pools[0].Computers = append(d.Pools[0].Computers, "lon-pc2.fabrikam.local")
		},
			"servers", "-", "lon-pc2.fabrikam.local", "add a [[servers]] table", ""},
		{"server removed", func(d *collect.Document) { d.Pools[0].Computers = d.Pools[0].Computers[:1] },
			"servers", "dub-pc1.fabrikam.local", "-", "remove its [[servers]] table", ""},
		{"active list", func(d *collect.Document) { d.Pools[0].ActiveServers = []string{"dub-pc1.fabrikam.local"} },
			"servers[].active", "lon-pc1.fabrikam.local", "dub-pc1.fabrikam.local", "active servers of normal operation", "topology/"},
		{"left failed over", func(d *collect.Document) { d.Pools[0].State = "FailedOver" },
			"pool state", "Normal", "FailedOver", "fail back", "dr-failback/"},
		{"endpoint port", func(d *collect.Document) { d.Instances[0].Endpoint.Port = 5023 },
			"sql.primary.port", "5022", "5023 (endpoint Mirroring)", "edit the site file", ""},
		{"endpoint encryption", func(d *collect.Document) { d.Instances[1].Endpoint.Algorithm = "RC4" },
			"sql.primary_mirror endpoint encryption", "REQUIRED ALGORITHM AES", "RC4", "ENCRYPTION = REQUIRED ALGORITHM AES", "mirroring/"},
		{"partner", func(d *collect.Document) {
			d.Instances[0].Databases[0].Mirroring.Partner = "TCP://lon-sql9.fabrikam.local:5022"
		}, "mirroring mgc partner", "TCP://lon-sql2.fabrikam.local:5022", "TCP://lon-sql9.fabrikam.local:5022", "SET PARTNER OFF", "mirroring/"},
		{"witness", func(d *collect.Document) {
			d.Instances[0].Databases[0].Mirroring.Witness = "TCP://lon-sqlw.fabrikam.local:7022"
			d.Instances[0].Databases[0].Mirroring.WitnessState = "CONNECTED"
		}, "mirroring mgc witness", "-", "TCP://lon-sqlw.fabrikam.local:7022", "SET WITNESS OFF", ""},
		{"not synchronized", func(d *collect.Document) { d.Instances[0].Databases[0].Mirroring.State = "SUSPENDED" },
			"mirroring mgc state", "SYNCHRONIZED", "SUSPENDED", "SET PARTNER RESUME", "mirroring/"},
		{"backup job disabled", func(d *collect.Document) { d.Instances[0].LogShipping.Primaries[0].BackupJob.Enabled = false },
			"log_shipping.backup job on lon-sql1.fabrikam.local", "enabled", "disabled", "sp_update_job @job_name = N'LSBackup_mgc', @enabled = 1", ""},
		{"copy schedule", func(d *collect.Document) {
			d.Instance("dub-sql1.fabrikam.local").LogShipping.Secondaries[0].CopyJob.Schedules[0].FreqSubdayInterval = 30
		}, "log_shipping.copy_interval", "15 minutes", "30 minutes", "sp_update_schedule", ""},
		{"service account", func(d *collect.Document) { d.Instances[2].Services[0].ServiceAccount = `FABRIKAM\other` },
			"sql.backup.service_account", `FABRIKAM\sqlsvc`, `FABRIKAM\other`, "edit the site file", "prerequisites/"},
		{"agent account", func(d *collect.Document) { d.Instances[2].Services[1].ServiceAccount = `FABRIKAM\agent` },
			"sql.backup.agent_account", `FABRIKAM\sqlsvc`, `FABRIKAM\agent`, "agent_account", "prerequisites/"},
		{"topology store", func(d *collect.Document) {
			d.Pools[0].Databases.BackupPersistentChat = `PersistentChatStore:dub-sql9.fabrikam.local`
		},
			"sql.backup", "dub-sql1.fabrikam.local", "dub-sql9.fabrikam.local", "Topology Builder", ""},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			doc := collection(t, "default-instance")
			c.change(doc)
			diffs := Compare(p, doc)
			got := find(diffs, c.key)
			if len(got) != 1 {
				t.Fatalf("want one difference %s, got %+v (all: %+v)", c.key, got, diffs)
			}
			d := got[0]
			if d.Site != c.site || d.Live != c.liv || !strings.Contains(d.Do, c.do) || !strings.HasPrefix(d.Script, c.script) || (c.script == "") != (d.Script == "") {
				t.Errorf("got %+v", d)
			}
			if d.Script != "" && !planned(p, d.Script) {
				t.Errorf("%s is not a planned file", d.Script)
			}
		})
	}
}

func planned(p *plan.Plan, path string) bool {
	for _, f := range p.Files {
		if f.Path == path {
			return true
		}
	}
	return false
}

// TestScriptsFromPlan: the scripts drift names are the plan's, whatever
// they are called, so renaming a script on main cannot leave drift
// pointing at a file that does not exist.
func TestScriptsFromPlan(t *testing.T) {
	p := sitePlan(t, "minimal")
	for i := range p.Files {
		p.Files[i].Path = "renamed/" + p.Files[i].Path
	}
	doc := collection(t, "default-instance")
	doc.Pools[0].State = "FailedOver"
	d := find(Compare(p, doc), "pool state")
	if len(d) != 1 || !strings.HasPrefix(d[0].Script, "renamed/dr-failback/") {
		t.Errorf("%+v", d)
	}
}

// TestFailedOverFixture: the pool left FailedOver after a drill is
// reported, and what cannot be read is said.
func TestFailedOverFixture(t *testing.T) {
	diffs := Compare(sitePlan(t, "minimal"), collection(t, "failed-over"))
	if len(find(diffs, "pool state")) != 1 || len(find(diffs, "sql.primary")) != 1 || len(find(diffs, "servers[].active")) != 0 {
		t.Errorf("%+v", diffs)
	}
}

// TestMatch: each site gets the latest collection of its pool.
func TestMatch(t *testing.T) {
	p := sitePlan(t, "minimal")
	old, fresh := collection(t, "default-instance"), collection(t, "failed-over")
	docs, missing := Match([]*plan.Plan{p, sitePlan(t, "shared-compliance")}, []*collect.Document{fresh, old})
	if docs[0] != fresh || len(missing) != 1 || missing[0] != "pchat-eu.woodgrovebank.com" {
		t.Errorf("%v %v", docs, missing)
	}
}
