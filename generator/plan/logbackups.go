package plan

import (
	"fmt"
	"path"
)

// LogBackup is the log backup job of a mirrored database that log shipping
// does not back up: mgccomp in the primary data center, and both databases
// of the backup data center's pairs during a DR period. Mirroring needs the
// FULL recovery model, so without log backups their transaction logs grow
// until the disk is full ("The Transaction Log (SQL Server)": log
// truncation waits for a log backup under FULL recovery). The job runs on
// both partners and backs up only where the database is the principal: a
// mirror refuses BACKUP ("Backup and restore of the mirror database are not
// allowed"). Its schedule and retention are those of the site's log
// shipping (design decision: one cadence for every log backup of the site).
type LogBackup struct {
	Database string
	Job      string
	Folder   string // where its backups go, one chain per database
	Schedule Schedule
	// RetentionMinutes is how old a backup file gets before the job's
	// second step deletes it.
	RetentionMinutes int
}

// logBackupJob names the job of a database; the same name on every
// instance, so that a predicate and a seed find it by name.
func logBackupJob(db string) string { return "pchat-hadr log backup " + db }

// dc1LogBackedUp says whether a primary data center pair needs its own
// log backup job: mgc is log-shipped, whose backup job truncates its log.
func dc1LogBackedUp(pr Pair) bool { return pr.Database != "mgc" }

func (b *builder) logBackup(pr Pair, share string) *LogBackup {
	return &LogBackup{
		Database:         pr.Database,
		Job:              logBackupJob(pr.Database),
		Folder:           share + `\log-backups\` + pr.Database,
		Schedule:         Schedule{Name: logBackupJob(pr.Database), Interval: b.ls.BackupSchedule.Interval},
		RetentionMinutes: b.ls.BackupRetention,
	}
}

// logBackupSteps create the log backup folder of a pair and its job on
// both partners. dir and stage place the job scripts.
func (b *builder) logBackupSteps(pr Pair, lb *LogBackup, dir, stage string) []*Step {
	db, folder := pr.Database, lb.Folder
	mk := b.shell("logbackup.folder."+folder, fmt.Sprintf("Create the folder %s for the log backups of %s (BACKUP cannot create it)", folder, db),
		Action{Kind: ActionMakeFolder, Folder: folder}).
		ens(shell(KFolder, "yes").with(folder))
	out := []*Step{mk}
	for _, t := range []Target{pr.Principal, pr.Mirror} {
		st := b.sql("logbackup.job."+t.Role+"."+db,
			fmt.Sprintf("The Agent job %s on %s: a log backup of %s every %d minutes while it is the principal here, and backups older than %d minutes deleted", lb.Job, t.Server, db, lb.Schedule.Interval, lb.RetentionMinutes),
			t, path.Join(dir, fmt.Sprintf("%s-%s-log-backup-job-%s.sql", stage, t.Slug, db)), "sql/log-backups/job.sql.tmpl", "logbackup.job", Data{LogBackup: lb, DB: db}).
			req(at(t, KAgent, "", "running"), shell(KFolder, "yes").with(folder)).
			ens(jobIs(t, lb.Job, db, "enabled")).
			// A job a seed paused stays paused until the database is
			// mirrored (a log backup before SET PARTNER breaks the seed);
			// once it is, the file resumes it.
			unneeded(jobIs(t, lb.Job, db, "paused"), at(t, KPartner, db, "none", "absent")).
			leaves(fmt.Sprintf("%s may have no log backup job on %s yet; its log grows until one runs.", db, t.Server))
		if t == pr.Principal {
			// Not while a seed waits for SET PARTNER: a log backup then
			// leaves the mirror short of log (error 1478).
			st.req(at(t, KPartner, db, pr.Mirror.Upper()))
		}
		out = append(out, st)
	}
	return out
}

// pauseLogBackup disables a log backup job with this tool's marker, so
// that the job step (or the back-out) resumes it: before a seed that
// Install-CsMirrorDatabase takes, and before the failback's full and
// tail-log backups, which must follow each other with no log backup between.
func (b *builder) pauseLogBackup(purpose string, t Target, db, dir, stage, why string) *Step {
	job := logBackupJob(db)
	return b.sql("logbackup.pause."+purpose+"."+t.Role+"."+db, fmt.Sprintf("Pauses the Agent job %s on %s, %s", job, t.Server, why),
		t, path.Join(dir, fmt.Sprintf("%s-%s-pause-log-backups-%s.sql", stage, t.Slug, db)), "sql/log-backups/pause.sql.tmpl", "logbackup.pause",
		Data{DB: db, LogBackup: &LogBackup{Database: db, Job: job}}).
		ens(jobIs(t, job, db, "paused-dr", "paused", "disabled", "absent"))
}

// removeLogBackup deletes a job the failback no longer needs.
func (b *builder) removeLogBackup(t Target, db, dir, stage string) *Step {
	job := logBackupJob(db)
	return b.sql("logbackup.remove."+t.Role+"."+db, fmt.Sprintf("Deletes the Agent job %s on %s: %s there is no longer in use (its backup files stay)", job, t.Server, db),
		t, path.Join(dir, fmt.Sprintf("%s-%s-remove-log-backups-%s.sql", stage, t.Slug, db)), "sql/log-backups/remove.sql.tmpl", "logbackup.remove",
		Data{DB: db, LogBackup: &LogBackup{Database: db, Job: job}}).
		ens(jobIs(t, job, db, "absent"))
}

func jobIs(t Target, job, db string, want ...string) Pred {
	return at(t, KJob, db, want...).with(job)
}

// dc1LogBackupSteps are the jobs of the primary data center's pairs that
// log shipping does not back up.
func (b *builder) dc1LogBackupSteps() []*Step {
	var out []*Step
	for _, pr := range b.pairs {
		if dc1LogBackedUp(pr) {
			out = append(out, b.logBackupSteps(pr, b.logBackup(pr, b.s.Shares.MirroringSeed), "mirroring", "60")...)
		}
	}
	return out
}

// drLogBackupSteps are the jobs of the backup data center's pairs during a
// DR period: both databases, since neither is log-shipped then.
func (b *builder) drLogBackupSteps() []*Step {
	var out []*Step
	for _, pr := range b.backupPairs {
		out = append(out, b.logBackupSteps(pr, b.logBackup(pr, b.s.Shares.BackupMirroringSeed), "dr-failover", "40")...)
	}
	return out
}

// drLogBackupEnds: after a DR failover each backup pair's jobs run.
func (b *builder) drLogBackupEnds() []Pred {
	var out []Pred
	for _, pr := range b.backupPairs {
		for _, t := range []Target{pr.Principal, pr.Mirror} {
			out = append(out, jobIs(t, logBackupJob(pr.Database), pr.Database, "enabled"))
		}
	}
	return out
}
