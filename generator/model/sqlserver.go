package model

import (
	"fmt"
	"strings"
)

// SQLError is how the model's SQL Server refuses a statement: the error
// number the documentation gives, or 0 where it gives none.
type SQLError struct {
	N   int
	Msg string
}

func (e *SQLError) Error() string {
	if e.N == 0 {
		return e.Msg
	}
	return fmt.Sprintf("Msg %d: %s", e.N, e.Msg)
}

func refuse(n int, format string, args ...any) error {
	return &SQLError{N: n, Msg: fmt.Sprintf(format, args...)}
}

// Each statement below is one transition of sources.go; the refusals are
// those its pages document.

func (s *State) tick() int { s.Clock++; return s.Clock }

func (s *State) db(i int, name string) *Database {
	if d, ok := s.Inst[i].DBs[name]; ok {
		return d
	}
	return nil
}

// up fails the way a client does when the instance does not answer.
func (s *State) up(i int) error {
	if !s.Inst[i].Up {
		return refuse(0, "%s does not answer", s.Inst[i].Role)
	}
	return nil
}

func (s *State) newSet() int { s.Clock++; return s.Clock }

// BackupDatabase: BACKUP DATABASE db TO DISK = path [WITH COPY_ONLY].
func (s *State) BackupDatabase(i int, name, path string, copyOnly bool) error {
	if err := s.up(i); err != nil {
		return err
	}
	d := s.db(i, name)
	switch {
	case d == nil:
		return refuse(911, "database %s does not exist", name)
	case d.Mir != nil && d.Mir.Role == Mirror, d.State == Restoring:
		return refuse(3059, "backup and restore of the mirror or a RESTORING database are not allowed")
	case d.State != Online:
		return refuse(942, "%s is %s", name, d.State)
	}
	if err := s.fileWritable(path); err != nil {
		return err
	}
	set := s.newSet()
	t := s.tick()
	s.Files[path] = File{DB: name, Kind: "D", To: d.At, Set: set, Access: d.Access, Time: t}
	s.Inst[i].Backups = append(s.Inst[i].Backups, BackupRecord{DB: name, Kind: "D", Path: path, Set: set, Time: t, CopyOnly: copyOnly, From: d.At, To: d.At, Guid: d.Guid})
	if !copyOnly && d.Full && !d.Chain {
		d.Chain, d.LogFrom = true, d.At
	}
	return nil
}

// BackupLog: BACKUP LOG db TO DISK = path [WITH NORECOVERY | COPY_ONLY].
func (s *State) BackupLog(i int, name, path string, noRecovery, copyOnly bool) error {
	if err := s.up(i); err != nil {
		return err
	}
	d := s.db(i, name)
	switch {
	case d == nil:
		return refuse(911, "database %s does not exist", name)
	case d.Mir != nil && d.Mir.Role == Mirror, d.State == Restoring:
		return refuse(3059, "backup and restore of the mirror or a RESTORING database are not allowed")
	case d.State != Online:
		return refuse(942, "%s is %s", name, d.State)
	case !d.Full || !d.Chain:
		return refuse(4214, "BACKUP LOG cannot be performed because there is no current database backup")
	case noRecovery && d.Mir != nil:
		return refuse(0, "BACKUP LOG WITH NORECOVERY is not allowed on a mirroring principal")
	case noRecovery && d.Sessions:
		return refuse(3101, "exclusive access could not be obtained because the database is in use")
	}
	if err := s.fileWritable(path); err != nil {
		return err
	}
	// A log backup writes log records of its own: its range is never empty.
	s.logRecord(i, name, false)
	set := s.newSet()
	t := s.tick()
	s.Files[path] = File{DB: name, Kind: "L", From: d.LogFrom, To: d.At, Set: set, Access: d.Access, Time: t, Tail: noRecovery}
	s.Inst[i].Backups = append(s.Inst[i].Backups, BackupRecord{DB: name, Kind: "L", Path: path, Set: set, Time: t, CopyOnly: copyOnly, Tail: noRecovery, From: d.LogFrom, To: d.At, Guid: d.Guid})
	if !copyOnly {
		d.LogFrom = d.At
	}
	if noRecovery {
		d.State = Restoring
	}
	return nil
}

// RestoreDatabase: RESTORE DATABASE db FROM DISK = path WITH
// {NORECOVERY|RECOVERY}[, REPLACE].
func (s *State) RestoreDatabase(i int, name, path string, recovery, replace bool) error {
	if err := s.up(i); err != nil {
		return err
	}
	f, err := s.file(path)
	if err != nil {
		return err
	}
	if f.Kind != "D" || f.DB != name {
		return refuse(3154, "the backup set holds a backup of another kind or database")
	}
	d := s.db(i, name)
	if d != nil {
		switch {
		case d.Mir != nil:
			return refuse(3104, "RESTORE cannot operate on database %s because it is configured for database mirroring", name)
		case !replace && d.State != Restoring:
			return refuse(3159, "the tail of the log has not been backed up; use WITH REPLACE to overwrite it")
		case d.State == Online && d.Sessions:
			return refuse(3101, "exclusive access could not be obtained because the database is in use")
		}
	}
	nd := &Database{State: Restoring, Access: f.Access, Full: true, At: f.To, Chain: true, LogFrom: f.To, Guid: s.newSet()}
	s.Inst[i].DBs[name] = nd
	s.Inst[i].Restores = append(s.Inst[i].Restores, RestoreRecord{DB: name, Kind: "D", Path: path, Set: f.Set, Time: s.tick()})
	if recovery {
		s.recover(nd)
	}
	return nil
}

// RestoreLog: RESTORE LOG db FROM DISK = path WITH {NORECOVERY|RECOVERY}.
func (s *State) RestoreLog(i int, name, path string, recovery bool) error {
	if err := s.up(i); err != nil {
		return err
	}
	f, err := s.file(path)
	if err != nil {
		return err
	}
	d := s.db(i, name)
	switch {
	case d == nil:
		return refuse(911, "database %s does not exist", name)
	case d.Mir != nil:
		return refuse(3104, "RESTORE cannot operate on database %s because it is configured for database mirroring", name)
	case d.State != Restoring:
		return refuse(3117, "the log or differential backup cannot be restored because no files are ready to rollforward")
	case f.Kind != "L" || f.DB != name:
		return refuse(3154, "the backup set holds a backup of another kind or database")
	}
	switch {
	case s.Hist.Holds(d.At, f.To):
		return refuse(4326, "the log in this backup set terminates at a point too early to apply to the database")
	case s.Hist.Holds(f.To, d.At) && s.Hist.Holds(d.At, f.From):
		d.At = f.To
		d.LogFrom = f.To
	case s.Hist.Holds(f.To, d.At):
		return refuse(4305, "the log in this backup set begins at a point too recent to apply to the database")
	default:
		return refuse(4330, "this backup set cannot be applied because it is on a recovery path that is inconsistent with the database")
	}
	d.Access = f.Access
	s.Inst[i].Restores = append(s.Inst[i].Restores, RestoreRecord{DB: name, Kind: "L", Path: path, Set: f.Set, Time: s.tick()})
	if recovery {
		s.recover(d)
	}
	return nil
}

// RestoreRecovery: RESTORE DATABASE db WITH RECOVERY.
func (s *State) RestoreRecovery(i int, name string) error {
	if err := s.up(i); err != nil {
		return err
	}
	d := s.db(i, name)
	switch {
	case d == nil:
		return refuse(911, "database %s does not exist", name)
	case d.Mir != nil:
		return refuse(3104, "RESTORE cannot operate on database %s because it is configured for database mirroring", name)
	case d.State != Restoring:
		return refuse(3153, "the database is already fully recovered")
	}
	s.recover(d)
	return nil
}

// recover brings a database online at the end of what it restored; the
// recovery starts a new recovery fork, a node of its own in the history.
func (s *State) recover(d *Database) {
	before := d.At
	d.At = s.Hist.add(before, false)
	d.State = Online
	d.Chain, d.LogFrom = true, before
	d.Sessions = false
}

// SetPartner: ALTER DATABASE db SET PARTNER = address, run on i, naming
// the instance partner.
func (s *State) SetPartner(i int, name string, partner int) error {
	if err := s.up(i); err != nil {
		return err
	}
	d := s.db(i, name)
	if d == nil {
		return refuse(911, "database %s does not exist", name)
	}
	if d.Mir != nil && !d.Mir.Pending {
		return refuse(1405, "the database is already enabled for database mirroring")
	}
	if !s.Inst[i].Endpoint {
		return refuse(1418, "the server network address cannot be reached or does not exist")
	}
	if d.State == Restoring {
		if d.Mir != nil {
			return refuse(1405, "the database is already enabled for database mirroring")
		}
		d.Mir = &Session{Role: Mirror, Partner: partner, Witness: -1, State: Disconnected, Pending: true}
		return nil
	}
	// The principal side: the mirror must be waiting for it, with a point
	// inside the log the principal still has.
	if d.State != Online || !d.Full {
		return refuse(1465, "database mirroring needs the FULL recovery model and an ONLINE principal")
	}
	if err := s.up(partner); err != nil {
		return refuse(1418, "the server network address cannot be reached or does not exist")
	}
	m := s.db(partner, name)
	if !s.Inst[partner].Endpoint || m == nil || m.Mir == nil || !m.Mir.Pending || m.Mir.Partner != i {
		return refuse(1416, "database is not configured for database mirroring on the mirror")
	}
	if !(s.Hist.Holds(d.At, m.At) && s.Hist.Holds(m.At, d.LogFrom)) {
		return refuse(1478, "the mirror database has insufficient transaction log data to preserve the log backup chain of the principal database")
	}
	d.Mir = &Session{Role: Principal, Partner: partner, Witness: -1, State: Synchronized}
	m.Mir = &Session{Role: Mirror, Partner: i, Witness: -1, State: Synchronized}
	m.At = d.At
	return nil
}

// SetWitness: ALTER DATABASE db SET WITNESS = address, on the principal.
func (s *State) SetWitness(i int, name string, w int) error {
	if err := s.up(i); err != nil {
		return err
	}
	d := s.db(i, name)
	if d == nil || d.Mir == nil || d.Mir.Role != Principal {
		return refuse(1416, "the database is not the principal of a mirroring session")
	}
	m := s.db(d.Mir.Partner, name)
	if !s.Inst[w].Up || !s.Inst[w].Endpoint || !s.Inst[d.Mir.Partner].Up || d.Mir.State != Synchronized {
		return refuse(1426, "all three server instances must be interconnected, and the mirror database must be caught up")
	}
	d.Mir.Witness, m.Mir.Witness = w, w
	return nil
}

// SetPartnerOff: ALTER DATABASE db SET PARTNER OFF, on either partner.
func (s *State) SetPartnerOff(i int, name string) error {
	if err := s.up(i); err != nil {
		return err
	}
	d := s.db(i, name)
	if d == nil || d.Mir == nil {
		return refuse(1416, "the database is not configured for database mirroring")
	}
	if !d.Mir.Pending {
		if o := s.db(d.Mir.Partner, name); o != nil && o.Mir != nil && o.Mir.Partner == i {
			o.Mir = nil
		}
	}
	d.Mir = nil
	return nil
}

// SetPartnerFailover: ALTER DATABASE db SET PARTNER FAILOVER, on the
// principal.
func (s *State) SetPartnerFailover(i int, name string) error {
	if err := s.up(i); err != nil {
		return err
	}
	d := s.db(i, name)
	if d == nil || d.Mir == nil || d.Mir.Role != Principal {
		return refuse(1404, "the command failed because the database mirror is busy or the database is not the principal")
	}
	if d.Mir.State != Synchronized || !s.Inst[d.Mir.Partner].Up {
		return refuse(1422, "the mirror server instance is not caught up to the recent changes to database %s", name)
	}
	m := s.db(d.Mir.Partner, name)
	m.State, m.Access, m.Mir.Role = Online, d.Access, Principal
	m.At, m.Chain, m.LogFrom = d.At, d.Chain, d.LogFrom
	d.State, d.Mir.Role, d.Sessions = Restoring, Mirror, false
	return nil
}

// ForceService: ALTER DATABASE db SET PARTNER FORCE_SERVICE_ALLOW_DATA_LOSS,
// on the mirror, while its principal is down.
func (s *State) ForceService(i int, name string) error {
	if err := s.up(i); err != nil {
		return err
	}
	d := s.db(i, name)
	if d == nil || d.Mir == nil || d.Mir.Role != Mirror {
		return refuse(1455, "the database is not the mirror of a mirroring session")
	}
	if s.Inst[d.Mir.Partner].Up {
		return refuse(1455, "service cannot be forced while the principal is connected")
	}
	s.recover(d)
	d.Mir.Role, d.Mir.State = Principal, Suspended
	if o := s.db(d.Mir.Partner, name); o != nil && o.Mir != nil {
		// When it rejoins, the old principal is the mirror of a suspended
		// session; its unsent log is lost at SET PARTNER RESUME.
		o.Mir.Role, o.Mir.State, o.State, o.Sessions = Mirror, Suspended, Restoring, false
	}
	return nil
}

// SetOffline: ALTER DATABASE db SET OFFLINE WITH ROLLBACK IMMEDIATE.
func (s *State) SetOffline(i int, name string) error {
	if err := s.up(i); err != nil {
		return err
	}
	d := s.db(i, name)
	switch {
	case d == nil:
		return refuse(911, "database %s does not exist", name)
	case d.State == Restoring:
		return refuse(5063, "a database marked as RESTORING can't be set to OFFLINE")
	case d.Mir != nil:
		return refuse(1468, "the operation cannot be performed on database %s because it is involved in a database mirroring session", name)
	}
	d.State, d.Sessions = Offline, false
	return nil
}

// SetAccess: ALTER DATABASE db SET {MULTI_USER|RESTRICTED_USER|SINGLE_USER}
// WITH ROLLBACK IMMEDIATE.
func (s *State) SetAccess(i int, name, mode string) error {
	if err := s.up(i); err != nil {
		return err
	}
	d := s.db(i, name)
	if d == nil || d.State != Online {
		return refuse(5011, "user access can only be changed on an ONLINE database")
	}
	d.Access, d.Sessions = mode, false
	return nil
}

// Kill ends the sessions on a database (KILL for each).
func (s *State) Kill(i int, name string) {
	if d := s.db(i, name); d != nil && s.Inst[i].Up {
		d.Sessions = false
	}
}

// DropDatabase: DROP DATABASE db.
func (s *State) DropDatabase(i int, name string) error {
	if err := s.up(i); err != nil {
		return err
	}
	d := s.db(i, name)
	if d == nil {
		return nil
	}
	if d.Mir != nil {
		return refuse(3743, "the database %s is enabled for database mirroring; remove mirroring before dropping it", name)
	}
	delete(s.Inst[i].DBs, name)
	return nil
}

func (s *State) file(path string) (File, error) {
	if !s.reachable(path) {
		return File{}, refuse(3201, "cannot open backup device %s: the share does not answer", path)
	}
	f, ok := s.Files[path]
	if !ok {
		return File{}, refuse(3201, "cannot open backup device %s", path)
	}
	return f, nil
}

func (s *State) fileWritable(path string) error {
	if !s.reachable(path) {
		return refuse(3201, "cannot open backup device %s: the share does not answer", path)
	}
	if !s.Folders[dirOf(path)] {
		return refuse(3201, "cannot open backup device %s: the folder does not exist", path)
	}
	return nil
}

// logRecord appends a log record to a database, and to its mirror when the
// session is synchronized (synchronous mirroring hardens every record on
// both partners before it commits). It returns the new node.
func (s *State) logRecord(i int, name string, write bool) int {
	d := s.db(i, name)
	n := s.Hist.add(d.At, write)
	d.At = n
	if d.Mir != nil && d.Mir.Role == Principal && d.Mir.State == Synchronized {
		if m := s.db(d.Mir.Partner, name); m != nil && s.Inst[d.Mir.Partner].Up {
			m.At = n
		} else {
			d.Mir.State = Disconnected
			if m != nil && m.Mir != nil {
				m.Mir.State = Disconnected
			}
		}
	}
	return n
}

// reachable says whether a file's folder answers: a UNC path's file
// server, or the backup instance's host for a local path.
func (s *State) reachable(path string) bool {
	if h := hostOf(path); h != "" {
		return s.ShareUp[h]
	}
	in := s.InstOf("backup")
	return in != nil && in.Up
}

// hostOf is the server of a UNC path, "" for a local path.
func hostOf(path string) string {
	if !strings.HasPrefix(path, `\\`) {
		return ""
	}
	rest := path[2:]
	if i := strings.IndexByte(rest, '\\'); i >= 0 {
		return strings.ToLower(rest[:i])
	}
	return strings.ToLower(rest)
}

func dirOf(path string) string {
	if i := strings.LastIndexByte(path, '\\'); i >= 0 {
		return path[:i]
	}
	return path
}
