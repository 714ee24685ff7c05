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
	runAll(t, m, s, "failback")
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
