package plan

import (
	"fmt"
	"path"

	"pchat-hadr/generator/site"
)

// drFiles plans DR failover (P5), switchover (P5 planned, design decision
// d) and failback (P6, design decisions e and n).
func drFiles(s *site.Site, o *Ops, mirroring, ls []File) []File {
	b, pm, pr := o.Backup, o.Pairs[0].Mirror, o.Pairs[0].Principal
	const fo, so, fb = "dr-failover", "dr-switchover", "dr-failback"
	drain := opsFile(fo, sqlName(10, b, "drain", "mgc"), "sql/dr/drain.sql.tmpl", PhaseDRFailover, b, Data{Ops: o},
		fmt.Sprintf("Drains the log chain: runs the copy job, waits, then the restore job, waits (up to %d minutes each), and reports the last copied and restored files", o.DrainTimeoutMinutes),
		"Both jobs report success; note the last restored file for the next check.")
	recov := opsFile(fo, sqlName(20, b, "recover", "mgc"), "sql/dr/recover.sql.tmpl", PhaseDRFailover, b, Data{Ops: o},
		"POINT OF NO RETURN. Removes the secondary's log-shipping configuration, ends sessions on mgc and brings it online: RESTORE DATABASE mgc WITH RECOVERY",
		"mgc is ONLINE on the backup instance.")
	stopLS := opsFile(so, sqlName(10, pm, "stop-log-shipping", "mgc"), "sql/dr/stop-log-shipping.sql.tmpl", PhaseDRSwitchover, pm, Data{Ops: o},
		"Disables the log-shipping backup job on the primary mirror, so that no log backup follows the tail-log backup",
		"The job is reported disabled (or absent).")
	tail := opsFile(so, sqlName(11, pr, "tail-log", "mgc"), "sql/dr/tail-log.sql.tmpl", PhaseDRSwitchover, pr, Data{Ops: o},
		"Disables the log-shipping backup job, removes mirroring (a mirrored database refuses a tail-log backup), then BACKUP LOG WITH NORECOVERY: mgc stops here, RESTORING, so nothing is lost and it cannot diverge",
		"mgc is RESTORING on the primary and the tail-log backup is written.")
	restoreTail := opsFile(so, sqlName(20, b, "restore-tail", "mgc"), "sql/dr/restore-tail.sql.tmpl", PhaseDRSwitchover, b, Data{Ops: o},
		"Restores the tail-log backup WITH NORECOVERY after the drain (skipped if restorehistory already lists it)",
		"The output shows the tail restored or already restored.")
	o.Drain, o.Recover = runOf(fo, drain, "mgc"), runOf(fo, recov, "mgc")
	o.SwitchoverDrain, o.SwitchoverRecover = runOf(so, drain, "mgc"), runOf(so, recov, "mgc")
	o.StopMirrorLS, o.TailLog, o.RestoreTail = runOf(so, stopLS, "mgc"), runOf(so, tail, "mgc"), runOf(so, restoreTail, "mgc")
	failover := opsFile(fo, "30-dr-failover.ps1", "ps/dr/failover.ps1.tmpl", PhaseDRFailover, Shell, Data{Ops: o},
		"Unplanned DR failover, the primary data center down: drain, verify the last restored file is the newest on the share (or -AcceptDataLoss), recover, pool state FailedOver, mirror the backup (Install-CsMirrorDatabase), activate the backup data center's servers. Run with -WhatIf first",
		"It ends with \"Done\"; Get-CsPersistentChatState shows FailedOver and the servers of the backup data center are active.")
	switchover := opsFile(so, "30-dr-switchover.ps1", "ps/dr/failover.ps1.tmpl", PhaseDRSwitchover, Shell, Data{Ops: o, Planned: true},
		"Planned DR switchover, the primary data center reachable: clear the active servers, stop log shipping, tail-log backup WITH NORECOVERY, drain, restore the tail, recover, pool state FailedOver, mirror the backup, activate the backup data center's servers. Run with -WhatIf first",
		"It ends with \"Done\"; no transaction is lost; the pool runs in the backup data center.")
	for _, f := range []*File{&drain, &recov} {
		f.Step.RunBy = failover.Path + " and " + switchover.Path
	}
	for _, f := range []*File{&stopLS, &tail, &restoreTail} {
		f.Step.RunBy = switchover.Path
	}
	// The orchestrator comes first: it is what the operator runs; the
	// .sql files after it are what it runs, in order.
	out := []File{failover, drain, recov, switchover, stopLS, tail, restoreTail}
	return append(out, failbackFiles(o, mirroring, ls)...)
}

func failbackFiles(o *Ops, mirroring, ls []File) []File {
	const dir = "dr-failback"
	b, pr, pm := o.Backup, o.Pairs[0].Principal, o.Pairs[0].Mirror
	var out []File
	o.PartnerOff = nil
	partnerOff := func(t Target, db string) {
		f := opsFile(dir, sqlName(10, t, "partner-off", db), "sql/dr/partner-off.sql.tmpl", PhaseDRFailback, t, Data{Ops: o, DB: db},
			fmt.Sprintf("Removes the mirroring session of %s in the backup data center, if any (SET PARTNER OFF)", db),
			fmt.Sprintf("%s is not mirrored on %s.", db, t.Server))
		out = append(out, f)
		o.PartnerOff = append(o.PartnerOff, runOf(dir, f, db))
	}
	partnerOff(b, "mgc")
	if o.ComplianceBackup != nil {
		partnerOff(*o.ComplianceBackup, "mgccomp")
	}
	full := opsFile(dir, sqlName(20, b, "failback-backup", "mgc"), "sql/dr/failback-backup.sql.tmpl", PhaseDRFailback, b, Data{Ops: o},
		"Full backup of mgc on the backup instance to the log-shipping share, to restore on the primary",
		"mgc_failback.bak is in the share's mgc folder.")
	out = append(out, full)
	o.FailbackBackup = runOf(dir, full, "mgc")
	o.Clean = nil
	for _, t := range []Target{pr, pm} {
		f := opsFile(dir, sqlName(30, t, "clean", "mgc"), "sql/dr/clean-primary.sql.tmpl", PhaseDRFailback, t, Data{Ops: o},
			"Removes stale state from before the failover: a leftover mirroring session, then the log-shipping primary_secondary and primary_database entries (design decision e)",
			"Each item reports removed or already absent.")
		out = append(out, f)
		o.Clean = append(o.Clean, runOf(dir, f, "mgc"))
	}
	restore := opsFile(dir, sqlName(40, pr, "restore", "mgc"), "sql/dr/restore-primary.sql.tmpl", PhaseDRFailback, pr, Data{Ops: o},
		"Restores the failback backup over mgc on the primary WITH REPLACE, RECOVERY",
		"mgc is ONLINE on the primary.")
	cleanSec := opsFile(dir, sqlName(50, b, "clean-secondary", "mgc"), "sql/dr/clean-secondary.sql.tmpl", PhaseDRFailback, b, Data{Ops: o},
		"Removes leftover log-shipping secondary entries on the backup instance",
		"Each item reports removed or already absent.")
	reseedLS := o.LogShip
	reseedLS.Reinitialize = true
	reseed := opsFile(dir, sqlName(60, b, "reseed", "mgc"), "sql/log-shipping/init-restore.sql.tmpl", PhaseDRFailback, b, Data{LogShip: &reseedLS},
		"Re-seeds the backup as a log-shipping secondary: restores the initializing backup over the online mgc WITH NORECOVERY, REPLACE. Only after the primary's restore succeeded",
		"mgc is RESTORING on the backup instance.")
	out = append(out, restore, cleanSec, reseed)
	o.RestorePrimary, o.CleanSecondary, o.Reseed = runOf(dir, restore, "mgc"), runOf(dir, cleanSec, "mgc"), runOf(dir, reseed, "mgc")
	// Failback re-seeds the mirror even over an ONLINE copy that the
	// rebuild left there (design decision e): its own variant of the
	// mirroring restore script, with replacement on.
	o.Mirroring = nil
	for _, f := range mirroring {
		if f.Template == "sql/mirroring/restore.sql.tmpl" {
			pr := *f.Data.Pair
			pr.Replace = true
			v := opsFile(dir, sqlName(70, f.Step.Target, "reseed-mirror", pr.Database), f.Template, PhaseDRFailback, f.Step.Target, Data{Pair: &pr},
				fmt.Sprintf("Restores the seed of %s on the mirror WITH NORECOVERY, REPLACE even over an ONLINE copy, and sets its partner: the failback variant of the mirroring restore script", pr.Database),
				f.Step.Check)
			out = append(out, v)
			f = v
		}
		o.Mirroring = append(o.Mirroring, runOf(dir, f, ""))
	}
	for _, f := range ls {
		switch {
		case f.Step.Target.Role == "primary" && f.Template == "sql/log-shipping/init-backup.sql.tmpl":
			o.LSInitBackup = runOf(dir, f, "mgc")
		case f.Step.Target.Role == "primary" && f.Template == "sql/log-shipping/primary.sql.tmpl":
			o.LSPrimary = runOf(dir, f, "mgc")
		case f.Template == "sql/log-shipping/secondary.sql.tmpl":
			o.LSSecondary = runOf(dir, f, "mgc")
		case f.Template == "ps/log-shipping/configure-mirror.ps1.tmpl":
			o.ConfigureMirrorLS = runOf(dir, f, "").File
		}
	}
	for i := range out {
		out[i].Step.RunBy = path.Join(dir, "90-dr-failback.ps1")
	}
	ps := opsFile(dir, "90-dr-failback.ps1", "ps/dr/failback.ps1.tmpl", PhaseDRFailback, Shell, Data{Ops: o},
		"DR failback once the primary data center is rebuilt: clear the active servers, remove the backup's mirroring, back up mgc there, clean stale metadata, restore on the primary, re-establish mirroring, log shipping (re-seeding the backup) and log shipping from the mirror, pool state Normal, then the normal active servers. Run with -WhatIf first",
		"It ends with \"Done\"; the pool state is Normal and the primary data center's servers are active.")
	return append([]File{ps}, out...)
}
