package model

import (
	"strings"
	"testing"
)

func TestSmokeDrill(t *testing.T) {
	p := planOf(t, "example")
	m := &Model{Site: NewSite(p)}
	s := m.Site.Fresh()
	runAll(t, m, s, "mirroring", "log-shipping", "mirror-log-shipping", "topology")
	runAll(t, m, s, "switchover")
	t.Logf("lost %v missing %v", m.Lost(s), m.MissingFromServing(s))
	runAll(t, m, s, "failback")
	t.Logf("lost %v missing %v", m.Lost(s), m.MissingFromServing(s))
	// Back in the primary data center, an unplanned failover must refuse
	// and name the switchover, which loses nothing.
	r := m.Exec(s, Run{Op: m.Site.Plan.Operation("failover")})
	if r.Outcome != Refused || !strings.Contains(r.Fix, "30-dr-switchover.ps1") {
		t.Fatalf("failover with the primary data center serving: %s (fix %q)", r.Outcome, r.Fix)
	}
	if lost := m.Lost(s); len(lost) > 0 {
		t.Fatalf("a drill lost writes: %v", lost)
	}
}
