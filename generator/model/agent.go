package model

import (
	"fmt"
	"pchat-hadr/generator/plan"
	"sort"
	"strings"
)

// Model runs operations of a site's plan on states of that site.
type Model struct {
	Site *Site
	// Bodies replaces the bodies of some .sql files (by Action.Op), and
	// IgnoreWarnings makes Install-CsMirrorDatabase's warnings pass: the
	// findings tests use them to put back what the scripts did before.
	Bodies         map[string]op
	IgnoreWarnings bool
	// startsFrom is the plan whose operations build the start states of a
	// mutated model: the starts are the site as the real scripts left it.
	startsFrom *plan.Plan
}

// The SQL Server Agent jobs of log shipping, as "Database Mirroring and Log
// Shipping" and "Fail Over to a Log Shipping Secondary" describe them.

// backupFileName is how sqllogship names a log backup: the database and a
// timestamp, so that names sort in time order.
func backupFileName(db string, t int) string { return fmt.Sprintf("%s_%08d.trn", db, t) }

// RunBackupJob runs the log-shipping backup job of db on instance i, if it
// has one and it is enabled: a log backup to the share on a principal (or
// an unmirrored ONLINE primary); on a mirror it logs a message and
// succeeds, writing nothing.
func (m *Model) RunBackupJob(s *State, i int, db string) error {
	in := s.Inst[i]
	p := in.LSPrimary[db]
	if !in.Up || !in.Agent || p == nil || !p.JobEnabled {
		return nil
	}
	d := s.db(i, db)
	if d == nil || d.State != Online || d.Mir != nil && d.Mir.Role != Principal {
		return nil
	}
	return s.BackupLog(i, db, m.Site.LSFolder+`\`+backupFileName(db, s.Clock+1), false, false)
}

// RunCopyJob copies the share's log backups the secondary has not copied
// yet into its copy folder; it fails when the share does not answer.
func (m *Model) RunCopyJob(s *State, i int, db string) error {
	in := s.Inst[i]
	sec := in.LSSecondary[db]
	if !in.Up || !in.Agent || sec == nil || !sec.CopyEnabled {
		return nil
	}
	if !s.reachable(m.Site.LSFolder + `\x`) {
		return fmt.Errorf("the copy job cannot read %s", m.Site.LSFolder)
	}
	for _, name := range s.logBackupsIn(m.Site.LSFolder, db) {
		if name > sec.LastCopied {
			s.Files[m.Site.CopyFolder+`\`+name] = s.Files[m.Site.LSFolder+`\`+name]
			sec.LastCopied = name
		}
	}
	return nil
}

// RunRestoreJob restores the copied log backups in order, skipping those
// already applied (assumption sqllogship-skip), and stops at the first it
// cannot apply.
func (m *Model) RunRestoreJob(s *State, i int, db string) error {
	in := s.Inst[i]
	sec := in.LSSecondary[db]
	if !in.Up || !in.Agent || sec == nil || !sec.RestoreEnabled {
		return nil
	}
	for _, name := range s.logBackupsIn(m.Site.CopyFolder, db) {
		if name <= sec.LastRestored {
			continue
		}
		err := s.RestoreLog(i, db, m.Site.CopyFolder+`\`+name, false)
		if e, ok := err.(*SQLError); ok && e.N == 4326 {
			sec.LastRestored = name
			continue
		}
		if err != nil {
			return err
		}
		sec.LastRestored = name
	}
	return nil
}

// logBackupsIn lists the log-shipping backups of db in a folder, in name
// (time) order: the copy and restore jobs ignore other files.
func (s *State) logBackupsIn(folder, db string) []string {
	var out []string
	prefix := folder + `\`
	for p, f := range s.Files {
		if strings.HasPrefix(p, prefix) && !strings.Contains(p[len(prefix):], `\`) && f.Kind == "L" && strings.HasPrefix(p[len(prefix):], db+"_") {
			out = append(out, p[len(prefix):])
		}
	}
	sort.Strings(out)
	return out
}

// RunLogJob runs a database's own log backup job: a log backup where the
// database is the principal (or not mirrored) and ONLINE in FULL recovery;
// elsewhere the job's first step does nothing.
func (m *Model) RunLogJob(s *State, i int, j *LogJob) error {
	in := s.Inst[i]
	if !in.Up || !in.Agent || !j.Enabled {
		return nil
	}
	d := s.db(i, j.DB)
	if d == nil || d.State != Online || !d.Full || d.Mir != nil && d.Mir.Role != Principal {
		return nil
	}
	return s.BackupLog(i, j.DB, j.Folder+`\`+backupFileName(j.DB, s.Clock+1), false, false)
}

// RunJobs runs every enabled job once, in the order a quiet quarter of an
// hour runs them: backups, then copies, then restores.
func (m *Model) RunJobs(s *State) {
	for i := range s.Inst {
		_ = m.RunBackupJob(s, i, "mgc")
		for _, name := range sortedKeys(s.Inst[i].LogJobs) {
			_ = m.RunLogJob(s, i, s.Inst[i].LogJobs[name])
		}
	}
	for i := range s.Inst {
		_ = m.RunCopyJob(s, i, "mgc")
	}
	for i := range s.Inst {
		_ = m.RunRestoreJob(s, i, "mgc")
	}
}
