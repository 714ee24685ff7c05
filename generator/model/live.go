package model

import (
	"fmt"
	"strings"

	"pchat-hadr/generator/plan"
)

// Live reads a predicate's live value from the state, as its one query
// (templates/sql/predicates.sql.tmpl) or its engine reader would read it
// from the catalog views, msdb, the share or the Management Shell. An
// instance that does not answer reads "unreachable", as in the engine.
func (m *Model) Live(s *State, p plan.Pred) string {
	switch p.Kind {
	case plan.KPoolState:
		if !s.Pool.CMS {
			return "unreachable"
		}
		if s.Pool.FailedOver {
			return "FailedOver"
		}
		return "Normal"
	case plan.KActive:
		if !s.Pool.CMS {
			return "unreachable"
		}
		return strings.Join(s.Pool.Active, ",")
	case plan.KCMS:
		return yesNo(s.Pool.CMS, "yes", "no")
	case plan.KFolder:
		if !s.reachable(p.Arg + `\x`) {
			return "unreachable"
		}
		return yesNo(s.Folders[p.Arg], "yes", "no")
	}
	if p.On == nil {
		panic("model: the predicate kind " + p.Kind + " needs an instance")
	}
	i := m.Site.idx(*p.On)
	in := s.Inst[i]
	if !in.Up {
		if p.Kind == plan.KReachable {
			return "no"
		}
		return "unreachable"
	}
	d := in.DBs[p.DB]
	switch p.Kind {
	case plan.KReachable:
		return "yes"
	case plan.KDBState:
		if d == nil {
			return "absent"
		}
		return d.State
	case plan.KDBRole:
		switch {
		case d == nil:
			return "absent"
		case d.Mir == nil:
			return "none"
		}
		return d.Mir.Role
	case plan.KDBWritable:
		return writable(d)
	case plan.KDBRecovery:
		switch {
		case d == nil:
			return "absent"
		case d.Full:
			return "FULL"
		}
		return "SIMPLE"
	case plan.KPartner:
		switch {
		case d == nil:
			return "absent"
		case d.Mir == nil:
			return "none"
		}
		return m.Site.Plan.Accounts[d.Mir.Partner].Target.Upper()
	case plan.KMirrorState:
		switch {
		case d == nil:
			return "absent"
		case d.Mir == nil:
			return "none"
		}
		return d.Mir.State
	case plan.KWitness:
		switch {
		case d == nil:
			return "absent"
		case d.Mir == nil || d.Mir.Witness < 0:
			return "none"
		}
		state := "CONNECTED"
		if !s.Inst[d.Mir.Witness].Up {
			state = "DISCONNECTED"
		}
		return m.Site.Plan.Accounts[d.Mir.Witness].Target.Upper() + " " + state
	case plan.KSession:
		switch {
		case d == nil:
			return "absent"
		case d.Mir == nil:
			return "none"
		}
		return d.Mir.Role + " " + d.Mir.State + " " + m.Site.Plan.Accounts[d.Mir.Partner].Target.Upper()
	case plan.KAhead:
		return m.ahead(s, i, p)
	case plan.KChain:
		return m.chain(s, i, p)
	case plan.KApplies:
		return m.applies(s, i, p)
	case plan.KSeeded:
		if p.Arg2 != "" && d != nil && d.Mir != nil && d.Mir.Role == Principal && m.Site.Plan.Accounts[d.Mir.Partner].Target.Upper() == p.Arg2 {
			return "mirrored"
		}
		return yesNo(seedUsable(s.Hist, in, p.DB, p.Arg), "seeded", "no")
	case plan.KLSPrimary:
		lp := in.LSPrimary[p.DB]
		switch {
		case lp == nil:
			return "none"
		case lp.JobEnabled:
			return "enabled"
		case lp.PausedBy == "dr":
			return "paused-dr"
		case lp.PausedBy != "":
			return "paused"
		}
		return "disabled"
	case plan.KLSPrimarySec:
		lp := in.LSPrimary[p.DB]
		return yesNo(lp != nil && lp.Secondaries[strings.ToUpper(p.Arg)], "registered", "none")
	case plan.KLSSecondary:
		sec := in.LSSecondary[p.DB]
		switch {
		case sec == nil:
			return "none"
		case sec.CopyEnabled && sec.RestoreEnabled:
			return "enabled"
		case !sec.CopyEnabled && !sec.RestoreEnabled:
			return "disabled"
		}
		return "partly enabled"
	case plan.KNewestFull:
		if b, ok := newest(in, p.DB, "D"); ok && b.Time > lastRestore(in, p.DB) {
			return yesNo(b.Path == p.Arg, "yes", "no")
		}
		return "absent"
	case plan.KBackupCurrent:
		b, ok := newest(in, p.DB, "D")
		if !ok || b.Time <= lastRestore(in, p.DB) {
			return "absent"
		}
		l, hasLog := newest(in, p.DB, "L")
		return yesNo(b.Path == p.Arg && (!hasLog || l.Time < b.Time), "yes", "no")
	case plan.KTail:
		l, ok := newest(in, p.DB, "L")
		if !ok || d == nil {
			return "absent"
		}
		return yesNo(d.State == Restoring && l.Path == p.Arg && l.Tail && l.Time > lastFullRestore(in, p.DB), "yes", "no")
	case plan.KJob:
		j := in.LogJobs[p.Arg]
		switch {
		case j == nil:
			return "absent"
		case j.Enabled:
			return "enabled"
		case j.Paused == "dr":
			return "paused-dr"
		case j.Paused != "":
			return "paused"
		}
		return "disabled"
	case plan.KAgent:
		return yesNo(in.Agent, "running", "stopped")
	case plan.KEndpoint:
		if !in.Endpoint {
			return "absent"
		}
		return "ok"
	case plan.KConnect:
		switch {
		case !in.Endpoint:
			return "no endpoint"
		case in.Connect[strings.ToUpper(p.Arg)]:
			return "granted"
		}
		return "no login"
	case plan.KDrained:
		return m.drained(s, i, p)
	case plan.KBackupFile:
		return m.backupFile(s, i, p)
	case plan.KOldChain:
		return m.oldChain(s, i, p)
	case plan.KForkSafe:
		return m.forkSafe(s, i, p)
	}
	panic("model: no reader for the predicate kind " + p.Kind)
}

func yesNo(ok bool, yes, no string) string {
	if ok {
		return yes
	}
	return no
}

func writable(d *Database) string {
	switch {
	case d == nil:
		return "absent"
	case d.Mir != nil && d.Mir.Role == Mirror:
		return "mirror"
	case d.State == Restoring:
		return "restoring"
	case d.State != Online:
		return strings.ToLower(d.State)
	case d.Access == RestrictedUser:
		return "restricted"
	case d.Access == SingleUser:
		return "single-user"
	}
	return "writable"
}

func newest(in *Instance, db, kind string) (BackupRecord, bool) {
	for j := len(in.Backups) - 1; j >= 0; j-- {
		if b := in.Backups[j]; b.DB == db && strings.Contains(kind, b.Kind) {
			return b, true
		}
	}
	return BackupRecord{}, false
}

func lastRestore(in *Instance, db string) int {
	for j := len(in.Restores) - 1; j >= 0; j-- {
		if in.Restores[j].DB == db {
			return in.Restores[j].Time
		}
	}
	return 0
}

func lastFullRestore(in *Instance, db string) int {
	for j := len(in.Restores) - 1; j >= 0; j-- {
		if in.Restores[j].DB == db && in.Restores[j].Kind == "D" {
			return in.Restores[j].Time
		}
	}
	return 0
}

// seedUsable is pred.mirror.seeded's "seeded", by log sequence numbers:
// the newest log backup to the seed file is of this copy of the database
// (its database_guid, which a restore renews), it reaches where the next
// log backup starts (last_log_backup_lsn: no backup since truncated log
// the mirror needs; "Prepare a Mirror Database for Mirroring"), and the
// newest full backup to the seed's .bak ends inside it (its last_lsn
// between the log backup's first_lsn and last_lsn), so the two restore
// together. A full backup, or a COPY_ONLY log backup, truncates nothing.
func seedUsable(h *History, in *Instance, db, path string) bool {
	d := in.DBs[db]
	if d == nil || !d.Full || !d.Chain {
		return false
	}
	l, okL := newestTo(in, db, "L", path)
	f, okF := newestTo(in, db, "D", strings.TrimSuffix(path, ".trn")+".bak")
	if !okL || !okF || l.Guid != d.Guid || f.Guid != d.Guid {
		return false
	}
	return h.Holds(l.To, d.LogFrom) && h.Holds(l.To, f.To) && f.To != l.To && h.Holds(f.To, l.From)
}

// newestTo is the newest backup of db of a kind to a file (the highest
// backup_set_id).
func newestTo(in *Instance, db, kind, path string) (BackupRecord, bool) {
	for j := len(in.Backups) - 1; j >= 0; j-- {
		if b := in.Backups[j]; b.DB == db && b.Kind == kind && b.Path == path {
			return b, true
		}
	}
	return BackupRecord{}, false
}

// drained is the engine's Get-Drained: the newest mgc_*.trn on the share
// against the last file the secondary restored.
func (m *Model) drained(s *State, i int, p plan.Pred) string {
	sec := s.Inst[i].LSSecondary[p.DB]
	if !s.reachable(p.Arg + `\x`) {
		return "unreachable"
	}
	names := s.logBackupsIn(p.Arg, p.DB)
	newest, restored := "", ""
	if len(names) > 0 {
		newest = names[len(names)-1]
	}
	if sec != nil {
		restored = sec.LastRestored
	}
	return yesNo(newest == restored, "yes", "behind")
}

// backupFile is the engine's Get-BackupFileMatch: the backup set in the
// file's header against what the instance took (or last restored).
func (m *Model) backupFile(s *State, i int, p plan.Pred) string {
	// A seed's mirror that the principal already sends its log to
	// ("Database Mirroring Operating Modes": SYNCHRONIZED) needs no seed.
	if d := s.Inst[i].DBs[p.DB]; p.Arg2 == "seed" && d != nil && d.Mir != nil && !d.Mir.Pending && d.Mir.State == Synchronized {
		return "mirrored"
	}
	f, err := s.file(p.Arg)
	if err != nil {
		if !s.reachable(p.Arg) {
			return "unreachable"
		}
		return "missing"
	}
	in := s.Inst[i]
	if p.Arg2 == "restored" || p.Arg2 == "seed" {
		for j := len(in.Restores) - 1; j >= 0; j-- {
			if in.Restores[j].DB == p.DB {
				return yesNo(in.Restores[j].Set == f.Set, "yes", "no")
			}
		}
		return "no"
	}
	for j := len(in.Backups) - 1; j >= 0; j-- {
		if b := in.Backups[j]; b.DB == p.DB && b.Path == p.Arg {
			return yesNo(b.Set == f.Set, "yes", "no")
		}
	}
	return "no"
}

// oldChain is the engine's Get-OldChain: log backups in the share folder
// and the copy folder older than the failback tail-log backup.
func (m *Model) oldChain(s *State, i int, p plan.Pred) string {
	var cut int
	found := false
	for _, b := range s.Inst[i].Backups {
		if b.DB == p.DB && b.Kind == "L" && b.Path == p.Arg {
			cut, found = b.Time, true
		}
	}
	if !found {
		return "unknown"
	}
	n := len(m.oldFiles(s, p.DB, cut))
	if n == 0 {
		return "none"
	}
	return fmt.Sprintf("%d files", n)
}

func (m *Model) oldFiles(s *State, db string, cut int) []string {
	var out []string
	for _, folder := range []string{m.Site.LSFolder, m.Site.CopyFolder} {
		for _, name := range s.logBackupsIn(folder, db) {
			if s.Files[folder+`\`+name].Time < cut {
				out = append(out, folder+`\`+name)
			}
		}
	}
	return out
}

// forkSafe is the engine's Get-MirrorPosition: the mirror holds every log
// record of the last log backup the log-shipping secondary restored.
func (m *Model) forkSafe(s *State, i int, p plan.Pred) string {
	sec := m.Site.Index["backup"]
	d, b := s.db(i, p.DB), s.db(sec, p.DB)
	if d == nil || b == nil || !s.Inst[sec].Up {
		return "unknown"
	}
	return yesNo(s.Hist.Holds(d.At, b.At), "yes", "behind")
}

// ahead is the engine's Get-BackupAhead: the backup instance's last
// restored log against the end of log of a mirror in the primary data
// center; unknown when that instance does not answer or is no mirror.
func (m *Model) ahead(s *State, i int, p plan.Pred) string {
	x := m.instanceOf(p.Arg)
	if x < 0 || !s.Inst[x].Up {
		return "unknown"
	}
	d, b := s.db(x, p.DB), s.db(i, p.DB)
	if d == nil || b == nil || d.Mir == nil || d.Mir.Role != Mirror {
		return "unknown"
	}
	return yesNo(s.Hist.Holds(b.At, d.At), "yes", "behind")
}

// chain is the engine's Get-ChainIntact: the log backups taken here since
// the copy was last restored, not COPY_ONLY and not a tail-log backup WITH
// NORECOVERY, that end past the last log the secondary restored, against
// the log-shipping folder.
func (m *Model) chain(s *State, i int, p plan.Pred) string {
	sec := m.instanceOf(p.Arg2)
	if sec < 0 || !s.Inst[sec].Up || s.db(sec, p.DB) == nil || len(s.Inst[sec].Restores) == 0 {
		return "unknown"
	}
	restored := s.db(sec, p.DB).At
	since := lastRestore(s.Inst[i], p.DB)
	for _, b := range s.Inst[i].Backups {
		if b.DB == p.DB && b.Kind == "L" && !b.CopyOnly && !b.Tail && b.Time > since && !s.Hist.Holds(restored, b.To) && !strings.HasPrefix(b.Path, p.Arg+`\`) {
			return "outside"
		}
	}
	return "intact"
}

// applies is the engine's Get-LogApplies: the log backup in the file
// continues what the copy here last restored, as RESTORE LOG would take it
// (its range holds the copy's point, and ends after it).
func (m *Model) applies(s *State, i int, p plan.Pred) string {
	f, err := s.file(p.Arg)
	if err != nil {
		if !s.reachable(p.Arg) {
			return "unreachable"
		}
		return "missing"
	}
	d := s.db(i, p.DB)
	if d == nil || f.Kind != "L" || len(s.Inst[i].Restores) == 0 {
		return "no"
	}
	switch {
	case !s.Hist.Holds(f.To, d.At) || f.To == d.At:
		return "no"
	case !s.Hist.Holds(d.At, f.From):
		return "gap"
	}
	return "yes"
}

// instanceOf is the index of the instance a predicate names by its server
// (the @a1 or @a2 of the engine's cross-instance readings), -1 if none.
func (m *Model) instanceOf(server string) int {
	x := -1
	for j, a := range m.Site.Plan.Accounts {
		if a.Target.Server == server {
			x = j
		}
	}
	return x
}
