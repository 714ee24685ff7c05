package plan

import (
	"fmt"
	"path"
)

const (
	fenceScript   = "dr-fence/10-fence-primary.ps1"
	failbackDir   = "dr-failback"
	backOutScript = "dr-failback/91-back-out-failback.ps1"
)

// fenced is what failback requires of each instance of the primary data
// center: no copy of mgc there that a pool server could write to, and no
// log-shipping backup job writing a diverged chain into the share.
func (b *builder) fenced(t Target) []Pred {
	return []Pred{
		at(t, KDBWritable, "mgc", notServing...).fix(fenceScript),
		at(t, KLSPrimary, "mgc", "unreachable", "paused-dr", "paused", "disabled", "none").fix(fenceScript),
	}
}

// dc1Instances are the primary data center's instances a failback uses.
func (b *builder) dc1Instances() []Target {
	var out []Target
	seen := map[string]bool{}
	add := func(t Target) {
		if !seen[t.Role] {
			seen[t.Role] = true
			out = append(out, t)
		}
	}
	for _, p := range b.pairs {
		add(p.Principal)
		add(p.Mirror)
		if p.Witness != nil {
			add(*p.Witness)
		}
	}
	return out
}

// fenceOp fences the primary data center after an unplanned failover,
// when it comes back with a copy of mgc that diverged (design: issue 11).
func (b *builder) fenceOp() *Operation {
	o := b.op("fence", PhaseDRFence, "fencing the primary data center after a DR failover", fenceScript)
	for _, t := range []Target{b.ls.Primary, b.ls.Mirror} {
		o.add(b.sql("dr.fence."+t.Role, "Fences mgc here: pauses its log-shipping backup job, removes a mirroring session, then keeps what it diverged in a tail-log backup WITH NORECOVERY (or takes it OFFLINE when that fails)",
			t, b.drFolder("dr-fence", "10", t, "fence", "mgc"), "sql/dr/fence.sql.tmpl", "dr.fence", Data{Ops: b.ops, DB: "mgc"}).
			req(folderExists(b.ops.DivergedFolder)).
			ens(b.fenced(t)...).
			leaves(fmt.Sprintf("mgc on %s may be fenced in part; the pool uses the backup data center.", t.Server)))
	}
	o.Preflight = []Pred{poolIs("FailedOver").fix("no fence is needed while the pool is Normal")}
	o.Ends = append(b.fenced(b.ls.Primary), b.fenced(b.ls.Mirror)...)
	o.Notes = []string{"The primary data center cannot write to mgc or to the log-shipping share any more. Fail back with " + `.\` + winPath(failbackDir+"/90-dr-failback.ps1") + " once it is rebuilt."}
	o.Before, o.After = "The pool is FailedOver; the primary data center came back, possibly serving a diverged mgc.",
		"No copy of mgc in the primary data center can be written to; what diverged is kept in "+b.ops.DivergedFolder+"."
	return o
}

// failbackOp is P6 (design decisions e and n), with the backup's copy
// ended by a tail-log backup WITH NORECOVERY after the full backup: the
// primary restores both, so nothing written in between is lost, and the
// backup instance is left RESTORING at exactly that point, an initialized
// log-shipping secondary ("Change Roles Between Primary and Secondary Log
// Shipping Servers"), so it is never re-seeded over.
func (b *builder) failbackOp() *Operation {
	o := b.op("failback", PhaseDRFailback, "DR failback to the primary data center (P6, design decisions e and n)", failbackDir+"/90-dr-failback.ps1")
	bk, pr, pm := b.ops.Backup, b.ls.Primary, b.ls.Mirror
	normal := poolIs("Normal")
	// The tail file's name is reused by every failback: only its backup set
	// says whether the primary restored this failback's tail.
	restoredTail := Pred{Kind: KBackupFile, On: &pr, DB: "mgc", Arg: b.ops.FailbackTail, Arg2: "restored", Want: []string{"yes"}}
	tailTaken := at(bk, KTail, "mgc", "yes").with(b.ops.FailbackTail)
	dc2 := b.backupPairs[0]

	// The backup data center's pair may have failed over while the primary
	// data center was rebuilt: failback starts from the backup instance, so
	// the pair fails back there first (planned, SYNCHRONIZED required).
	bmir := dc2.Mirror
	fo := Failover{Pair: dc2, Here: bmir, Other: bk}
	makeBackupPrincipal := b.sql("dr.failback.backup-principal", "If the backup mirror serves mgc, fails it back to the backup instance (SET PARTNER FAILOVER on the backup mirror)",
		bmir, b.drFolder(failbackDir, "05", bmir, "planned-failback", "mgc"), "sql/mirror-failover/planned.sql.tmpl", "mf.planned", Data{Failover: &fo, DB: "mgc"}).
		req(at(bmir, KDBRole, "mgc", "PRINCIPAL"), at(bmir, KMirrorState, "mgc", "SYNCHRONIZED"), at(bmir, KPartner, "mgc", bk.Upper())).
		ens(at(bmir, KDBRole, "mgc", "MIRROR"), at(bmir, KPartner, "mgc", bk.Upper()), at(bk, KDBState, "mgc", "ONLINE")).
		unneeded(at(bk, KDBWritable, "mgc", "writable")).
		unneeded(normal).
		unneeded(tailTaken).
		leaves("mgc may be between roles in the backup data center; it is served by whichever partner reports PRINCIPAL.")
	clear := b.clearActive("dr.failback.clear").
		req(b.fenced(pr)...).req(b.fenced(pm)...).
		unneeded(normal).
		unneeded(tailTaken).
		backOut(backOutScript).
		leaves("Some servers may still accept connections; mgc is served in the backup data center.")
	o.add(makeBackupPrincipal, clear)
	for _, p := range b.backupPairs {
		o.add(b.sql("dr.failback.partner-off."+p.Database, fmt.Sprintf("Removes the mirroring session of %s in the backup data center (SET PARTNER OFF; %s stays RESTORING)", p.Database, p.Mirror.Server),
			p.Principal, b.drFolder(failbackDir, "10", p.Principal, "partner-off", p.Database), "sql/dr/partner-off.sql.tmpl", "dr.partner-off", Data{Ops: b.ops, DB: p.Database}).
			ens(at(p.Principal, KPartner, p.Database, "none")).
			req(at(p.Principal, KDBRole, p.Database, "PRINCIPAL", "none", "MIRROR")).
			unneeded(normal).
			unneeded(tailTaken).
			backOut(backOutScript).
			leaves(fmt.Sprintf("No server is active; %s is served by %s, perhaps without its mirror.", p.Database, p.Principal.Server)))
	}
	pause := b.pauseLogBackup("failback", bk, "mgc", failbackDir, "15", "so that no log backup falls between the failback's full backup and its tail-log backup (the primary restores the one, then the other)").
		unneeded(normal).
		unneeded(tailTaken).
		backOut(backOutScript).
		leaves("No server is active; mgc is ONLINE on the backup instance, its log backups paused (the back-out resumes them).")
	o.add(pause)
	jobPaused := jobIs(bk, logBackupJob("mgc"), "mgc", "paused-dr", "paused", "disabled", "absent")
	full := b.sql("dr.failback.backup", "Full backup of mgc on the backup instance to the log-shipping share, for the primary to restore",
		bk, b.drFolder(failbackDir, "20", bk, "failback-backup", "mgc"), "sql/dr/failback-backup.sql.tmpl", "dr.failback-backup", Data{Ops: b.ops, DB: "mgc"}).
		req(activeIs(nil), at(bk, KPartner, "mgc", "none"), at(bk, KDBState, "mgc", "ONLINE"), jobPaused).
		unneeded(tailTaken).
		unneeded(normal).
		ens(at(bk, KBackupCurrent, "mgc", "yes").with(b.ops.FailbackFile), Pred{Kind: KBackupFile, On: &bk, DB: "mgc", Arg: b.ops.FailbackFile, Arg2: "taken", Want: []string{"yes"}}).
		backOut(backOutScript).
		leaves("No server is active; mgc is ONLINE on the backup instance.")
	tail := b.sql("dr.failback.tail", "Restricts mgc to administrators, then BACKUP LOG WITH NORECOVERY: the backup's mgc stops here, RESTORING, with everything since the full backup in the tail",
		bk, b.drFolder(failbackDir, "25", bk, "failback-tail", "mgc"), "sql/dr/tail-log.sql.tmpl", "dr.tail", Data{Ops: b.ops, DB: "mgc", File: b.ops.FailbackTail}).
		req(activeIs(nil), at(bk, KBackupCurrent, "mgc", "yes").with(b.ops.FailbackFile), at(bk, KPartner, "mgc", "none"), folderExists(b.ops.TailFolder()), jobPaused).
		unneeded(normal).
		ens(tailTaken, at(bk, KDBState, "mgc", "RESTORING")).
		backOut(backOutScript).
		leaves("The backup's mgc is RESTORING after the failback tail-log backup: chat is down until the failback completes or is backed out. Nothing is lost.")
	o.add(full, tail)
	// The tail file's name is reused by every failback, and after a drill
	// the primary last restored the previous one: only together with the
	// backup instance still ending at that tail does it mean this
	// failback's restore is done.
	past := []Pred{restoredTail, tailTaken}
	for _, t := range []Target{pr, pm} {
		o.add(b.sql("dr.failback.clean."+t.Role, "Removes stale state from before the failover: a leftover mirroring session, then the log-shipping primary_secondary and primary_database entries (design decision e)",
			t, b.drFolder(failbackDir, "30", t, "clean", "mgc"), "sql/dr/clean-primary.sql.tmpl", "dr.clean-primary", Data{Ops: b.ops, DB: "mgc"}).
			ens(at(t, KPartner, "mgc", "none"), at(t, KLSPrimary, "mgc", "none")).
			unneeded(past...).
			unneeded(normal).
			backOut(backOutScript).
			leaves("The backup's mgc is RESTORING after the failback tail-log backup; nothing is lost."))
	}
	restore := b.sql("dr.failback.restore", "Restores the failback full backup WITH NORECOVERY, REPLACE, then the failback tail-log backup WITH RECOVERY: mgc is ONLINE on the primary with everything the backup had",
		pr, b.drFolder(failbackDir, "40", pr, "restore", "mgc"), "sql/dr/restore-primary.sql.tmpl", "dr.restore-primary", Data{Ops: b.ops, DB: "mgc"}).
		req(tailTaken, Pred{Kind: KBackupFile, On: &bk, DB: "mgc", Arg: b.ops.FailbackFile, Arg2: "taken", Want: []string{"yes"}},
			at(pr, KPartner, "mgc", "none"), at(pr, KDBWritable, "mgc", "absent", "restoring", "offline", "read-only", "restricted").fix(fenceScript)).
		unneeded(normal).
		unneeded(past...).
		ens(restoredTail, at(pr, KDBState, "mgc", "ONLINE"), at(pr, KDBWritable, "mgc", "writable")).
		backOut(backOutScript).
		leaves("mgc on the primary may be partly restored; the backup's mgc is RESTORING with everything.")
	archive := b.shell("dr.failback.archive", "Moves the old chain's log backups out of the log-shipping share folder and the copy folder (into archive\\), so that no copy or restore job takes them up again",
		Action{Kind: ActionArchive, DB: "mgc", Folder: b.ls.BackupShare, To: b.ops.ArchiveFolder, Principal: &bk, Pattern: b.ops.FailbackTail}).
		req(tailTaken).
		unneeded(normal).
		ens(Pred{Kind: KOldChain, On: &bk, DB: "mgc", Arg: b.ops.FailbackTail, Arg2: b.ls.BackupShare, Want: []string{"none"}}).
		backOut(backOutScript)
	o.add(restore, archive)
	// Log shipping again before the pool moves, as Microsoft's failback
	// does: the backup instance is an initialized secondary. The
	// primary's side is this operation's own step: unlike the set-up's,
	// it does not wait for mirroring, which follows once chat is back (a
	// mirroring seed pauses the log-shipping backup job it would break).
	l := b.ls
	lsPrimary := b.sql("dr.failback.ls-primary", "Primary side on the principal: sp_add_log_shipping_primary_database (or sp_change_... on drift), the backup job schedule, the alert job, the job enabled, and the backup instance registered as secondary",
		pr, path.Join(failbackDir, fmt.Sprintf("50-%s-ls-primary-mgc.sql", pr.Slug)), "sql/log-shipping/primary.sql.tmpl", "ls.primary", Data{LogShip: &l, DB: "mgc"}).
		req(at(pr, KDBRole, "mgc", "PRINCIPAL", "none"), at(pr, KDBState, "mgc", "ONLINE"), at(pr, KDBRecovery, "mgc", "FULL")).
		unneeded(normal).
		ens(at(pr, KLSPrimary, "mgc", "enabled"), at(pr, KLSPrimarySec, "mgc", "registered").with(l.Secondary.SQLName())).
		backOut(backOutScript).
		leaves("mgc is ONLINE on the primary, no server active; the backup's mgc is RESTORING with everything.")
	o.add(lsPrimary, b.steps["ls.secondary"])
	state := b.shell("dr.pool.normal", "Set the pool state to Normal (design decision n: before the active servers), so the pool uses the primary data center again",
		Action{Kind: ActionPoolState, Value: "Normal"}).
		// Both sides of log shipping before the point of no return: once
		// Normal, the failback's log-shipping steps are not needed again.
		req(restoredTail, tailTaken, at(pr, KDBRole, "mgc", "PRINCIPAL", "none"), at(pr, KDBWritable, "mgc", "writable"), at(pr, KLSPrimary, "mgc", "enabled"), at(bk, KLSSecondary, "mgc", "enabled")).
		ens(normal).
		pointOfNoReturn().
		backOut(backOutScript).
		leaves("mgc is served by the primary (no server active); the backup instance is its log-shipping secondary again.")
	o.add(state, b.steps["topology.active"])
	// Chat is back; the primary data center's mirroring follows, then the
	// primary mirror as a second log-shipping primary (P4, with its two
	// short outages, now that the pool uses the primary databases). A
	// rebuilt primary data center may have lost its endpoints and logins
	// too: the mirroring set-up's steps check them first.
	o.add(b.endpointSteps()...)
	for _, p := range b.pairs {
		o.add(b.pairSteps(p, true)...)
	}
	o.add(b.dc1LogBackupSteps()...)
	o.add(b.p.Operation("mirror-log-shipping").Steps...)
	// The backup data center's databases are out of use again: their log
	// backup jobs go (the files stay).
	for _, pr := range b.backupPairs {
		for _, t := range []Target{pr.Principal, pr.Mirror} {
			o.add(b.removeLogBackup(t, pr.Database, failbackDir, "96"))
		}
	}
	o.Ends = []Pred{normal, activeIs(b.ops.NormalActive), at(pr, KLSPrimary, "mgc", "enabled"), at(bk, KLSSecondary, "mgc", "enabled")}
	o.Ends = append(o.Ends, b.pairs[0].healthy(pr, pm)...)
	o.Preflight = []Pred{{Kind: KReachable, On: &bk, Want: []string{"yes"}, Fix: "bring the backup instance back: the failback starts from its copy of mgc"},
		at(bk, KDBState, "mgc", "ONLINE", "RESTORING").fix("log-shipping/00-set-up-log-shipping.ps1")}
	// The primary data center must be back, and fenced, before the outage
	// starts (Microsoft's failback begins once it is rebuilt and its
	// databases reinstalled): otherwise the run would stop after the
	// backup's mgc is RESTORING, with chat down.
	for _, t := range b.dc1Instances() {
		o.Preflight = append(o.Preflight, Pred{Kind: KReachable, On: &t, Want: []string{"yes"}, Fix: "bring the instance back (the primary data center rebuilt): the failback restores and mirrors there"})
	}
	// The fence itself is the clear step's requirement, not the
	// pre-flight's: once this failback restored mgc on the primary, that
	// copy serves by design, and a re-run must not send the operator to
	// fence it.
	for _, p := range b.pairs[1:] {
		o.Preflight = append(o.Preflight, at(p.Principal, KDBState, p.Database, "ONLINE").
			fix(fmt.Sprintf("if %s serves %s after a mirror failover, fail it back first: mirror-failover/10-mirror-failover.ps1 -DataCenter Primary -NewPrincipal Primary -UseTSql -Database %s (T-SQL: the pool is FailedOver); if the primary data center was rebuilt, install it first: Install-CsDatabase -ConfiguredDatabases -SqlServerFqdn %s (or Topology Builder: Install Database); then this script again", p.Mirror.Server, p.Database, p.Database, p.Principal.FQDN)))
	}
	o.Notes = []string{"Run " + `.\` + winPath("log-shipping/80-check-log-shipping.ps1") + " after one backup, copy and restore interval."}
	o.Before, o.After = "mgc is served by "+bk.Server+"; the pool is FailedOver; the primary data center is rebuilt and fenced.",
		"mgc is served by "+pr.Server+", mirrored to "+pm.Server+" and log shipped to "+bk.Server+"; the pool is Normal and the primary data center's servers are active."
	return o
}

// backOutOp returns service to the backup data center from a failback
// stopped before its point of no return: the backup's mgc usable again,
// the pool state unchanged (FailedOver), the backup data center's servers
// active.
func (b *builder) backOutOp() *Operation {
	o := b.op("failback-backout", PhaseDRFailback, "backing out of a DR failback", backOutScript)
	bk := b.ops.Backup
	o.add(b.steps["dr.failback.backup-principal"])
	for _, t := range []Target{b.ls.Primary, b.ls.Mirror} {
		o.add(b.sql("dr.backout.primary."+t.Role, "Stops the primary data center shipping mgc: removes this instance's log-shipping primary configuration and mirroring, and takes a copy of mgc that serves OFFLINE",
			t, b.drFolder(failbackDir, "91", t, "back-out", "mgc"), "sql/dr/back-out-primary.sql.tmpl", "dr.backout-primary", Data{Ops: b.ops, DB: "mgc"}).
			ens(at(t, KLSPrimary, "mgc", "unreachable", "none"), at(t, KDBWritable, "mgc", notServing...)).
			leaves("The primary data center may still be configured in part; no server is active."))
	}
	o.add(b.sql("dr.backout.backup", "Brings the backup's mgc back into service: removes its log-shipping secondary configuration and recovers it (RESTORE DATABASE mgc WITH RECOVERY)",
		bk, b.drFolder(failbackDir, "92", bk, "back-out", "mgc"), "sql/dr/recover.sql.tmpl", "dr.recover", Data{Ops: b.ops, DB: "mgc"}).
		req(b.dc1NotServing("")...).
		req(poolIs("FailedOver")).
		ens(b.recovered()...).
		leaves("mgc may be ONLINE or still RESTORING on the backup instance; no server is active."))
	o.add(b.backupMirrorSteps()...)
	o.add(b.steps["dr.activate"])
	o.add(b.drLogBackupSteps()...)
	o.Preflight = []Pred{poolIs("FailedOver").fix("the failback is past its point of no return; to move to the backup data center again, run dr-switchover/30-dr-switchover.ps1")}
	o.Ends = b.drEnds()
	o.Before, o.After = "A failback stopped before its point of no return: no server active, the backup's mgc perhaps RESTORING.",
		"mgc is served by "+bk.Server+" again, mirrored; the pool is FailedOver and the backup data center's servers are active."
	return o
}
