package validate

import (
	"os"
	"strings"
	"testing"

	"pchat-hadr/generator/site"
)

// TestTODOs: a TODO in a key of any type is reported as "TODO: fill in
// ..." at its line and hides only the problems that follow from it; a
// real problem elsewhere is still reported.
func TestTODOs(t *testing.T) {
	data, err := os.ReadFile("../../fixtures/minimal.toml")
	if err != nil {
		t.Fatal(err)
	}
	src := string(data)
	for old, repl := range map[string]string{
		"low_latency_link = false": `low_latency_link = "TODO: true or false"`,
		`fqdn = "dub-pc1.fabrikam.local"` + "\n" + `data_center = "backup"`: `fqdn = "dub-pc1.fabrikam.local"` + "\n" + `data_center = "TODO: primary or backup"` + "\nactive = true",
		"[sql.primary]\n":                  "[sql.primary]\nport = \"TODO: the port\"\n",
		`fqdn = "lon-sql2.fabrikam.local"`: `fqdn = "lon-sql2.fabrikam.local"` + "\nport = 80",
	} {
		if !strings.Contains(src, old) {
			t.Fatalf("no %q in the fixture", old)
		}
		src = strings.Replace(src, old, repl, 1)
	}
	l, probs := site.Load("s.toml", []byte(src), nil)
	if l == nil {
		t.Fatalf("a TODO in a boolean or integer key must not be a type error:\n%s", probs)
	}
	l.ApplyDefaults()
	got := Site(l).Errors().String()
	want := []string{
		"s.toml:14:1: data_centers.low_latency_link: TODO: fill in true or false\n",
		"s.toml:20:1: sql.primary.port: TODO: fill in the port\n",
		"sql.primary_mirror.port: 80 is out of range 1024-32767",
		"servers[1].data_center: TODO: fill in primary or backup\n",
	}
	for _, w := range want {
		if !strings.Contains(got, w) {
			t.Errorf("no %q in:\n%s", w, got)
		}
	}
	if n := strings.Count(got, "\n"); n != len(want) {
		t.Errorf("want %d problems, got:\n%s", len(want), got)
	}
}
