package plan

import (
	"fmt"
	"path"
)

// notServing are the live values of KDBWritable for a copy of mgc that no
// pool server can write to: the engine reads "unreachable" when the
// instance does not answer.
var notServing = []string{"unreachable", "absent", "restoring", "mirror", "offline", "read-only", "restricted",
	"recovering", "recovery_pending", "suspect", "emergency"}

// dataLoss is the switch of the unplanned failover that accepts losing the
// log backups the backup instance has not restored.
var dataLoss = Switch{Name: "AcceptDataLoss", DataLoss: true,
	Help: "Continue although the log-shipping share is unreachable or holds log backups the backup instance has not restored. The transactions in them are lost; the script says so before it recovers."}

// forceDC1 is the switch that recovers the backup although the primary
// data center still serves mgc.
var forceDC1 = Switch{Name: "Force", DataLoss: true,
	Help: "Continue although an instance of the primary data center still serves mgc. Its copy diverges, and what it receives is lost to the pool; use the switchover instead when the primary data center is reachable."}

// recovered is what a recovered backup instance looks like: online, out of
// log shipping. Every step before the recovery is unneeded then.
func (b *builder) recovered() []Pred {
	bk := b.ops.Backup
	return []Pred{at(bk, KDBWritable, "mgc", "writable"), at(bk, KLSSecondary, "mgc", "none")}
}

func (b *builder) drFolder(dir, name string, t Target, action, db string) string {
	return path.Join(dir, fmt.Sprintf("%s-%s-%s-%s.sql", name, t.Slug, action, db))
}

// failoverOp is P5, unplanned: drain, recover, FailedOver, mirror the
// backup, activate the backup data center (design decisions d and m).
func (b *builder) failoverOp() *Operation {
	o := b.op("failover", PhaseDRFailover, "DR failover to the backup data center, unplanned (P5)", "dr-failover/30-dr-failover.ps1")
	o.Switches = []Switch{dataLoss, forceDC1}
	bk := b.ops.Backup
	recov := b.sql("dr.recover", "Removes the secondary's log-shipping configuration, ends the sessions on mgc and brings it online (RESTORE DATABASE mgc WITH RECOVERY)",
		bk, b.drFolder("dr-failover", "20", bk, "recover", "mgc"), "sql/dr/recover.sql.tmpl", "dr.recover", Data{Ops: b.ops, DB: "mgc"}).
		req(b.drained(), at(bk, KDBState, "mgc", "RESTORING", "ONLINE")).
		// A switchover's tail that still applies is restored first (step 2):
		// a -FromStep past it must not recover without it.
		req(b.tailApplied()).
		req(b.dc1NotServing("Force")...).
		unneeded(poolIs("FailedOver")).
		ens(b.recovered()...).
		pointOfNoReturn().
		leaves("mgc may be ONLINE or still RESTORING on the backup instance; the pool still points at the primary databases.")
	// Servers of the primary data center that still run must not serve
	// against the backup databases over the slow link ("Failing over
	// Persistent Chat Server": every active server in the data center of
	// the new primary, or one with a low-latency link to it).
	// Once the pool is FailedOver the list was cleared and is the backup's
	// to set (the activation step changes it by difference): a re-run from
	// step 1, as several stop messages advise, must not clear it again.
	clear := b.clearActive("dr.failover.clear").
		req(b.recovered()...).
		unneeded(activeIs(b.ops.FailoverActive)).
		unneeded(poolIs("FailedOver")).
		leaves("No server accepts new connections; mgc is ONLINE on the backup instance.")
	// A switchover that took its tail-log backup and then lost the primary
	// data center left the tail on the share, outside the log-shipping
	// folder the drain restores from: without it the recovery would lose
	// what the tail holds. It is applied only when it continues what the
	// backup instance restored: a tail left by an earlier drill must not
	// stop a failover.
	tail := b.sql("dr.failover.restore-tail", "Applies the tail-log backup a switchover took, when it continues what the backup instance restored (the primary data center was lost after the switchover's tail-log backup)",
		bk, b.drFolder("dr-failover", "15", bk, "restore-tail", "mgc"), "sql/dr/restore-tail.sql.tmpl", "dr.restore-tail", Data{Ops: b.ops, DB: "mgc"}).
		req(at(bk, KDBState, "mgc", "RESTORING")).
		unneeded(poolIs("FailedOver")).
		unneeded(at(bk, KDBState, "mgc", "ONLINE")).
		unneeded(b.tailApplies("no", "missing")).
		ens(b.tailRestored(), b.tailApplies("no")).
		leaves("mgc is RESTORING on the backup instance; nothing serves it yet. A tail-log backup that cannot be applied (damaged, or a log backup missing before it) is given up only by recovering without it: " + `.\` + winPath("dr-failover/30-dr-failover.ps1") + " -FromStep 3 -AcceptDataLoss (what it holds is lost).")
	o.add(b.drainStep(), tail, recov, clear)
	o.add(b.afterRecovery()...)
	o.Preflight = []Pred{at(bk, KDBState, "mgc", "RESTORING", "ONLINE"), b.notPartWay(bk)}
	for _, p := range b.dc1NotServing("Force") {
		o.Preflight = append(o.Preflight, p.fix("dr-switchover/30-dr-switchover.ps1 (the primary data center serves mgc: a switchover loses nothing), or run this script with -Force"))
	}
	// A mirror left in the primary data center may hold log the backup
	// instance never received: forcing service on it loses less.
	for _, t := range []Target{b.ls.Primary, b.ls.Mirror} {
		o.Preflight = append(o.Preflight, Pred{Kind: KAhead, On: &bk, DB: "mgc", Arg: t.Server, Want: []string{"yes", "unknown"}, Unless: dataLoss.Name,
			Fix: "mirror-failover/10-mirror-failover.ps1 -DataCenter Primary -NewPrincipal " + map[bool]string{true: "Primary", false: "Mirror"}[t.Role == "primary"] + " -ForceServiceAllowDataLoss (that mirror holds more than the backup instance), or run this script with -AcceptDataLoss"})
	}
	o.Ends = b.drEnds()
	o.Notes = []string{"mgccomp was not failed over (Microsoft's design): secure the compliance adapter's output by hand.",
		"When the primary data center is back, fence it before anything else: " + `.\` + winPath("dr-fence/10-fence-primary.ps1") + "."}
	o.Before, o.After = "The primary data center's instances are down; the backup instance restores log shipping (RESTORING).",
		"mgc is served by "+bk.Server+", mirrored to "+b.ops.BackupMirror.Server+"; the pool is FailedOver and the backup data center's servers are active."
	return o
}

// notPartWay is the pre-flight check of the DR scripts that no failback
// stopped part-way, on the copy of mgc in the backup data center a script
// starts from. While the pool is FailedOver that copy serves or is its
// pair's mirror; RESTORING then means a failback's tail-log backup ended
// it (or the state was set by hand), and a failover would take it for the
// log-shipping secondary it was before the drill.
func (b *builder) notPartWay(t Target) Pred {
	return at(t, KDBWritable, "mgc", "writable", "mirror", "unreachable").when("FailedOver").
		fix("a failback stopped part-way: back it out with dr-failback/91-back-out-failback.ps1, or finish it with dr-failback/90-dr-failback.ps1 (if the pool state was set to FailedOver by hand while the primary data center serves, set it back: Set-CsPersistentChatState -PoolState Normal)")
}

// chainIntact is the pre-flight check that the secondary can restore every
// log backup taken of mgc on t since its last restore: one that a backup
// product or a DBA wrote elsewhere (not COPY_ONLY) is a gap the restore job
// stops at (error 4305), and found after the tail-log backup it would leave
// the switchover stuck with chat down.
func (b *builder) chainIntact(t Target, want ...string) Pred {
	sec := b.ls.Secondary
	return Pred{Kind: KChain, On: &t, DB: "mgc", Arg: b.ls.BackupShare, Arg2: sec.Server, Want: want,
		Fix: fmt.Sprintf("a log backup of mgc on %s was written outside the log-shipping folder (named above; the oldest first): stop whatever takes them; let the copy and restore jobs on %s catch up to it, then restore it there by hand, each such backup in order (RESTORE LOG mgc FROM DISK = N'<file>' WITH NORECOVERY; a file on a local disk of %s copied first where %s can read it; one a backup product wrote to its own device restored with that product); the restore job goes on from the next file. Where that cannot be done, re-initialize the secondary (log-shipping/90-reinitialize-secondary.ps1). Then run this script again", t.Server, sec.Server, t.Server, sec.Server)}
}

// cmsAnswers is the pre-flight check that the Central Management store
// answers: every Lync cmdlet the DR scripts use needs it (Lync 2013
// "Failing over a pool": fail the CMS over first when it is not available).
func (b *builder) cmsAnswers() Pred {
	return shell(KCMS, "yes").fix("fail the Central Management store over first (RUNBOOK.md, DR failover: Invoke-CsManagementServerFailover), then run this script again")
}

// drained is the drain check of design decision d, which -AcceptDataLoss
// turns into a warning.
func (b *builder) drained() Pred {
	bk := b.ops.Backup
	return Pred{Kind: KDrained, On: &bk, DB: "mgc", Arg: b.ls.BackupShare, Want: []string{"yes"}, Unless: dataLoss.Name}
}

// dc1NotServing requires that no instance of the primary data center
// serves mgc, unless the switch given accepts the divergence.
func (b *builder) dc1NotServing(unless string) []Pred {
	var out []Pred
	for _, t := range []Target{b.ls.Primary, b.ls.Mirror} {
		p := at(t, KDBWritable, "mgc", notServing...)
		if unless != "" {
			p = p.unless(unless)
		}
		out = append(out, p)
	}
	return out
}

// drainStep runs the copy and restore jobs and checks the drain against
// the share; a failover and a switchover share it.
func (b *builder) drainStep() *Step {
	bk := b.ops.Backup
	return b.sql("dr.drain", fmt.Sprintf("Drains the log chain: runs the copy job, then the restore job, waiting up to %d minutes each; the orchestrator then compares the last restored file with the newest on the share", b.ops.DrainTimeoutMinutes),
		bk, b.drFolder("dr-failover", "10", bk, "drain", "mgc"), "sql/dr/drain.sql.tmpl", "dr.drain", Data{Ops: b.ops, DB: "mgc"}).
		req(at(bk, KDBState, "mgc", "RESTORING"), at(bk, KLSSecondary, "mgc", "enabled", "disabled", "partly enabled")).
		unneeded(b.recovered()...).
		unneeded(poolIs("FailedOver")).
		ens(b.drained()).
		leaves("mgc is still RESTORING on the backup instance; nothing is lost.")
}

// afterRecovery are the steps after the backup instance is recovered:
// FailedOver, the backup data center's mirroring, its servers active.
func (b *builder) afterRecovery() []*Step {
	bk := b.ops.Backup
	state := b.shell("dr.pool.failedover", "Set the pool state to FailedOver: the pool uses the backup databases", Action{Kind: ActionPoolState, Value: "FailedOver"}).
		req(at(bk, KDBWritable, "mgc", "writable")).
		ens(poolIs("FailedOver")).
		leaves("mgc is ONLINE on the backup instance; the pool may still point at the primary databases.")
	out := []*Step{state}
	out = append(out, b.backupMirrorSteps()...)
	out = append(out, b.activate("dr.activate", "Activate the backup data center's servers", b.ops.FailoverActive).
		req(poolIs("FailedOver")))
	// Chat is back; now the logs of the backup pairs get backed up.
	return append(out, b.drLogBackupSteps()...)
}

// backupMirrorSteps mirror each database of the backup data center to its
// partner there: a copy left on the partner by an earlier drill is dropped
// first (Install-CsMirrorDatabase fails on it), and the session is read
// back, because the cmdlet can end with warnings only.
func (b *builder) backupMirrorSteps() []*Step {
	var out []*Step
	for _, pr := range b.backupPairs {
		db, x, y := pr.Database, pr.Principal, pr.Mirror
		paired := at(y, KPartner, db, x.Upper())
		drop := b.sql("dr.drop-stale."+db, fmt.Sprintf("Drops a copy of %s on %s that is in no mirroring session (left by an earlier failover or failback), so that it can be mirrored", db, y.Server),
			y, b.drFolder("dr-failover", "25", y, "drop-stale", db), "sql/dr/drop-stale.sql.tmpl", "dr.drop-stale", Data{Ops: b.ops, DB: db}).
			// OFFLINE is refused by the file too: DROP DATABASE would leave
			// its files on disk.
			req(at(y, KDBWritable, db, "absent", "restoring").fix("look at that copy: it serves, is someone's mirror or is OFFLINE; if it is stale, drop it by hand (an OFFLINE one: delete its files too)")).
			unneeded(paired).
			ens(at(y, KDBState, db, "absent")).
			leaves(fmt.Sprintf("The copy of %s on %s may be dropped; nothing served from it.", db, y.Server))
		pause := b.pauseLogBackup("mirror", x, db, "dr-failover", "24", "so that no log backup of it breaks the seed Install-CsMirrorDatabase takes (the job step after the activation resumes it)").
			unneeded(inSession(x, y, db))
		t := x
		mirror := b.shell("dr.mirror."+db, fmt.Sprintf("Mirror %s of %s to %s (Install-CsMirrorDatabase -DatabaseType %s), then read the session back", db, x.Server, y.Server, DatabaseType(db)),
			Action{Kind: ActionMirror, DatabaseType: DatabaseType(db), DB: db, Principal: &t, Folder: b.ops.BackupSeed}).
			unneeded(inSession(x, y, db)).
			req(at(x, KDBWritable, db, "writable"), jobIs(x, logBackupJob(db), db, "paused-dr", "paused", "disabled", "absent")).
			leaves(fmt.Sprintf("%s is served by %s, possibly without a mirror; no server may be active yet. To give chat back first, without the backup mirror: run this script with -FromStep %s (the step that activates the backup data center's servers), then again from step 1 for the mirror.", db, x.Server, stepOf("dr.activate")))
		if !b.ops.DropExisting {
			// Without -DropExistingDatabasesOnMirror the cmdlet fails on a
			// copy already there.
			mirror.req(at(y, KDBState, db, "absent"))
		}
		mirror.ens(pr.healthy(x, y)...)
		out = append(out, drop, pause, mirror)
	}
	return out
}

// drEnds is the state a DR failover or switchover promises: the pool on
// the backup databases, its servers active, each backup pair mirrored
// (either partner may serve: the pair can fail over by itself).
func (b *builder) drEnds() []Pred {
	out := []Pred{poolIs("FailedOver"), activeIs(b.ops.FailoverActive), at(b.ops.Backup, KLSSecondary, "mgc", "none")}
	for _, pr := range b.backupPairs {
		out = append(out, inSession(pr.Principal, pr.Mirror, pr.Database))
	}
	return append(out, b.drLogBackupEnds()...)
}

// inSession: db on x is in a synchronized session with y, either role.
func inSession(x, y Target, db string) Pred {
	return at(x, KSession, db, "PRINCIPAL SYNCHRONIZED "+y.Upper(), "MIRROR SYNCHRONIZED "+y.Upper()).with(y.Server)
}

// switchoverOp is P5 planned: the primary data center is reachable, so
// its copy ends with a tail-log backup WITH NORECOVERY and nothing is lost.
func (b *builder) switchoverOp() *Operation {
	o := b.op("switchover", PhaseDRSwitchover, "DR switchover to the backup data center, planned (P5, design decision d)", "dr-switchover/30-dr-switchover.ps1")
	bk, pr, pm := b.ops.Backup, b.ls.Primary, b.ls.Mirror
	const dir = "dr-switchover"
	past := b.recovered()
	failedOver := poolIs("FailedOver")
	// Until the tail-log backup nothing has changed that cannot be undone:
	// the paused backup jobs resume and the servers become active again.
	undo := switchoverBackOut
	clear := b.clearActive("dr.switchover.clear").unneeded(past...).unneeded(failedOver).
		backOut(undo).
		leaves("Some servers may still accept connections; mgc is served in the primary data center.")
	stop := func(stage string, t Target) *Step {
		return b.sql("dr.switchover.stop-ls."+t.Role, "Pauses the log-shipping backup job of mgc here, so that no log backup follows the tail-log backup",
			t, b.drFolder(dir, stage, t, "stop-log-shipping", "mgc"), "sql/dr/stop-log-shipping.sql.tmpl", "dr.stop-ls", Data{Ops: b.ops, DB: "mgc"}).
			unneeded(past...).
			unneeded(failedOver).
			ens(at(t, KLSPrimary, "mgc", "paused-dr", "paused", "disabled", "none")).
			backOut(undo).
			leaves("No server is active; mgc is still served in the primary data center.")
	}
	tail := b.sql("dr.switchover.tail", "Removes mirroring (a mirrored principal refuses it), restricts mgc to administrators, then BACKUP LOG WITH NORECOVERY: mgc stops here, RESTORING, so nothing is lost and it cannot diverge",
		pr, b.drFolder(dir, "12", pr, "tail-log", "mgc"), "sql/dr/tail-log.sql.tmpl", "dr.tail", Data{Ops: b.ops, DB: "mgc", File: b.ops.TailFile}).
		req(serveFirst(at(pr, KDBRole, "mgc", "PRINCIPAL", "none")), activeIs(nil), folderExists(b.ops.TailFolder()),
			at(pr, KLSPrimary, "mgc", "paused-dr", "paused", "disabled", "none"), at(pm, KLSPrimary, "mgc", "paused-dr", "paused", "disabled", "none"),
			// Again just before the tail: a backup product may have run
			// since the pre-flight, and after the tail it strands the run.
			b.chainIntact(pr, "intact", "unknown")).
		unneeded(b.tailRestored()).
		unneeded(past...).
		unneeded(failedOver).
		ens(at(pr, KTail, "mgc", "yes").with(b.ops.TailFile), at(pr, KDBWritable, "mgc", notServing...)).
		backOut(undo).
		leaves("mgc may be RESTORING on the primary after its tail-log backup: the pool has no database until the switchover ends, and nothing is lost. If the backup was not taken, mgc is ONLINE, restricted to administrators and without its mirror: the back-out gives it back.")
	restoreTail := b.sql("dr.switchover.restore-tail", "Restores the tail-log backup WITH NORECOVERY after the drain",
		bk, b.drFolder(dir, "20", bk, "restore-tail", "mgc"), "sql/dr/restore-tail.sql.tmpl", "dr.restore-tail", Data{Ops: b.ops, DB: "mgc"}).
		req(at(pr, KTail, "mgc", "yes").with(b.ops.TailFile), b.drainedStrict(), at(bk, KDBState, "mgc", "RESTORING")).
		unneeded(past...).
		unneeded(failedOver).
		ens(b.tailRestored()).
		leaves("mgc is RESTORING on the backup instance and on the primary; nothing is lost.")
	recov := b.sql("dr.switchover.recover", "Applies the tail-log backup if it is not applied yet, removes the secondary's log-shipping configuration, ends the sessions and brings mgc online (RESTORE DATABASE mgc WITH RECOVERY)",
		bk, b.drFolder(dir, "30", bk, "recover", "mgc"), "sql/dr/recover.sql.tmpl", "dr.recover-tail", Data{Ops: b.ops, DB: "mgc", File: b.ops.TailFile}).
		req(b.tailRestored(), at(bk, KDBState, "mgc", "RESTORING", "ONLINE")).
		req(b.dc1NotServing("")...).
		unneeded(failedOver).
		ens(past...).
		pointOfNoReturn().
		leaves("mgc may be ONLINE or still RESTORING on the backup instance; the pool still points at the primary databases.")
	o.add(clear, stop("10", pm), stop("11", pr), tail, b.drainStep(), restoreTail, recov)
	o.add(b.afterRecovery()...)
	lostAfterTail := "; if the primary data center was lost after this script's tail-log backup, run dr-failover/30-dr-failover.ps1 instead (its step 2 applies the tail)"
	primaryServes := serveFirst(at(pr, KDBRole, "mgc", "PRINCIPAL", "none"))
	primaryServes.Fix += lostAfterTail
	o.Preflight = []Pred{at(bk, KDBState, "mgc", "RESTORING", "ONLINE"), b.notPartWay(bk),
		primaryServes,
		// Checked before the outage starts, not at the step that needs it.
		folderExists(b.ops.TailFolder()),
		b.chainIntact(pr, "intact", "unknown"), b.chainIntact(b.ls.Mirror, "intact", "unknown", "unreachable")}
	o.Ends = b.drEnds()
	o.Notes = []string{"mgccomp was not failed over (Microsoft's design): secure the compliance adapter's output by hand."}
	o.Before, o.After = "mgc is served by "+pr.Server+" and log shipped to "+bk.Server+"; the primary data center's servers are active.",
		"mgc is served by "+bk.Server+", mirrored to "+b.ops.BackupMirror.Server+"; "+pr.Server+" is RESTORING after its tail-log backup; the pool is FailedOver."
	return o
}

// tailApplies reads whether the switchover's tail-log file continues what
// the backup instance restored (backup.applies).
func (b *builder) tailApplies(want ...string) Pred {
	bk := b.ops.Backup
	return Pred{Kind: KApplies, On: &bk, DB: "mgc", Arg: b.ops.TailFile, Want: want}
}

// tailApplied: no switchover tail-log backup on the share is left that the
// backup instance could still apply (-AcceptDataLoss recovers without it).
func (b *builder) tailApplied() Pred {
	return b.tailApplies("no", "missing").unless(dataLoss.Name).
		fix("dr-failover/30-dr-failover.ps1 -FromStep 2 (it applies the switchover's tail-log backup), or run this script with -AcceptDataLoss to recover without it")
}

// tailRestored says the backup instance's last restore is the backup set
// in the switchover's tail-log file: the file name is reused by every
// switchover, so only its backup set identifies this one.
func (b *builder) tailRestored() Pred {
	bk := b.ops.Backup
	return Pred{Kind: KBackupFile, On: &bk, DB: "mgc", Arg: b.ops.TailFile, Arg2: "restored", Want: []string{"yes"}}
}

// drainedStrict is the drain check without the data-loss switch: the
// switchover has the share and must restore everything.
func (b *builder) drainedStrict() Pred {
	p := b.drained()
	p.Unless = ""
	return p
}

// switchoverBackOut is the back-out of a switchover until its tail-log
// backup: nothing has changed then that cannot be undone.
const switchoverBackOut = "dr-switchover/31-back-out-switchover.ps1"

// switchoverBackOutOp resumes the log-shipping backup jobs a switchover
// paused, on the primary and on its mirror (the mirror's job is what ships
// after a mirror failover: Microsoft's log-shipping set-up on the mirror,
// P4), then makes the primary data center's servers active again.
func (b *builder) switchoverBackOutOp() *Operation {
	o := b.op("switchover-backout", PhaseDRSwitchover, "backing out of a DR switchover before its tail-log backup", switchoverBackOut)
	pr := b.ls.Primary
	for _, t := range []Target{pr, b.ls.Mirror} {
		o.add(b.sql("dr.switchover.resume-ls."+t.Role, "Resumes the log-shipping backup job of mgc here if a DR switchover or fence paused it",
			t, b.drFolder("dr-switchover", "31", t, "resume-log-shipping", "mgc"), "sql/dr/resume-log-shipping.sql.tmpl", "dr.resume-ls", Data{Ops: b.ops, DB: "mgc"}).
			// Only a DR script's pause is undone (a seed's is the partner
			// step's to resume).
			ens(at(t, KLSPrimary, "mgc", "enabled", "paused", "disabled", "none")).
			leaves("No server may be active; mgc is still served in the primary data center."))
	}
	// The tail-log step restricts mgc and removes mirroring before its
	// backup: if the backup failed, both are undone here.
	o.add(b.sql("dr.switchover.multi-user", "Gives mgc back to the pool servers (MULTI_USER) if the switchover's tail-log step restricted it and its backup was not taken",
		pr, b.drFolder("dr-switchover", "32", pr, "multi-user", "mgc"), "sql/dr/multi-user.sql.tmpl", "dr.multi-user", Data{Ops: b.ops, DB: "mgc"}).
		req(serveFirst(at(pr, KDBRole, "mgc", "PRINCIPAL", "none")), at(pr, KDBState, "mgc", "ONLINE")).
		ens(at(pr, KDBWritable, "mgc", "writable")).
		// The tail-log step removes mirroring before it restricts mgc: a
		// session still in place (failed over to the mirror meanwhile, say)
		// was never restricted, and the servers must not wait for it.
		unneeded(at(pr, KPartner, "mgc", b.ls.Mirror.Upper())).
		leaves("No server may be active; mgc is served in the primary data center, perhaps without its mirror."))
	o.add(b.steps["topology.active"])
	// Chat is back; a session the tail-log step removed is seeded again.
	// Only a removed one: a session whose mirror is merely disconnected
	// (rebooting) is left to resume, and the partner step says so.
	o.add(b.pairSteps(b.pairs[0], true)...)
	o.Preflight = []Pred{
		poolIs("Normal").fix("the switchover has passed its point of no return; to come back, run dr-failback/90-dr-failback.ps1"),
		// Unreachable, the primary may be down with the tail taken, or down
		// after its mirror took over (the tail-log step removes mirroring
		// first, so a mirror that serves means no tail was taken): the
		// servers can be made active on the mirror at once.
		at(pr, KTail, "mgc", "no", "absent").with(b.ops.TailFile).fix(fmt.Sprintf("if %s does not answer and mgc is served by %s (mirroring failed over before the tail-log backup), make the servers active now with topology/10-set-normal-active-servers.ps1 and resume log shipping from %s (run %s on it), and run this script when %s is back; otherwise the tail-log backup was taken: mgc on the primary is RESTORING, and only the switchover can finish: dr-switchover/30-dr-switchover.ps1 (if the primary data center was lost after that tail-log backup: dr-failover/30-dr-failover.ps1, whose step 2 applies the tail)", pr.Server, b.ls.Mirror.Server, b.ls.Mirror.Server, winPath(b.drFolder("dr-switchover", "31", b.ls.Mirror, "resume-log-shipping", "mgc")), pr.Server))}
	o.Ends = append([]Pred{poolIs("Normal"), activeIs(b.ops.NormalActive), at(pr, KLSPrimary, "mgc", "enabled", "paused", "disabled", "none"), at(b.ls.Mirror, KLSPrimary, "mgc", "enabled", "paused", "disabled", "none")},
		b.pairs[0].healthy(pr, b.ls.Mirror)...)
	o.Before, o.After = "A switchover stopped or declined before its tail-log backup: no server active, log-shipping backup jobs paused.",
		"mgc is served in the primary data center as before, its log shipping running; the primary data center's servers are active."
	return o
}
