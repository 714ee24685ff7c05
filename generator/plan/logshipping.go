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

// logShippingFiles plans P3 (principal to backup) and P4 (mirror to the
// same backup), then the health checks.
func logShippingFiles(s *site.Site, l LogShip) []File {
	m := l.forMirror(s)
	f := func(stage int, t Target, action, tmpl string, data LogShip, what, check string) File {
		d := data
		return File{
			Path:     path.Join("log-shipping", fmt.Sprintf("%d-%s-%s.sql", stage, t.Slug, action)),
			Template: "sql/log-shipping/" + tmpl,
			Step:     Step{Phase: PhaseLogShipping, Target: t, What: what, Check: check},
			Data:     Data{LogShip: &d},
		}
	}
	monitorNote := "no monitor server"
	if l.Monitor != nil {
		monitorNote = "monitor " + l.Monitor.Server
	}
	files := []File{
		f(10, l.Primary, "init-backup-mgc", "init-backup.sql.tmpl", l,
			"Pre-checks (SQL Server Agent running, FULL recovery, no other log backups of mgc), then a full backup of mgc (COPY_ONLY when a log chain exists) to the log-shipping share to initialize the secondary",
			"The output ends with the backup written; mgc_init.bak is in the share's mgc folder."),
		f(20, l.Secondary, "init-restore-mgc", "init-restore.sql.tmpl", l,
			"Restores the initializing backup of mgc WITH NORECOVERY, unless mgc is already a log-shipping secondary here",
			"mgc is RESTORING on the backup instance, or the output says it is already initialized."),
		f(30, l.Primary, "primary-mgc", "primary.sql.tmpl", l,
			fmt.Sprintf("Primary side on the principal: sp_add_log_shipping_primary_database (or sp_change_... on drift), the backup job schedule (every %d min), the alert job, the job enabled, and the backup instance registered as secondary; %s", l.BackupSchedule.Interval, monitorNote),
			fmt.Sprintf("Every item reports added, changed or already configured; within %d minutes job %s has run and a .trn file is in the share.", l.BackupSchedule.Interval, l.BackupJob)),
		f(40, l.Secondary, "secondary-mgc", "secondary.sql.tmpl", l,
			fmt.Sprintf("Secondary side on the backup instance: copy and restore jobs (every %d and %d min), mgc as secondary (NORECOVERY, restore delay 0), alert job, jobs enabled", l.CopySchedule.Interval, l.RestoreSchedule.Interval),
			"Every item reports added, changed or already configured; after one interval the copy and restore jobs succeed."),
	}
	if l.Monitor != nil {
		files = append(files, f(45, *l.Monitor, "monitor-alert-job", "monitor.sql.tmpl", l,
			"The log-shipping alert job on the monitor server, which raises the backup and restore alerts for both sides",
			"The output reports the alert job present."))
	}
	mirrorSQL := f(50, m.Primary, "primary-mgc", "primary.sql.tmpl", m,
		"Primary side on the primary mirror (P4): the same configuration, so log shipping goes on after a mirror failover. It runs only while this instance is the principal, so the next step's script runs it",
		"The next step's script runs this file and checks the result.")
	mirrorSQL.Step.RunBy = "log-shipping/60-configure-mirror-log-shipping.ps1"
	files = append(files, mirrorSQL, psFile(s, "60-configure-mirror-log-shipping.ps1", "configure-mirror.ps1.tmpl", l, path.Base(mirrorSQL.Path),
		"Fails mgc over to the primary mirror (Invoke-CsDatabaseFailover), runs the previous step's file there with sqlcmd, fails back, and verifies the principal role before and after each move. Run it with -WhatIf first",
		"It ends with \"Done\"; step 5 reports the mirror's enabled backup job shipping to the backup instance. mgc is served by the primary again."))
	for _, t := range []Target{l.Primary, l.Mirror, l.Secondary} {
		files = append(files, f(70, t, "health-mgc", "health.sql.tmpl", l,
			"Read-only health check: log-shipping configuration, job state, last backup, copy and restore with their age against the alert thresholds",
			"status 0 on every row; the last file ages are below the thresholds."))
	}
	files = append(files, psFile(s, "80-check-log-shipping.ps1", "check.ps1.tmpl", l, "",
		"Read-only: queries the three instances and prints one status table (exit code 1 when any row needs attention). Run it after one backup, copy and restore interval, and whenever in doubt",
		"Every row says OK."))
	return files
}

// psFile plans a PowerShell script of the log-shipping family.
func psFile(s *site.Site, name, tmpl string, l LogShip, sqlFile, what, check string) File {
	d := l
	return File{
		Path:     path.Join("log-shipping", name),
		Template: "ps/log-shipping/" + tmpl,
		Step:     Step{Phase: PhaseLogShipping, Target: Shell, What: what, Check: check},
		Data:     Data{LogShip: &d, PS: &PS{PoolFQDN: s.Site.PoolFQDN, Product: s.Site.Product, SQLFile: sqlFile}},
	}
}
