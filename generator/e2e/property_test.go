package e2e

import (
	"fmt"
	"math/rand"
	"strings"
	"testing"

	"pchat-hadr/generator/pipeline"
)

// instanceRoles are the roles the property test fills, with their data
// centers; the witnesses are optional.
var instanceRoles = []struct {
	key, dc  string
	optional bool
}{
	{"primary", "primary", false}, {"primary_mirror", "primary", false}, {"primary_witness", "primary", true},
	{"backup", "backup", false}, {"backup_mirror", "backup", false}, {"backup_witness", "backup", true},
}

// randomSite writes a site whose instances are drawn from a few host
// labels, DNS domains, instance names, NetBIOS names and ports, so that
// roles often share a host label, a computer name or an instance. tail
// holds the shares and servers, taken from the minimal fixture.
func randomSite(rng *rand.Rand, tail string) string {
	pick := func(list ...string) string { return list[rng.Intn(len(list))] }
	var b strings.Builder
	b.WriteString(`schema_version = 1
[site]
name = "prop"
product = "lync2013"
pool_fqdn = "pchat.fabrikam.local"
ad_domain = "FABRIKAM"
[data_centers]
primary = "London"
backup = "Dublin"
low_latency_link = false
[sql]
version = "2012"
`)
	for _, r := range instanceRoles {
		if r.optional && rng.Intn(2) == 0 {
			continue
		}
		fmt.Fprintf(&b, "[sql.%s]\ndata_center = %q\n", r.key, r.dc)
		fmt.Fprintf(&b, "fqdn = \"%s.%s\"\n", pick("sql1", "sql2", "sql3", "sql4", "sql5", "sql6", "SQL1"), pick("fabrikam.local", "dr.fabrikam.local"))
		if inst := pick("", "", "PCHAT", "pchat", "WIT"); inst != "" {
			fmt.Fprintf(&b, "instance = %q\n", inst)
		}
		if nb := pick("", "", "", "SQL1", "SQL7", "sql8"); nb != "" {
			fmt.Fprintf(&b, "netbios_name = %q\n", nb)
		}
		if port := pick("", "", "5023", "7023"); port != "" {
			fmt.Fprintf(&b, "port = %s\n", port)
		}
		b.WriteString("service_account = 'FABRIKAM\\sqlsvc'\n")
	}
	if rng.Intn(3) == 0 {
		fmt.Fprintf(&b, "[log_shipping.monitor]\nfqdn = \"%s.fabrikam.local\"\n", pick("sql1", "mon1", "sql9"))
	}
	b.WriteString(tail)
	return b.String()
}

// TestValidSitesRender is a property test: any site that validates also
// plans and renders (validate finds everything generate can hit), and no
// two different instances get the same instance guard, which would let a
// script meant for one run on the other.
func TestValidSitesRender(t *testing.T) {
	rng := rand.New(rand.NewSource(12))
	minimal := minimalFixture(t)
	tail := minimal[strings.Index(minimal, "[shares]"):]
	r := templateRenderer(t)
	valid := 0
	for i := 0; i < 400; i++ {
		src := randomSite(rng, tail)
		in := []pipeline.Input{{File: "prop.toml", Data: []byte(src)}}
		plans, probs, err := pipeline.Plans(in)
		if len(probs.Errors()) > 0 {
			continue
		}
		valid++
		if err != nil {
			t.Fatalf("a valid site did not plan: %v\n%s", err, src)
		}
		if _, err := r.Render(plans[0]); err != nil {
			t.Fatalf("a valid site did not render: %v\n%s", err, src)
		}
		guards := map[string]string{} // MACHINE\INSTANCE -> lower-case server name
		for _, f := range plans[0].Files {
			tg := f.Data.Target
			if tg.Machine == "" {
				continue // a PowerShell step
			}
			g, server := tg.Machine+`\`+tg.Instance, strings.ToLower(tg.Server)
			if other, seen := guards[g]; seen && other != server {
				t.Fatalf("%s and %s share the guard %s:\n%s", other, server, g, src)
			}
			guards[g] = server
		}
	}
	if valid < 50 {
		t.Fatalf("only %d of the random sites were valid; the property is hardly tested", valid)
	}
	t.Logf("%d valid sites rendered", valid)
}
