package model

import (
	"fmt"
	"strings"
	"testing"

	"pchat-hadr/generator/plan"
)

// A failback stopped after its tail-log backup leaves the pool FailedOver
// with the backup's mgc RESTORING. The DR scripts took that for a DR
// period already in place: their first steps were skipped as not needed
// and every stop pointed back at them, with chat down (Lync review 2,
// finding 5). They now refuse before any change and name the failback's
// back-out, which runs from there to the end.
func TestFindingDRScriptsAfterAStoppedFailback(t *testing.T) {
	p := planOf(t, "example")
	starts := []string{"DR period, a failback stopped after dr.failback.tail", "DR period, a failback stopped after dr.failback.tail, then the primary data center lost"}
	check := func(m *Model) []string {
		var probs []string
		for _, name := range starts {
			for _, op := range []string{"failover", "switchover"} {
				s := startState(t, m, name)
				r := m.Exec(s, Run{Op: m.Site.Plan.Operation(op)})
				if r.Outcome != Refused || !strings.Contains(r.Fix, `dr-failback\91-back-out-failback.ps1`) {
					probs = append(probs, fmt.Sprintf("%s, %s: %s at step %d (%s; fix %q), not refused with the back-out named", name, op, r.Outcome, r.Step, r.Reason, r.Fix))
					continue
				}
				m.repair(s)
				b := m.Exec(s, Run{Op: m.Site.Plan.Operation("failback-backout")})
				if b.Outcome != Completed {
					probs = append(probs, fmt.Sprintf("%s: the back-out %s at step %d: %s", name, b.Outcome, b.Step, b.Reason))
				}
			}
		}
		return probs
	}
	broken := mutated(p, func(o *plan.Operation) {
		var keep []plan.Pred
		for _, pr := range o.Preflight {
			if pr.When == "" {
				keep = append(keep, pr)
			}
		}
		o.Preflight = keep
	}, "failover", "switchover")
	holdsAndBreaks(t, &Model{Site: NewSite(p)}, broken, check)
}

// The switchover pauses the log-shipping backup job on the primary and on
// its mirror. Backed out before the tail-log backup, both must run again:
// the mirror's job is what ships after a later mirror failover, and a
// drain check compares only files that reached the share (Lync review 2,
// finding 1).
func TestFindingSwitchoverBackOutResumesBothJobs(t *testing.T) {
	p := planOf(t, "example")
	check := func(m *Model) []string {
		var probs []string
		o := m.Site.Plan.Operation("switchover")
		for k := 1; k <= len(o.Steps); k++ {
			if o.Steps[k-1].BackOut == "" {
				break
			}
			s := startState(t, m, "normal")
			r := m.Exec(s, Run{Op: o, DeclineAt: k})
			if r.BackOut == "" {
				probs = append(probs, fmt.Sprintf("declined at step %d: no back-out named", k))
				continue
			}
			bo, _, _ := m.command(plan.FixText(r.BackOut))
			if bo == nil {
				probs = append(probs, fmt.Sprintf("declined at step %d: the back-out %q is no operation", k, r.BackOut))
				continue
			}
			if b := m.Exec(s, Run{Op: bo}); b.Outcome != Completed {
				probs = append(probs, fmt.Sprintf("declined at step %d: the back-out %s at step %d: %s", k, b.Outcome, b.Step, b.Reason))
				continue
			}
			for _, role := range []string{"primary", "primary_mirror"} {
				if lp := s.InstOf(role).LSPrimary["mgc"]; lp != nil && !lp.JobEnabled {
					probs = append(probs, fmt.Sprintf("declined at step %d, backed out: the log-shipping backup job on %s is still paused", k, role))
				}
			}
		}
		return probs
	}
	broken := mutated(p, withoutSteps(idIs("dr.switchover.resume-ls.primary_mirror")), "switchover-backout")
	holdsAndBreaks(t, &Model{Site: NewSite(p)}, broken, check)
}

// The switchover's tail-log step removes mirroring and restricts mgc to
// administrators before its backup. If that backup fails, mgc is ONLINE
// but no pool server can write: the back-out, which the step names, must
// give mgc back and mirror it again, not just report success (DBA review
// 3, finding 1).
func TestFindingSwitchoverBackOutAfterAFailedTail(t *testing.T) {
	p := planOf(t, "example")
	check := func(m *Model) []string {
		o := m.Site.Plan.Operation("switchover")
		tail := stepNo(t, o, "dr.switchover.tail")
		s := startState(t, m, "normal")
		r := m.Exec(s, Run{Op: o, DeclineAt: tail})
		if r.BackOut == "" {
			return []string{"the tail-log step names no back-out"}
		}
		// What the step did before its backup failed.
		pr := s.Index("primary")
		if err := s.SetPartnerOff(pr, "mgc"); err != nil {
			t.Fatal(err)
		}
		if err := s.SetAccess(pr, "mgc", RestrictedUser); err != nil {
			t.Fatal(err)
		}
		bo, _, _ := m.command(plan.FixText(r.BackOut))
		if bo == nil {
			return []string{"the back-out " + r.BackOut + " is no operation"}
		}
		if b := m.Exec(s, Run{Op: bo}); b.Outcome != Completed {
			return []string{fmt.Sprintf("the back-out %s at step %d: %s", b.Outcome, b.Step, b.Reason)}
		}
		var probs []string
		if w := m.Live(s, plan.Pred{Kind: plan.KDBWritable, On: &m.Site.Plan.Accounts[pr].Target, DB: "mgc"}); w != "writable" {
			probs = append(probs, "after the back-out mgc on the primary is "+w)
		}
		if d := s.db(pr, "mgc"); d.Mir == nil {
			probs = append(probs, "after the back-out mgc on the primary has no mirror")
		}
		return probs
	}
	broken := mutated(p, withoutSteps(idIs("dr.switchover.multi-user")), "switchover-backout")
	holdsAndBreaks(t, &Model{Site: NewSite(p)}, broken, check)
}
