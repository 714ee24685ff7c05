package model

import (
	"strings"
	"testing"

	"pchat-hadr/generator/plan"
)

// TestSwitchoverBackOutAfterAMirrorFailover: a switchover declined before
// its tail-log backup, and mirroring failed over meanwhile (mgc served by
// the mirror). The back-out makes the servers active on the mirror, stops
// at its mirroring step naming the mirror failback to the primary, and
// after that failback the back-out from the step it named completes, as
// RUNBOOK.md's "Backing out of a switchover" says (Lync-admin review 5,
// finding 8). While the former principal does not answer, the back-out
// refuses before its first step, with a fix to run instead.
func TestSwitchoverBackOutAfterAMirrorFailover(t *testing.T) {
	for _, name := range []string{"example", "minimal"} {
		m := &Model{Site: NewSite(planOf(t, name))}
		o := m.Site.Plan.Operation("switchover")
		for k := 1; k <= len(o.Steps) && o.Steps[k-1].BackOut != ""; k++ {
			s := startState(t, m, "normal")
			r := m.Exec(s, Run{Op: o, DeclineAt: k})
			pr := s.Index("primary")
			for _, db := range []string{"mgc", "mgccomp"} {
				if d := s.db(pr, db); d != nil && d.Mir != nil {
					if err := s.SetPartnerFailover(pr, db); err != nil {
						t.Fatalf("%s, declined at %d: failover of %s: %v", name, k, db, err)
					}
				}
			}
			bo, _, _ := m.command(plan.FixText(r.BackOut))
			lost := s.Clone()
			m.down(lost, "primary")
			if b := m.Exec(lost, Run{Op: bo}); b.Outcome != Refused || b.Fix == "" {
				t.Errorf("%s, declined at %d, the former principal down: the back-out %s at step %d (%s), fix %q; want a refusal before step 1 with a fix", name, k, b.Outcome, b.Step, b.Reason, b.Fix)
			}
			b := m.Exec(s, Run{Op: bo})
			if b.Outcome != Stopped || !strings.Contains(b.Fix, `.\mirror-failover\10-mirror-failover.ps1 -DataCenter Primary -NewPrincipal Primary`) {
				t.Fatalf("%s, declined at %d: the back-out %s at step %d (%s), fix %q; want a stop naming the mirror failback", name, k, b.Outcome, b.Step, b.Reason, b.Fix)
			}
			if m.Live(s, plan.Pred{Kind: plan.KActive}) == "" {
				t.Errorf("%s, declined at %d: no server active when the back-out stops", name, k)
			}
			fo, _, sw := m.command(b.Fix[strings.Index(b.Fix, `.\`):])
			if f := m.Exec(s, Run{Op: fo, Switches: sw}); f.Outcome != Completed {
				t.Fatalf("%s, declined at %d: the mirror failback %s at step %d: %s", name, k, f.Outcome, f.Step, f.Reason)
			}
			again, from, sw2 := m.command(b.Continue)
			if a := m.Exec(s, Run{Op: again, FromStep: from, Switches: sw2}); a.Outcome != Completed {
				t.Errorf("%s, declined at %d: %s %s at step %d: %s", name, k, b.Continue, a.Outcome, a.Step, a.Reason)
			}
		}
	}
}
