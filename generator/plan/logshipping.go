package plan

import (
	"fmt"
	"path"

	"pchat-hadr/generator/site"
)

// PhaseLogShipping is the runbook section of procedures P3 and P4.
const PhaseLogShipping = "log-shipping"

// Alert numbers passed explicitly (design decision k): 14420 is the
// backup-late message, 14421 the secondary-out-of-sync one.
const (
	PrimaryAlert   = 14420
	SecondaryAlert = 14421
)

// LogShip is the data of every log-shipping script of mgc.
type LogShip struct {
	Database        string
	Primary         Target  // the instance a primary-side script configures
	OriginalPrimary Target  // the principal: the primary server the secondary knows
	Mirror          Target  // the primary mirror, also a log-shipping primary (P4)
	Secondary       Target  // the backup instance
	Monitor         *Target // optional monitor server (design decision b)
	BackupDirectory string  // folder BACKUP writes to (the share's database folder)
	BackupShare     string  // UNC folder the copy job reads
	CopyDestination string
	InitBackup      string // UNC path of the full backup that initializes the secondary
	BackupJob       string
	BackupSchedule  Schedule
	CopyJob         string
	CopySchedule    Schedule
	RestoreJob      string
	RestoreSchedule Schedule
	BackupRetention int
	CopyRetention   int
	BackupThreshold int
	RestoreThresh   int
	History         int
	Compression     int    // 0 off, 1 on, 2 server default
	CompressionName string // the site's word for it
	Moves           []site.Move
	Reinitialize    bool
	PrimaryAlert    int
	SecondaryAlert  int
}

// Schedule is an Agent schedule: daily, every Interval minutes.
type Schedule struct {
	Name     string
	Interval int
}

// SQLName is the name SQL Server knows an instance by (@@SERVERNAME):
// HOST or HOST\INSTANCE, upper case. Log shipping records these names.
func (t Target) SQLName() string {
	if t.Instance == site.DefaultInstanceName {
		return t.Machine
	}
	return t.Machine + `\` + t.Instance
}

func logShipping(s *site.Site) LogShip {
	ls := s.LogShipping
	primary := newTarget("primary", s.SQL.Primary)
	mirror := newTarget("primary_mirror", s.SQL.PrimaryMirror)
	secondary := newTarget("backup", s.SQL.Backup)
	dir := s.Shares.LogShipping + `\mgc`
	l := LogShip{
		Database:        "mgc",
		Primary:         primary,
		OriginalPrimary: primary,
		Mirror:          mirror,
		Secondary:       secondary,
		BackupDirectory: dir,
		BackupShare:     dir,
		CopyDestination: s.Shares.CopyDestination,
		InitBackup:      dir + `\mgc_init.bak`,
		BackupJob:       orDefault(ls.BackupJobName, site.DefaultBackupJobName),
		BackupSchedule:  Schedule{Name: orDefault(ls.BackupScheduleName, fmt.Sprintf(site.DefaultBackupScheduleName, primary.SQLName())), Interval: ls.BackupInterval},
		CopyJob:         orDefault(ls.CopyJobName, fmt.Sprintf(site.DefaultCopyJobName, primary.SQLName())),
		CopySchedule:    Schedule{Name: orDefault(ls.CopyScheduleName, fmt.Sprintf(site.DefaultCopyScheduleName, primary.SQLName())), Interval: ls.CopyInterval},
		RestoreJob:      orDefault(ls.RestoreJobName, fmt.Sprintf(site.DefaultRestoreJobName, primary.SQLName())),
		RestoreSchedule: Schedule{Name: orDefault(ls.RestoreScheduleName, fmt.Sprintf(site.DefaultRestoreSchedule, primary.SQLName())), Interval: ls.RestoreInterval},
		BackupRetention: ls.BackupRetention,
		CopyRetention:   ls.CopyRetention,
		BackupThreshold: ls.BackupAlertThreshold,
		RestoreThresh:   ls.RestoreAlertThreshold,
		History:         ls.HistoryRetention,
		Compression:     site.Compressions[ls.Compression],
		CompressionName: ls.Compression,
		Reinitialize:    ls.ReinitializeSecondary,
		PrimaryAlert:    PrimaryAlert,
		SecondaryAlert:  SecondaryAlert,
	}
	if m := ls.Monitor; m != nil {
		t := newTarget("monitor", m.AsInstance())
		l.Monitor = &t
	}
	l.Moves = movesFor(s.SQL.Backup, "mgc")
	return l
}

// forMirror is the same configuration seen from the primary mirror, which
// becomes a second log-shipping primary (P4): same share, settings and job
// name, its own backup schedule name.
func (l LogShip) forMirror(s *site.Site) LogShip {
	m := l
	m.Primary = l.Mirror
	m.BackupSchedule.Name = orDefault(s.LogShipping.BackupScheduleName, fmt.Sprintf(site.DefaultBackupScheduleName, l.Mirror.SQLName()))
	return m
}

func orDefault(v, def string) string {
	if v != "" {
		return v
	}
	return def
}

// logShippingOp is P3: the initializing backup on the principal, its
// restore on the backup instance, then the primary and secondary sides.
func (b *builder) logShippingOp() *Operation {
	l := b.ls
	p, sec := l.Primary, l.Secondary
	o := b.op("log-shipping", PhaseLogShipping, "log-shipping set-up (P3)", "log-shipping/00-set-up-log-shipping.ps1")
	data := func() Data { d := l; return Data{LogShip: &d, DB: "mgc"} }
	name := func(stage int, t Target, action string) string {
		return path.Join("log-shipping", fmt.Sprintf("%d-%s-%s-mgc.sql", stage, t.Slug, action))
	}
	secondaryNow := at(sec, KLSSecondary, "mgc", "enabled", "disabled", "partly enabled")
	initBackup := b.sql("ls.init-backup", "Pre-checks (SQL Server Agent running, FULL recovery, no other log backups of mgc), then a full backup of mgc (COPY_ONLY when a log chain exists) to the log-shipping share to initialize the secondary",
		p, name(10, p, "init-backup"), "sql/log-shipping/init-backup.sql.tmpl", "ls.init-backup", data()).
		req(at(p, KDBState, "mgc", "ONLINE"), serveFirst(at(p, KDBRole, "mgc", "PRINCIPAL", "none")),
			at(p, KDBRecovery, "mgc", "FULL").fix("mirroring/00-set-up-mirroring.ps1"), at(p, KAgent, "", "running")).
		ens(at(p, KNewestFull, "mgc", "yes").with(l.InitBackup))
	initRestore := b.sql("ls.init-restore", "Restores the initializing backup of mgc WITH NORECOVERY, unless mgc is already a log-shipping secondary here",
		sec, name(20, sec, "init-restore"), "sql/log-shipping/init-restore.sql.tmpl", "ls.init-restore", data()).
		req(at(p, KNewestFull, "mgc", "yes").with(l.InitBackup)).
		ens(at(sec, KDBState, "mgc", "RESTORING"))
	if l.Reinitialize {
		// Re-seeding overwrites the backup instance's mgc: only while the
		// pool uses the primary data center's copy.
		initRestore.req(poolIs("Normal").fix("dr-failback/90-dr-failback.ps1"))
	} else {
		initBackup.unneeded(secondaryNow)
		initRestore.unneeded(secondaryNow).
			req(at(sec, KDBWritable, "mgc", "absent", "restoring").fix("set log_shipping.reinitialize_secondary = true and regenerate, to re-seed it on purpose"))
	}
	primary := b.sql("ls.primary.primary", "Primary side on the principal: sp_add_log_shipping_primary_database (or sp_change_... on drift), the backup job schedule, the alert job, the job enabled, and the backup instance registered as secondary",
		p, name(30, p, "primary"), "sql/log-shipping/primary.sql.tmpl", "ls.primary", data()).
		req(serveFirst(at(p, KDBRole, "mgc", "PRINCIPAL", "none")), at(p, KDBState, "mgc", "ONLINE"), at(p, KDBRecovery, "mgc", "FULL").fix("mirroring/00-set-up-mirroring.ps1"),
			// Log backups before the mirroring session starts would leave the
			// mirror's seed short of log (error 1478).
			at(p, KPartner, "mgc", l.Mirror.Upper()).fix("mirroring/00-set-up-mirroring.ps1")).
		ens(at(p, KLSPrimary, "mgc", "enabled"), at(p, KLSPrimarySec, "mgc", "registered").with(sec.SQLName()))
	secondary := b.sql("ls.secondary", "Secondary side on the backup instance: copy and restore jobs, mgc as secondary (NORECOVERY, restore delay 0), alert job, jobs enabled",
		sec, name(40, sec, "secondary"), "sql/log-shipping/secondary.sql.tmpl", "ls.secondary", data()).
		req(at(sec, KDBState, "mgc", "RESTORING").fix("log-shipping/00-set-up-log-shipping.ps1")).
		ens(at(sec, KLSSecondary, "mgc", "enabled"))
	o.add(initBackup, initRestore, primary, secondary)
	for _, f := range []string{b.ops.TailFolder(), b.ops.DivergedFolder} {
		o.add(b.folderStep(f))
	}
	if l.Monitor != nil {
		o.add(b.sql("ls.monitor", "The log-shipping alert job on the monitor server, which raises the backup and restore alerts for both sides",
			*l.Monitor, path.Join("log-shipping", fmt.Sprintf("45-%s-monitor-alert-job.sql", l.Monitor.Slug)), "sql/log-shipping/monitor.sql.tmpl", "ls.monitor", data()))
	}
	o.Preflight = []Pred{poolIs("Normal").fix("during a DR period the failback sets log shipping up again: dr-failback/90-dr-failback.ps1"),
		at(p, KPartner, "mgc", l.Mirror.Upper()).fix("mirroring/00-set-up-mirroring.ps1")}
	o.Ends = []Pred{at(p, KLSPrimary, "mgc", "enabled"), at(sec, KLSSecondary, "mgc", "enabled")}
	o.Before, o.After = "mgc is mirrored in the primary data center; the backup instance has no copy.", "The principal ships mgc's log to the backup instance, which restores it (RESTORING)."
	return o
}

// mirrorLogShippingOp is P4: the primary mirror becomes a second
// log-shipping primary, configured while it is the principal.
func (b *builder) mirrorLogShippingOp() *Operation {
	l := b.ls
	m := l.forMirror(b.s)
	p, pm := l.Primary, l.Mirror
	o := b.op("mirror-log-shipping", PhaseLogShipping, "log shipping from the primary mirror (P4)", "log-shipping/60-configure-mirror-log-shipping.ps1")
	configured := at(pm, KLSPrimary, "mgc", "enabled", "disabled")
	toMirror := b.shell("ls.p4.to-mirror", "Fail mgc over to the primary mirror (Invoke-CsDatabaseFailover -NewPrincipal Mirror): a short outage",
		Action{Kind: ActionCsFailover, DatabaseType: "PersistentChat", DB: "mgc", Value: "Mirror"}).
		req(synchronized("Primary", p, b.pairs[0])).
		unneeded(configured).
		ens(at(pm, KDBRole, "mgc", "PRINCIPAL"), at(pm, KMirrorState, "mgc", "SYNCHRONIZED")).
		leaves("mgc may be between roles; it is served by whichever partner reports PRINCIPAL.")
	d := m
	cfg := b.sql("ls.primary.mirror", "Primary side on the primary mirror (P4): the same configuration, so log shipping goes on after a mirror failover; it runs while this instance is the principal",
		pm, path.Join("log-shipping", fmt.Sprintf("50-%s-primary-mgc.sql", pm.Slug)), "sql/log-shipping/primary.sql.tmpl", "ls.primary", Data{LogShip: &d, DB: "mgc"}).
		req(at(pm, KDBRole, "mgc", "PRINCIPAL")).
		ens(at(pm, KLSPrimary, "mgc", "enabled"), at(pm, KLSPrimarySec, "mgc", "registered").with(l.Secondary.SQLName())).
		leaves("mgc is served by the primary mirror.")
	d2 := m
	run := b.sql("ls.mirror.backup-run", "Runs the primary mirror's log-shipping backup job once and checks that its log backup reached the share",
		pm, path.Join("log-shipping", fmt.Sprintf("55-%s-backup-run-mgc.sql", pm.Slug)), "sql/log-shipping/backup-run.sql.tmpl", "ls.backup-run", Data{LogShip: &d2, DB: "mgc"}).
		req(at(pm, KDBRole, "mgc", "PRINCIPAL"), at(pm, KLSPrimary, "mgc", "enabled")).
		unneeded(at(p, KDBRole, "mgc", "PRINCIPAL")).
		leaves("mgc is served by the primary mirror.")
	back := b.shell("ls.p4.to-primary", "Fail mgc back to the primary (Invoke-CsDatabaseFailover -NewPrincipal Primary): a short outage",
		Action{Kind: ActionCsFailover, DatabaseType: "PersistentChat", DB: "mgc", Value: "Primary"}).
		req(synchronized("Primary", pm, b.pairs[0])).
		unneeded(at(p, KDBRole, "mgc", "PRINCIPAL")).
		ens(at(p, KDBRole, "mgc", "PRINCIPAL"), at(p, KMirrorState, "mgc", "SYNCHRONIZED")).
		leaves("mgc may be between roles; it is served by whichever partner reports PRINCIPAL.")
	o.add(toMirror, cfg, run, back)
	o.Preflight = []Pred{poolIs("Normal").fix("during a DR period the failback configures it again: dr-failback/90-dr-failback.ps1"),
		at(p, KLSPrimary, "mgc", "enabled", "disabled").fix("log-shipping/00-set-up-log-shipping.ps1")}
	o.Ends = []Pred{at(pm, KLSPrimary, "mgc", "enabled"), at(p, KDBRole, "mgc", "PRINCIPAL")}
	o.Before, o.After = "Only the principal ships mgc's log.", "Both partners are log-shipping primaries; mgc is served by the principal again."
	return o
}

// healthChecks plans the read-only log-shipping health checks.
func (b *builder) healthChecks() []*File {
	l := b.ls
	var out []*File
	for _, t := range []Target{l.Primary, l.Mirror, l.Secondary} {
		d := l
		out = append(out, b.file(path.Join("log-shipping", fmt.Sprintf("70-%s-health-mgc.sql", t.Slug)), "sql/log-shipping/health.sql.tmpl",
			Data{LogShip: &d, Target: t, DB: "mgc", Title: "Read-only health check: log-shipping configuration, job state, last backup, copy and restore with their age against the alert thresholds"}))
	}
	d := l
	out = append(out, b.file("log-shipping/80-check-log-shipping.ps1", "ps/log-shipping/check.ps1.tmpl",
		Data{LogShip: &d, Ops: b.ops, Target: Shell, Title: "Read-only: queries the three instances and prints one status table (exit code 1 when any row needs attention)"}))
	return out
}

const reinitializeScript = "log-shipping/90-reinitialize-secondary.ps1"

// reinitializeOps re-seed the log-shipping secondary from whichever partner
// of the primary data center serves mgc: after a forced service, or
// Invoke-CsDatabaseFailover -Force, the backup instance may hold log the
// new principal never had, and shipping from it would fork. Only while the
// pool is Normal: during a DR period the backup's mgc is the one in use.
func (b *builder) reinitializeOps() []*Operation {
	var out []*Operation
	sec := b.ls.Secondary
	for _, from := range []string{"Primary", "Mirror"} {
		x := b.ls.Primary
		if from == "Mirror" {
			x = b.ls.Mirror
		}
		l := b.ls
		if from == "Mirror" {
			l = l.forMirror(b.s)
		}
		l.Reinitialize = true
		o := b.op("reinitialize-secondary", PhaseLogShipping, "re-initializing the log-shipping secondary", reinitializeScript)
		if from == "Mirror" {
			o.Name += "-from-mirror"
		}
		o.Select = map[string]string{"From": from}
		o.Params = []Param{{Name: "From", Values: []string{"Primary", "Mirror"}, Default: "Primary", Help: "the partner that serves mgc now and takes the initializing backup"}}
		shipped := []Pred{Pred{Kind: KBackupFile, On: &sec, DB: "mgc", Arg: l.InitBackup, Arg2: "restored", Want: []string{"yes"}}, at(sec, KLSSecondary, "mgc", "enabled")}
		d1, d2 := l, l
		backup := b.sql("ls.reinit.backup."+x.Role, fmt.Sprintf("A new full backup of mgc on %s to the log-shipping share, to re-initialize the secondary", x.Server),
			x, path.Join("log-shipping", fmt.Sprintf("90-%s-reinit-backup-mgc.sql", x.Slug)), "sql/log-shipping/init-backup.sql.tmpl", "ls.init-backup", Data{LogShip: &d1, DB: "mgc"}).
			req(at(x, KDBState, "mgc", "ONLINE"), at(x, KDBRole, "mgc", "PRINCIPAL", "none"), at(x, KAgent, "", "running"), poolIs("Normal")).
			unneeded(shipped...).
			ens(at(x, KNewestFull, "mgc", "yes").with(l.InitBackup))
		restore := b.sql("ls.reinit.restore."+x.Role, "Restores that backup over the backup instance's mgc WITH NORECOVERY, REPLACE (its restore job stays off until the secondary side is run)",
			sec, path.Join("log-shipping", fmt.Sprintf("91-%s-reinit-restore-from-%s-mgc.sql", sec.Slug, x.Slug)), "sql/log-shipping/init-restore.sql.tmpl", "ls.init-restore", Data{LogShip: &d2, DB: "mgc"}).
			req(poolIs("Normal").fix("dr-failback/90-dr-failback.ps1"), at(x, KNewestFull, "mgc", "yes").with(l.InitBackup), at(sec, KDBWritable, "mgc", "absent", "restoring", "offline")).
			unneeded(shipped...).
			ens(at(sec, KDBState, "mgc", "RESTORING"), shipped[0]).
			leaves("The backup instance's mgc may be partly restored; the pool uses the primary data center.")
		o.add(backup, restore, b.steps["ls.secondary"])
		other := "Mirror"
		if from == "Mirror" {
			other = "Primary"
		}
		o.Preflight = []Pred{poolIs("Normal").fix("dr-failback/90-dr-failback.ps1"),
			at(sec, KLSSecondary, "mgc", "enabled", "disabled", "partly enabled").fix("log-shipping/00-set-up-log-shipping.ps1"),
			at(x, KDBWritable, "mgc", "writable").fix(reinitializeScript + " -From " + other)}
		o.Ends = shipped
		o.Before, o.After = "The backup instance's copy of mgc cannot follow the principal's log (a fork).", "The backup instance restores the principal's log again."
		out = append(out, o)
	}
	return out
}

// folderStep creates a folder on the log-shipping share that the DR
// scripts write to: BACKUP cannot create folders.
func (b *builder) folderStep(folder string) *Step {
	return b.shell("ls.folder."+folder, "Create the folder "+folder+" on the log-shipping share (the DR scripts' tail-log backups go there; the copy job does not read it)",
		Action{Kind: ActionMakeFolder, Folder: folder}).
		ens(folderExists(folder))
}

func folderExists(folder string) Pred {
	return shell(KFolder, "yes").with(folder).fix("log-shipping/00-set-up-log-shipping.ps1")
}
