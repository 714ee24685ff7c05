package model

import (
	"fmt"
	"strings"

	"pchat-hadr/generator/plan"
)

// An op is the body of a reviewed .sql file: its own checks and the
// statements it runs, in the template's order (templates/sql/...). The
// statements' effects and refusals are the transitions of sqlserver.go;
// what is written here is only the script's logic. Each returns the error
// that would make sqlcmd -b exit non-zero.
type op func(x *opCtx) error

type opCtx struct {
	m    *Model
	s    *State
	st   *plan.Step
	i    int // the instance the file runs on
	data plan.Data
}

func (x *opCtx) db() string {
	switch {
	case x.data.Pair != nil:
		return x.data.Pair.Database
	case x.data.Failover != nil:
		return x.data.Failover.Database
	case x.data.DB != "":
		return x.data.DB
	}
	return "mgc"
}

func (x *opCtx) d() *Database { return x.s.db(x.i, x.db()) }

// setAccess is ALTER DATABASE SET <mode> WITH ROLLBACK IMMEDIATE from a
// session in master, as the scripts run it: SINGLE_USER leaves its one
// connection to whoever connects first, and a copy the pool's running
// servers reach is reconnected to at once (assumption single-user-race).
func (x *opCtx) setAccess(name, mode string) error {
	if err := x.s.SetAccess(x.i, name, mode); err != nil {
		return err
	}
	if mode == SingleUser && name == "mgc" && x.m.serversUp(x.s) && x.m.reaches(x.s, x.i) {
		x.s.db(x.i, name).Sessions = true
	}
	return nil
}

func fail(format string, args ...any) error { return fmt.Errorf(format, args...) }

// ops maps each step's Action.Op to its body.
var ops = map[string]op{
	"mirroring.endpoint":    opEndpoint,
	"mirroring.seed":        opSeed,
	"mirroring.restore":     opMirrorRestore,
	"mirroring.clear-stale": opClearStale,
	"mirroring.partner":     opPartner,
	"mirroring.verify":      opVerify,
	"ls.init-backup":        opInitBackup,
	"ls.init-restore":       opInitRestore,
	"ls.primary":            opLSPrimary,
	"ls.secondary":          opLSSecondary,
	"ls.monitor":            func(*opCtx) error { return nil },
	"ls.backup-run":         opBackupRun,
	"mf.planned":            opPlanned,
	"mf.force":              opForce,
	"dr.drain":              opDrain,
	"dr.recover":            opRecover,
	"dr.recover-tail":       opRecover,
	"dr.stop-ls":            opStopLS,
	"dr.resume-ls":          opResumeLS,
	"dr.multi-user":         opMultiUser,
	"dr.tail":               opTail,
	"dr.restore-tail":       opRestoreTail,
	"dr.drop-stale":         opDropStale,
	"dr.fence":              opFence,
	"dr.partner-off":        opPartnerOff,
	"dr.failback-backup":    opFailbackBackup,
	"dr.clean-primary":      opCleanPrimary,
	"dr.restore-primary":    opRestorePrimary,
	"dr.backout-primary":    opBackOutPrimary,
	"logbackup.job":         opLogJob,
	"logbackup.pause":       opLogPause,
	"logbackup.remove":      opLogRemove,
}

// templates/sql/log-backups/job.sql.tmpl: the job created or brought in
// line, then enabled unless a seed paused it and the database has no
// partner yet.
func opLogJob(x *opCtx) error {
	in, lb := x.s.Inst[x.i], x.data.LogBackup
	if !in.Agent {
		return fail("SQL Server Agent is not running")
	}
	j := in.LogJobs[lb.Job]
	if j == nil {
		j = &LogJob{DB: lb.Database}
		in.LogJobs[lb.Job] = j
	}
	j.Folder = lb.Folder
	if d := x.s.db(x.i, lb.Database); j.Paused == "seed" && (d == nil || d.Mir == nil) {
		return nil
	}
	j.Enabled, j.Paused = true, ""
	return nil
}

// templates/sql/log-backups/pause.sql.tmpl.
func opLogPause(x *opCtx) error {
	x.pauseLogJob(x.data.LogBackup.Job, "dr")
	return nil
}

func (x *opCtx) pauseLogJob(name, by string) {
	if j := x.s.Inst[x.i].LogJobs[name]; j != nil && j.Enabled {
		j.Enabled, j.Paused = false, by
	}
}

// templates/sql/log-backups/remove.sql.tmpl.
func opLogRemove(x *opCtx) error {
	delete(x.s.Inst[x.i].LogJobs, x.data.LogBackup.Job)
	return nil
}

// Ops lists the bodies the model knows, for the test that every step's
// body has one.
func Ops() []string { return sortedKeys(ops) }

// templates/sql/mirroring/endpoint.sql.tmpl: the endpoint, the logins and
// their CONNECT permission.
func opEndpoint(x *opCtx) error {
	in := x.s.Inst[x.i]
	in.Endpoint = true
	for _, l := range x.data.Endpoint.Logins {
		in.Connect[strings.ToUpper(l.Name)] = true
	}
	return nil
}

// pauseBackupJob is sql.ls.backupjob.pause / .disable: an enabled job is
// disabled and marked; a disabled one is left alone.
func (x *opCtx) pauseBackupJob(by string) {
	if p := x.s.Inst[x.i].LSPrimary[x.db()]; p != nil && p.JobEnabled {
		p.JobEnabled, p.PausedBy = false, by
	}
}

// templates/sql/mirroring/seed.sql.tmpl.
func opSeed(x *opCtx) error {
	pr, d := x.data.Pair, x.d()
	if d == nil {
		return fail("%s does not exist", pr.Database)
	}
	if d.Mir != nil {
		if x.m.Site.Plan.Accounts[d.Mir.Partner].Target.Role == pr.Mirror.Role {
			return nil
		}
		return fail("%s is in a session with another partner", pr.Database)
	}
	if d.State != Online {
		return fail("%s is %s", pr.Database, d.State)
	}
	if !d.Full {
		d.Full, d.Chain = true, false
	}
	x.pauseBackupJob("seed")
	x.pauseLogJob(pr.LogJob, "seed")
	if err := x.s.BackupDatabase(x.i, pr.Database, pr.SeedFull, d.Chain); err != nil {
		return err
	}
	return x.s.BackupLog(x.i, pr.Database, pr.SeedLog, false, true)
}

// templates/sql/mirroring/restore.sql.tmpl: the seed WITH NORECOVERY, then
// SET PARTNER on the mirror.
func opMirrorRestore(x *opCtx) error {
	pr, d := x.data.Pair, x.d()
	principal := x.m.Site.idx(pr.Principal)
	if d != nil && d.Mir != nil {
		return fail("%s here is in a mirroring session: it cannot be restored (3104)", pr.Database)
	}
	var err error
	switch {
	case d == nil:
		err = x.s.RestoreDatabase(x.i, pr.Database, pr.SeedFull, false, false)
	case d.State != Restoring && !pr.Replace && !pr.Reseed:
		return fail("%s exists here and is %s; it is not overwritten", pr.Database, d.State)
	case !pr.Replace && writable(d) == "writable":
		return fail("%s here is ONLINE and accepts writes; the re-seed does not overwrite it", pr.Database)
	default:
		if d.State == Online {
			_ = x.s.SetOffline(x.i, pr.Database)
		}
		err = x.s.RestoreDatabase(x.i, pr.Database, pr.SeedFull, false, true)
	}
	if err != nil {
		return err
	}
	if err := x.s.RestoreLog(x.i, pr.Database, pr.SeedLog, false); err != nil {
		return err
	}
	return x.s.SetPartner(x.i, pr.Database, principal)
}

// templates/sql/mirroring/clear-stale.sql.tmpl: SET PARTNER OFF on a mirror
// paired with the site's principal whose session carries no log (the
// principal never joined it); anything else is left alone.
func opClearStale(x *opCtx) error {
	pr, d := x.data.Pair, x.d()
	if err := x.s.up(x.i); err != nil {
		return err
	}
	if d == nil || d.Mir == nil {
		return nil
	}
	switch {
	case d.Mir.Partner != x.m.Site.idx(pr.Principal):
		return fail("%s here is in a session with another partner", pr.Database)
	case d.Mir.Role != Mirror || d.Mir.State == Synchronized:
		return fail("%s here is the %s of a %s session: it is left alone", pr.Database, d.Mir.Role, d.Mir.State)
	}
	return x.s.SetPartnerOff(x.i, pr.Database)
}

// templates/sql/mirroring/partner.sql.tmpl: SET PARTNER on the principal,
// read back; the paused jobs resumed once the session is in place; then
// the witness, once the session is SYNCHRONIZED.
func opPartner(x *opCtx) error {
	pr, d := x.data.Pair, x.d()
	mirror := x.m.Site.idx(pr.Mirror)
	if d == nil {
		return fail("%s does not exist", pr.Database)
	}
	if d.Mir == nil {
		if err := x.s.SetPartner(x.i, pr.Database, mirror); err != nil {
			return err
		}
	}
	switch {
	case d.Mir == nil:
		return fail("SET PARTNER did not start the session")
	case d.Mir.Partner != mirror:
		return fail("%s is in a session with another partner", pr.Database)
	case d.Mir.Role != Principal:
		return fail("%s is the mirror here: fail back first", pr.Database)
	}
	// The session read back, the jobs the seed paused resume before the
	// witness: a slow mirror or a witness down leaves log backups running.
	if p := x.s.Inst[x.i].LSPrimary[pr.Database]; p != nil && !p.JobEnabled && p.PausedBy == "seed" {
		p.JobEnabled, p.PausedBy = true, ""
	}
	if j := x.s.Inst[x.i].LogJobs[pr.LogJob]; j != nil && !j.Enabled && j.Paused == "seed" {
		j.Enabled, j.Paused = true, ""
	}
	if pr.Witness != nil && d.Mir.Witness < 0 {
		// The file waits up to 5 minutes for SYNCHRONIZED (error 1426
		// otherwise); a session's state changes only between steps here.
		if d.Mir.State != Synchronized {
			return fail("%s is %s after 5 minutes, not SYNCHRONIZED: run the file again", pr.Database, d.Mir.State)
		}
		if err := x.s.SetWitness(x.i, pr.Database, x.m.Site.idx(*pr.Witness)); err != nil {
			return err
		}
	}
	return nil
}

// templates/sql/mirroring/verify.sql.tmpl: read-only.
func opVerify(x *opCtx) error {
	pr, d := x.data.Pair, x.d()
	if d == nil || d.Mir == nil || d.Mir.Role != Principal || d.Mir.State != Synchronized || d.Mir.Partner != x.m.Site.idx(pr.Mirror) {
		return fail("%s is not as expected", pr.Database)
	}
	if pr.Witness != nil && (d.Mir.Witness < 0 || !x.s.Inst[d.Mir.Witness].Up) {
		return fail("%s has no connected witness", pr.Database)
	}
	return nil
}

// templates/sql/log-shipping/init-backup.sql.tmpl.
func opInitBackup(x *opCtx) error {
	l, d := x.data.LogShip, x.d()
	in := x.s.Inst[x.i]
	switch {
	case !in.Agent:
		return fail("SQL Server Agent is not running")
	case d == nil:
		return fail("mgc does not exist")
	case d.State != Online || d.Mir != nil && d.Mir.Role != Principal:
		return fail("mgc does not serve here")
	case !d.Full:
		return fail("mgc is not in FULL recovery")
	}
	if !l.Reinitialize {
		if p := in.LSPrimary["mgc"]; p != nil && p.Secondaries[l.Secondary.SQLName()] {
			return nil
		}
	}
	return x.s.BackupDatabase(x.i, "mgc", l.InitBackup, d.Chain)
}

// templates/sql/log-shipping/init-restore.sql.tmpl: re-initializing, the
// restore job is disabled and a run in progress waited for (a job run is
// one step of the model) before RESTORE ... REPLACE.
func opInitRestore(x *opCtx) error {
	l, d := x.data.LogShip, x.d()
	in := x.s.Inst[x.i]
	sec := in.LSSecondary["mgc"]
	switch {
	case l.Reinitialize && sec != nil:
		sec.RestoreEnabled = false
	case d != nil && d.State == Restoring && sec != nil:
		return nil
	}
	switch {
	case d == nil:
		return x.s.RestoreDatabase(x.i, "mgc", l.InitBackup, false, false)
	case d.State != Restoring && !l.Reinitialize:
		return fail("mgc exists here and is %s; it is not overwritten", d.State)
	case d.State == Online:
		_ = x.s.SetOffline(x.i, "mgc")
	}
	return x.s.RestoreDatabase(x.i, "mgc", l.InitBackup, false, true)
}

// templates/sql/log-shipping/primary.sql.tmpl: the primary database entry
// (its job created disabled, then enabled) and the secondary registered.
func opLSPrimary(x *opCtx) error {
	l, d := x.data.LogShip, x.d()
	in := x.s.Inst[x.i]
	p := in.LSPrimary["mgc"]
	if p == nil {
		if d == nil || d.State != Online {
			return refuse(32007, "database mgc is not ONLINE")
		}
		if !d.Full {
			return refuse(32015, "database mgc uses the SIMPLE recovery model")
		}
		p = &LSPrimary{Secondaries: map[string]bool{}}
		in.LSPrimary["mgc"] = p
	}
	// Step 5 of the template enables the job unless a seed paused it (a
	// log backup now would break the seed); a DR script's pause it undoes.
	if p.PausedBy != "seed" {
		p.JobEnabled = true
	}
	p.Secondaries[l.Secondary.SQLName()] = true
	return nil
}

// templates/sql/log-shipping/secondary.sql.tmpl.
func opLSSecondary(x *opCtx) error {
	in := x.s.Inst[x.i]
	if d := x.d(); d == nil || d.State != Restoring {
		return fail("mgc must be RESTORING to be a log-shipping secondary")
	}
	sec := in.LSSecondary["mgc"]
	if sec == nil {
		sec = &LSSecondary{}
		in.LSSecondary["mgc"] = sec
	}
	sec.CopyEnabled, sec.RestoreEnabled = true, true
	return nil
}

// templates/sql/log-shipping/backup-run.sql.tmpl: one run of the backup
// job, and the log backup it wrote.
func opBackupRun(x *opCtx) error {
	before := len(x.s.Inst[x.i].Backups)
	if err := x.m.RunBackupJob(x.s, x.i, "mgc"); err != nil {
		return err
	}
	in := x.s.Inst[x.i]
	for _, b := range in.Backups[before:] {
		if b.Kind == "L" && strings.HasPrefix(b.Path, x.data.LogShip.BackupDirectory+`\`) {
			return nil
		}
	}
	return fail("the backup job ran but no log backup reached the share")
}

// templates/sql/mirror-failover/planned.sql.tmpl.
func opPlanned(x *opCtx) error {
	f, d := x.data.Failover, x.d()
	other := x.m.Site.idx(f.Other)
	switch {
	case d != nil && d.Mir != nil && d.Mir.Role == Mirror && d.Mir.Partner == other:
		return nil
	case d == nil || d.Mir == nil || d.Mir.Role != Principal || d.Mir.Partner != other:
		return fail("%s is not the principal of a session with the other partner", f.Database)
	case d.Mir.State != Synchronized:
		return fail("%s is %s; a planned failover needs SYNCHRONIZED", f.Database, d.Mir.State)
	}
	return x.s.SetPartnerFailover(x.i, f.Database)
}

// templates/sql/mirror-failover/force.sql.tmpl.
func opForce(x *opCtx) error {
	f, d := x.data.Failover, x.d()
	if d != nil && d.Mir != nil && d.Mir.Role == Principal {
		return nil
	}
	return x.s.ForceService(x.i, f.Database)
}

// templates/sql/dr/drain.sql.tmpl: the copy job, then the restore job.
func opDrain(x *opCtx) error {
	in := x.s.Inst[x.i]
	d := x.d()
	if d == nil || d.State != Restoring || in.LSSecondary["mgc"] == nil {
		return fail("mgc must be a RESTORING log-shipping secondary to drain")
	}
	// The jobs run as the drain starts them, enabled or not.
	sec := *in.LSSecondary["mgc"]
	in.LSSecondary["mgc"].CopyEnabled, in.LSSecondary["mgc"].RestoreEnabled = true, true
	defer func() {
		if s := in.LSSecondary["mgc"]; s != nil {
			s.CopyEnabled, s.RestoreEnabled = sec.CopyEnabled, sec.RestoreEnabled
		}
	}()
	if err := x.m.RunCopyJob(x.s, x.i, "mgc"); err != nil {
		return err
	}
	return x.m.RunRestoreJob(x.s, x.i, "mgc")
}

// stopSecondaryJobs is sql.ls.secondary.jobs.stop: the copy and restore
// jobs disabled, and a run in progress waited for (a job run is one step
// of the model, never under way while a file runs).
func (x *opCtx) stopSecondaryJobs() {
	if sec := x.s.Inst[x.i].LSSecondary["mgc"]; sec != nil {
		sec.CopyEnabled, sec.RestoreEnabled = false, false
	}
}

// applyTail is sql.tail.apply: RESTORE LOG of the tail unless msdb shows it
// applied, and any refusal stops the file. A refusal cannot tell "already
// applied" apart: SQL Server raises 4326 and then 3013, and CATCH sees only
// the 3013 ("ERROR_NUMBER (Transact-SQL)").
func (x *opCtx) applyTail(file string) error {
	d := x.d()
	if d == nil || d.State != Restoring || tailApplied(x.s.Inst[x.i], file) {
		return nil
	}
	return x.s.RestoreLog(x.i, "mgc", file, false)
}

// tailApplied is msdb's answer as sql.last.restore reads it: the newest
// restorehistory row for mgc is a log restore from file, and no backup set
// of mgc was recorded after it ("restorehistory (Transact-SQL)",
// "backupset (Transact-SQL)": both ids are identities). The model records
// no backupset row for a restore; a later restore is a later restore row.
func tailApplied(in *Instance, file string) bool {
	for j := len(in.Restores) - 1; j >= 0; j-- {
		r := in.Restores[j]
		if r.DB != "mgc" {
			continue
		}
		if r.Kind != "L" || r.Path != file {
			return false
		}
		for _, b := range in.Backups {
			if b.DB == "mgc" && b.Time > r.Time {
				return false
			}
		}
		return true
	}
	return false
}

// templates/sql/dr/recover.sql.tmpl: the copy and restore jobs stopped,
// the tail applied (switchover), log shipping removed, the sessions ended,
// then RESTORE WITH RECOVERY and MULTI_USER.
func opRecover(x *opCtx) error {
	in := x.s.Inst[x.i]
	x.stopSecondaryJobs()
	if x.data.File != "" {
		if err := x.applyTail(x.data.File); err != nil {
			return err
		}
	}
	delete(in.LSSecondary, "mgc")
	x.s.Kill(x.i, "mgc")
	d := x.d()
	if d != nil && d.State == Restoring {
		if err := x.s.RestoreRecovery(x.i, "mgc"); err != nil {
			return err
		}
	}
	if d = x.d(); d == nil || d.State != Online {
		return fail("mgc is not ONLINE after RESTORE WITH RECOVERY")
	}
	if d.Access != MultiUser {
		return x.setAccess("mgc", MultiUser)
	}
	return nil
}

// templates/sql/dr/stop-log-shipping.sql.tmpl.
func opStopLS(x *opCtx) error {
	if err := x.s.up(x.i); err != nil {
		return err
	}
	x.pauseBackupJob("dr")
	return nil
}

// templates/sql/dr/resume-log-shipping.sql.tmpl: only a job a DR script
// paused is enabled again.
func opResumeLS(x *opCtx) error {
	if err := x.s.up(x.i); err != nil {
		return err
	}
	if p := x.s.Inst[x.i].LSPrimary[x.db()]; p != nil && !p.JobEnabled && p.PausedBy == "dr" {
		p.JobEnabled, p.PausedBy = true, ""
	}
	return nil
}

// templates/sql/dr/multi-user.sql.tmpl: an ONLINE mgc back to MULTI_USER;
// one that is not ONLINE is refused.
func opMultiUser(x *opCtx) error {
	if err := x.s.up(x.i); err != nil {
		return err
	}
	d := x.d()
	switch {
	case d == nil:
		return fail("mgc does not exist")
	case d.State != Online:
		return fail("mgc is not ONLINE here: finish the switchover")
	case d.Access != MultiUser:
		return x.setAccess("mgc", MultiUser)
	}
	return nil
}

// restrictForTail is what the tail-log and fence files do before their
// backup: the log-shipping backup job paused, mirroring removed, and an
// ONLINE mgc restricted to administrators. online says whether there is a
// copy to back up.
func (x *opCtx) restrictForTail() (d *Database, online bool, err error) {
	if err := x.s.up(x.i); err != nil {
		return nil, false, err
	}
	x.pauseBackupJob("dr")
	d = x.d()
	if d != nil && d.Mir != nil {
		if err := x.s.SetPartnerOff(x.i, "mgc"); err != nil {
			return d, false, err
		}
	}
	if d == nil || d.State != Online {
		return d, false, nil
	}
	return d, true, x.setAccess("mgc", RestrictedUser)
}

// templates/sql/dr/tail-log.sql.tmpl: the job paused, mirroring removed,
// RESTRICTED_USER, the remaining sessions ended, then the tail-log backup
// WITH NORECOVERY, retried once after ending the sessions again.
func opTail(x *opCtx) error {
	d, online, err := x.restrictForTail()
	if err != nil || !online {
		return err
	}
	x.s.Kill(x.i, "mgc")
	if err := x.s.BackupLog(x.i, "mgc", x.data.File, true, false); err != nil && d.State == Online {
		x.s.Kill(x.i, "mgc")
		if err := x.s.BackupLog(x.i, "mgc", x.data.File, true, false); err != nil {
			return err
		}
	}
	if d.State != Restoring {
		return fail("the tail-log backup did not leave mgc RESTORING")
	}
	return nil
}

// templates/sql/dr/restore-tail.sql.tmpl: the copy and restore jobs
// stopped, then the tail applied.
func opRestoreTail(x *opCtx) error {
	x.stopSecondaryJobs()
	return x.applyTail(x.data.Ops.TailFile)
}

// templates/sql/dr/drop-stale.sql.tmpl: an OFFLINE copy is refused, with
// its files listed: DROP DATABASE would leave them on disk ("DROP DATABASE
// (Transact-SQL)"), and setting it ONLINE first would let it be written to.
func opDropStale(x *opCtx) error {
	d := x.d()
	if d == nil {
		return x.s.up(x.i)
	}
	if d.Mir != nil {
		return fail("%s here is in a mirroring session; it is not dropped", x.db())
	}
	if d.State == Offline {
		return fail("%s here is OFFLINE: drop it by hand and delete its files", x.db())
	}
	return x.s.DropDatabase(x.i, x.db())
}

// templates/sql/dr/fence.sql.tmpl.
func opFence(x *opCtx) error {
	_, online, err := x.restrictForTail()
	if err != nil || !online {
		return err
	}
	file := fmt.Sprintf(`%s\mgc_%s.trn`, x.data.Ops.DivergedFolder, x.m.Site.Plan.Accounts[x.i].Target.Slug)
	if err := x.s.BackupLog(x.i, "mgc", file, true, false); err != nil {
		return x.s.SetOffline(x.i, "mgc")
	}
	return nil
}

// templates/sql/dr/partner-off.sql.tmpl.
func opPartnerOff(x *opCtx) error {
	if err := x.s.up(x.i); err != nil {
		return err
	}
	if d := x.d(); d != nil && d.Mir != nil {
		return x.s.SetPartnerOff(x.i, x.db())
	}
	return nil
}

// templates/sql/dr/failback-backup.sql.tmpl.
func opFailbackBackup(x *opCtx) error {
	return x.s.BackupDatabase(x.i, "mgc", x.data.Ops.FailbackFile, false)
}

// templates/sql/dr/clean-primary.sql.tmpl.
func opCleanPrimary(x *opCtx) error {
	if err := x.s.up(x.i); err != nil {
		return err
	}
	if d := x.d(); d != nil && d.Mir != nil {
		if err := x.s.SetPartnerOff(x.i, "mgc"); err != nil {
			return err
		}
	}
	delete(x.s.Inst[x.i].LSPrimary, "mgc")
	return nil
}

// templates/sql/dr/restore-primary.sql.tmpl: the full backup WITH
// NORECOVERY, REPLACE, then the tail WITH RECOVERY, then MULTI_USER. A copy
// that is ONLINE with the failback tail as its last restore (and nothing
// backed up since) is not restored again: MULTI_USER is all that may be
// missing, and with it the file does nothing. The model records no
// restorehistory.recovery; the tail is restored here only WITH RECOVERY.
func opRestorePrimary(x *opCtx) error {
	o := x.data.Ops
	d := x.d()
	if d == nil || d.State != Online || !tailApplied(x.s.Inst[x.i], o.FailbackTail) {
		if d != nil && d.State == Online {
			if err := x.s.SetOffline(x.i, "mgc"); err != nil {
				return err
			}
		}
		if err := x.s.RestoreDatabase(x.i, "mgc", o.FailbackFile, false, true); err != nil {
			return err
		}
		if err := x.s.RestoreLog(x.i, "mgc", o.FailbackTail, true); err != nil {
			return err
		}
	}
	if d := x.d(); d.Access != MultiUser {
		return x.setAccess("mgc", MultiUser)
	}
	return nil
}

// templates/sql/dr/back-out-primary.sql.tmpl.
func opBackOutPrimary(x *opCtx) error {
	if err := x.s.up(x.i); err != nil {
		return err
	}
	delete(x.s.Inst[x.i].LSPrimary, "mgc")
	d := x.d()
	if d != nil && d.Mir != nil {
		if err := x.s.SetPartnerOff(x.i, "mgc"); err != nil {
			return err
		}
	}
	if d != nil && d.State == Online {
		return x.s.SetOffline(x.i, "mgc")
	}
	return nil
}
