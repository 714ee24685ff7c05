package plan

import (
	"fmt"
	"path"
)

const reseedScript = "mirroring/70-reseed-mirror.ps1"

// reseedOps re-seed a mirror from whichever partner serves now, in the
// primary data center or, during a DR period, the backup data center: a
// mirror database lost, suspect or too far behind to resume ("Prepare a
// Mirror Database for Mirroring": a full and a log backup of the
// principal, restored WITH NORECOVERY, then SET PARTNER on the mirror
// first). A session that is healthy is left alone; a broken one is
// removed first, which SET PARTNER OFF does on both partners ("Removing
// Database Mirroring").
func (b *builder) reseedOps() []*Operation {
	var out []*Operation
	for _, dc := range []string{"Primary", "Backup"} {
		pairs := b.pairs
		if dc == "Backup" {
			pairs = b.backupPairs
		}
		for _, from := range []string{"Primary", "Mirror"} {
			name := "reseed-mirror"
			if dc == "Backup" {
				name = "backup-" + name
			}
			if from == "Mirror" {
				name += "-from-mirror"
			}
			where := map[string]string{"Primary": "the primary data center", "Backup": "the backup data center"}[dc]
			o := b.op(name, PhaseMirroring, fmt.Sprintf("re-seeding a mirror in %s from its %s", where, lower(from)), reseedScript)
			o.Select = map[string]string{"DataCenter": dc, "From": from}
			o.Params = []Param{
				{Name: "DataCenter", Values: []string{"Primary", "Backup"}, Default: "Primary", Help: "the data center whose pair is re-seeded: Primary, or Backup during a DR period"},
				{Name: "From", Values: []string{"Primary", "Mirror"}, Default: "Primary", Help: "the partner that serves now and is backed up: Primary (the one Topology Builder names first) or Mirror after a failover"},
			}
			for _, pr := range pairs {
				o.Databases = append(o.Databases, pr.Database)
				x := pr
				if from == "Mirror" {
					x.Principal, x.Mirror = pr.Mirror, pr.Principal
					x.Moves = movesFor(b.s.SQL.Instance(x.Mirror.Role), pr.Database)
				}
				o.add(b.reseedPairSteps(x, dc, from)...)
			}
			if dc == "Backup" {
				// The partner that serves is checked, not the one re-seeded.
				serving := b.ops.Backup
				if from == "Mirror" {
					serving = b.ops.BackupMirror
				}
				o.Preflight = []Pred{poolIs("FailedOver").fix("the backup data center's pairs are mirrored only during a DR period"), b.notPartWay(serving)}
			} else {
				o.Preflight = []Pred{poolIs("Normal").fix("during a DR period the failback mirrors the primary data center again: dr-failback/90-dr-failback.ps1")}
			}
			for _, pr := range pairs {
				x, y := pr.Principal, pr.Mirror
				if from == "Mirror" {
					x, y = y, x
				}
				o.Ends = append(o.Ends, pr.healthy(x, y)...)
				// The partner named by -From must be the one that serves: a
				// seed of the mirror would overwrite the copy in use.
				o.Preflight = append(o.Preflight, at(x, KDBRole, pr.Database, "PRINCIPAL", "none").
					fix(reseedCommand(dc, otherFrom(from), pr.Database)+" (the other partner serves now)"))
			}
			o.Switches = []Switch{reseedSuspended}
			o.Before, o.After = "A mirror is lost, suspect or too far behind: the principal runs exposed.", "Each pair's mirror is seeded again and SYNCHRONIZED with the partner that serves."
			out = append(out, o)
		}
	}
	return out
}

// reseedPairSteps: a broken session removed, then the seed, the restore
// over whatever is on the mirror, the partner and the check.
func (b *builder) reseedPairSteps(pr Pair, dc, from string) []*Step {
	db, x, y := pr.Database, pr.Principal, pr.Mirror
	off := b.sql(fmt.Sprintf("mirroring.unpair.%s.%s", x.Role, db), fmt.Sprintf("Removes a mirroring session of %s that is not healthy (SET PARTNER OFF on %s): the mirror is seeded again", db, x.Server),
		x, path.Join("mirroring", fmt.Sprintf("65-%s-remove-broken-session-%s.sql", x.Slug, db)), "sql/dr/partner-off.sql.tmpl", "dr.partner-off", Data{Ops: b.ops, DB: db}).
		req(at(x, KDBRole, db, "PRINCIPAL", "none").fix(reseedCommand(dc, otherFrom(from), db)+" (the other partner serves now)"), at(x, KDBState, db, "ONLINE"),
			// A SUSPENDED session usually resumes where it stopped, in
			// minutes ("ALTER DATABASE Database Mirroring": RESUME, on the
			// principal); a re-seed leaves the principal exposed far longer.
			at(x, KMirrorState, db, "SYNCHRONIZED", "SYNCHRONIZING", "DISCONNECTED", "PENDING_FAILOVER", "none", "absent").unless(reseedSuspended.Name).
				fix(fmt.Sprintf("the session is SUSPENDED: resume it first (ALTER DATABASE %s SET PARTNER RESUME on %s); re-seed only if it cannot resume: run this script again with -%s", db, x.Server, reseedSuspended.Name))).
		unneeded(pr.healthy(x, y)...).
		// A session that is only catching up, or only lacks its witness, is
		// not broken ("Database Mirroring Operating Modes": SYNCHRONIZING
		// is the way to SYNCHRONIZED; without the witness the pair runs
		// on, it cannot fail over automatically): the partner step sets
		// the witness again and the check waits.
		unneeded(at(x, KDBRole, db, "PRINCIPAL"), at(x, KPartner, db, y.Upper()), at(x, KMirrorState, db, "SYNCHRONIZED", "SYNCHRONIZING")).
		ens(at(x, KPartner, db, "none"), at(x, KMirrorState, db, "none")).
		leaves(fmt.Sprintf("%s is served by %s without a mirror.", db, x.Server))
	steps := b.pairSteps(pr, true)
	// The seed, restore and partner steps of the pair are shared with the
	// set-up: the removal comes before them here only.
	return append([]*Step{off}, steps...)
}

// reseedSuspended lets a re-seed remove a SUSPENDED session that would not
// resume.
var reseedSuspended = Switch{Name: "ReseedSuspended", Help: "Remove and re-seed a session that is SUSPENDED. Without it the re-seed stops and names ALTER DATABASE ... SET PARTNER RESUME, which usually brings the session back in minutes."}

// synchronized requires the session of db on the principal x to be
// SYNCHRONIZED, naming the re-seed when it is not: a mirror that is lost
// or too far behind never gets there on its own.
func synchronized(dc string, x Target, pr Pair) Pred {
	return at(x, KMirrorState, pr.Database, "SYNCHRONIZED").
		fix(reseedCommand(dc, fromOf(x), pr.Database) + fmt.Sprintf(" (the mirror is lost or far behind; if it is only down, bring it back and wait; if the session is SUSPENDED, resume it instead: ALTER DATABASE %s SET PARTNER RESUME on %s)", pr.Database, x.Server))
}

// reseedCommand is the re-seed of one database's mirror from the partner
// named by from (Primary or Mirror).
func reseedCommand(dc, from, db string) string {
	return fmt.Sprintf("%s -DataCenter %s -From %s -Database %s", reseedScript, dc, from, db)
}

// otherFrom is the -From value of the partner that -From from does not name.
func otherFrom(from string) string {
	if from == "Mirror" {
		return "Primary"
	}
	return "Mirror"
}
