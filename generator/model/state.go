// Package model is a model of a Persistent Chat site, written from
// Microsoft's documentation of SQL Server and Lync / Skype for Business
// Server, on which the plan's operations are run on every path: stopped
// after any step, declined, resumed from any step, run twice, started from
// every state a site can really be in. It is not SQL Server: each
// transition is what the cited page says the statement or cmdlet does
// (including how it refuses), and what no page confirms is an assumption,
// listed with the transitions in docs/model.md.
package model

import (
	"hash/maphash"
	"sort"
	"sync"
)

// Database states, as sys.databases.state_desc shows them.
const (
	Online    = "ONLINE"
	Restoring = "RESTORING"
	Offline   = "OFFLINE"
)

// User access modes (sys.databases.user_access_desc).
const (
	MultiUser      = "MULTI_USER"
	SingleUser     = "SINGLE_USER"
	RestrictedUser = "RESTRICTED_USER"
)

// Mirroring roles and session states.
const (
	Principal    = "PRINCIPAL"
	Mirror       = "MIRROR"
	Synchronized = "SYNCHRONIZED"
	Suspended    = "SUSPENDED"
	Disconnected = "DISCONNECTED"
)

// Database is one copy of a database on an instance.
type Database struct {
	State   string
	Access  string
	Full    bool // FULL recovery model (SIMPLE otherwise)
	At      int  // the newest log record it holds: a node of the History
	Chain   bool // a log backup chain exists (last_log_backup_lsn is set)
	LogFrom int  // where the next log backup starts (last_log_backup_lsn)
	// Sessions: pool servers or other users are connected. An operation
	// that needs exclusive access fails with error 3101 while they are.
	Sessions bool
	Mir      *Session // the mirroring session, nil when not mirrored
	// Guid is database_guid (sys.database_recovery_status): "When the
	// database is restored, a new value is assigned" ("backupset"), and
	// each backup records it.
	Guid int
}

// Session is one side of a database mirroring session.
type Session struct {
	Role    string
	Partner int // the partner instance
	Witness int // -1 without a witness
	State   string
	// Pending is the mirror side after SET PARTNER on the mirror and
	// before SET PARTNER on the principal.
	Pending bool
}

// Instance is one SQL Server instance.
type Instance struct {
	Role  string
	Up    bool
	Agent bool // SQL Server Agent runs
	DBs   map[string]*Database
	// msdb
	LSPrimary   map[string]*LSPrimary
	LSSecondary map[string]*LSSecondary
	Backups     []BackupRecord     // msdb.dbo.backupset, oldest first
	Restores    []RestoreRecord    // msdb.dbo.restorehistory, oldest first
	LogJobs     map[string]*LogJob // the databases' own log backup jobs, by job name
	Endpoint    bool               // a STARTED mirroring endpoint that fits, on the site's port, AES
	Connect     map[string]bool    // logins with CONNECT on it
}

// LSPrimary is a msdb.dbo.log_shipping_primary_databases row and its
// backup job.
type LSPrimary struct {
	JobEnabled bool
	// PausedBy is "seed" or "dr" when the job description carries the
	// marker of a seed or of a DR script (templates/sql/partials.sql.tmpl,
	// templates/sql/dr/partials.sql.tmpl); a seed's pause only the partner
	// script resumes.
	PausedBy    string
	Secondaries map[string]bool
}

// LogJob is a database's own log backup job (templates/sql/log-backups):
// Paused is "seed" or "dr" when a script disabled it with its marker.
type LogJob struct {
	DB, Folder string
	Enabled    bool
	Paused     string
}

// LSSecondary is a log_shipping_secondary(_databases) row and its jobs.
type LSSecondary struct {
	CopyEnabled, RestoreEnabled bool
	LastCopied, LastRestored    string // file names
}

// BackupRecord is one msdb.dbo.backupset row with its media file.
type BackupRecord struct {
	DB       string
	Kind     string // D (database) or L (log)
	Path     string
	Set      int // backup_set_uuid
	Time     int // backup_finish_date
	CopyOnly bool
	Tail     bool // is_force_offline: taken WITH NORECOVERY
	From, To int  // first_lsn and last_lsn, as nodes of the History
	Guid     int  // database_guid of the copy backed up
}

// RestoreRecord is one msdb.dbo.restorehistory row.
type RestoreRecord struct {
	DB   string
	Kind string
	Path string
	Set  int
	Time int
}

// File is a backup file on a share or folder.
type File struct {
	DB       string
	Kind     string // D or L
	From, To int    // the log it covers (From exclusive); a full backup holds To
	Set      int    // the backup set identifier in its header
	Access   string // the user access mode recorded in the backup
	Time     int
	Tail     bool
}

// Pool is the Persistent Chat pool as Lync sees it.
type Pool struct {
	FailedOver bool
	Active     []string // FQDNs, sorted
	CMS        bool     // the Central Management store answers
}

// State is the whole site.
type State struct {
	Inst  []*Instance
	Files map[string]File // by full path
	// ShareUp says which file servers answer, by host name; a local
	// folder (C:\...) belongs to the backup instance's host.
	ShareUp map[string]bool
	Pool    Pool
	Hist    *History
	// Acked are the chat writes acknowledged to clients: nodes of the
	// history that must survive in the copy that serves.
	Acked []int
	Clock int
	// LossAccepted is set when a script said it accepts data loss (a
	// data-loss switch waived a check): what is lost after that is the
	// operator's decision, announced.
	LossAccepted bool
	// Folders that exist on the share.
	Folders map[string]bool
	// DCDown and ServerDown say which Persistent Chat servers are down, by
	// data center or by FQDN.
	DCDown     map[string]bool
	ServerDown map[string]bool
	// Stranded are acknowledged writes that a failure left only in copies
	// or files that do not answer: the disaster's loss, not a script's.
	Stranded map[int]bool
	// Topology roles: the index of each instance by site role.
	roles map[string]int
}

// History is the tree of log records: every chat write and every recovery
// (which starts a recovery fork) is a node whose parent is the record
// before it in that copy. A copy holds a node when it holds the node or a
// descendant of it.
type History struct {
	mu     sync.RWMutex
	parent []int
	write  []bool // a chat write, not a recovery fork point
}

// NewHistory starts a history with node 0, the empty database Lync
// installs.
func NewHistory() *History { return &History{parent: []int{-1}, write: []bool{false}} }

func (h *History) add(parent int, write bool) int {
	h.mu.Lock()
	defer h.mu.Unlock()
	h.parent = append(h.parent, parent)
	h.write = append(h.write, write)
	return len(h.parent) - 1
}

// Holds reports whether a copy at node at holds node n.
func (h *History) Holds(at, n int) bool {
	if at < n {
		// A node's ancestors are older: they have smaller numbers.
		return false
	}
	h.mu.RLock()
	defer h.mu.RUnlock()
	for at >= 0 {
		if at == n {
			return true
		}
		at = h.parent[at]
	}
	return false
}

// mark adds to marks the nodes a copy at at holds, down to node lo.
func (h *History) mark(marks map[int]struct{}, at, lo int) {
	// The history is shared by every path the explorer walks, so node
	// numbers are sparse along one copy's chain: a set of the chain's
	// nodes, not a range. A node marked already has its chain marked.
	h.mu.RLock()
	defer h.mu.RUnlock()
	for at >= lo {
		if _, seen := marks[at]; seen {
			return
		}
		marks[at] = struct{}{}
		at = h.parent[at]
	}
}

// Inst returns the instance of a site role, or nil.
func (s *State) InstOf(role string) *Instance {
	i, ok := s.roles[role]
	if !ok {
		return nil
	}
	return s.Inst[i]
}

// Index returns the index of a role's instance, -1 if absent.
func (s *State) Index(role string) int {
	i, ok := s.roles[role]
	if !ok {
		return -1
	}
	return i
}

// Clone copies the state; the history is shared (it only grows, and node
// numbers are never reused).
func (s *State) Clone() *State {
	c := *s
	c.Inst = make([]*Instance, len(s.Inst))
	for i, in := range s.Inst {
		c.Inst[i] = in.clone()
	}
	c.Files = make(map[string]File, len(s.Files))
	for k, v := range s.Files {
		c.Files[k] = v
	}
	c.Folders = make(map[string]bool, len(s.Folders))
	for k, v := range s.Folders {
		c.Folders[k] = v
	}
	c.DCDown = copyBools(s.DCDown)
	c.Stranded = make(map[int]bool, len(s.Stranded))
	for k, v := range s.Stranded {
		c.Stranded[k] = v
	}
	c.ServerDown = copyBools(s.ServerDown)
	c.ShareUp = make(map[string]bool, len(s.ShareUp))
	for k, v := range s.ShareUp {
		c.ShareUp[k] = v
	}
	c.Pool.Active = append([]string(nil), s.Pool.Active...)
	c.Acked = append([]int(nil), s.Acked...)
	return &c
}

func (in *Instance) clone() *Instance {
	c := *in
	c.DBs = make(map[string]*Database, len(in.DBs))
	for k, d := range in.DBs {
		dd := *d
		if d.Mir != nil {
			m := *d.Mir
			dd.Mir = &m
		}
		c.DBs[k] = &dd
	}
	c.LSPrimary = make(map[string]*LSPrimary, len(in.LSPrimary))
	for k, p := range in.LSPrimary {
		pp := *p
		pp.Secondaries = map[string]bool{}
		for s := range p.Secondaries {
			pp.Secondaries[s] = true
		}
		c.LSPrimary[k] = &pp
	}
	c.LSSecondary = make(map[string]*LSSecondary, len(in.LSSecondary))
	for k, p := range in.LSSecondary {
		pp := *p
		c.LSSecondary[k] = &pp
	}
	c.LogJobs = make(map[string]*LogJob, len(in.LogJobs))
	for k, j := range in.LogJobs {
		jj := *j
		c.LogJobs[k] = &jj
	}
	c.Backups = append([]BackupRecord(nil), in.Backups...)
	c.Restores = append([]RestoreRecord(nil), in.Restores...)
	c.Connect = make(map[string]bool, len(in.Connect))
	for k, v := range in.Connect {
		c.Connect[k] = v
	}
	return &c
}

// Hash is a digest of the state, for counting distinct states: the same
// state hashes the same whatever the path that reached it.
func (s *State) Hash() uint64 {
	h := hasher(14695981039346656037)
	for _, in := range s.Inst {
		h.str(in.Role).bool(in.Up).bool(in.Agent).bool(in.Endpoint)
		for _, db := range sortedKeys(in.DBs) {
			d := in.DBs[db]
			h.str(db).str(d.State).str(d.Access).bool(d.Full).int(d.At).bool(d.Chain).int(d.LogFrom).bool(d.Sessions).int(d.Guid)
			if d.Mir != nil {
				h.str(d.Mir.Role).int(d.Mir.Partner).int(d.Mir.Witness).str(d.Mir.State).bool(d.Mir.Pending)
			}
		}
		for _, db := range sortedKeys(in.LSPrimary) {
			p := in.LSPrimary[db]
			h.str(db).bool(p.JobEnabled).str(p.PausedBy).int(len(p.Secondaries))
		}
		for _, db := range sortedKeys(in.LSSecondary) {
			p := in.LSSecondary[db]
			h.str(db).bool(p.CopyEnabled).bool(p.RestoreEnabled).str(p.LastCopied).str(p.LastRestored)
		}
		for _, name := range sortedKeys(in.LogJobs) {
			j := in.LogJobs[name]
			h.str(name).bool(j.Enabled).str(j.Paused)
		}
		h.int(len(in.Backups)).int(len(in.Restores))
	}
	// The files are many and change one at a time: each is hashed on its
	// own and the digests summed, which needs no sorting (a sum does not
	// depend on the map's order).
	var files uint64
	for path, f := range s.Files {
		fh := hasher(strHash(path))
		fh.str(f.Kind).int(f.From).int(f.To).int(f.Set)
		files += uint64(fh)
	}
	h.int(int(files))
	for _, k := range sortedKeys(s.ShareUp) {
		h.str(k).bool(s.ShareUp[k])
	}
	h.bool(s.Pool.FailedOver).bool(s.Pool.CMS).int(len(s.Acked))
	for _, a := range s.Pool.Active {
		h.str(a)
	}
	return uint64(h)
}

// pathSeed seeds the digests of the strings states hash most: file paths,
// hashed after every step. maphash uses the CPU's AES instructions; a
// cache shared by the explorer's workers cost more than it saved. Only
// equality within one run matters (the count of distinct states).
var pathSeed = maphash.MakeSeed()

func strHash(s string) uint64 { return maphash.String(pathSeed, s) }

// hasher is FNV-1a over the fields it is given.
type hasher uint64

func (h *hasher) byte(b byte) { *h = (*h ^ hasher(b)) * 1099511628211 }

func (h *hasher) str(s string) *hasher {
	for i := 0; i < len(s); i++ {
		h.byte(s[i])
	}
	h.byte(0)
	return h
}

// int mixes a whole word at once (a multiply and a shift), not byte by
// byte: states hold many numbers.
func (h *hasher) int(n int) *hasher {
	x := uint64(*h) ^ uint64(n)
	x *= 0x9E3779B97F4A7C15
	x ^= x >> 31
	*h = hasher(x)
	return h
}

func (h *hasher) bool(b bool) *hasher {
	if b {
		h.byte(1)
	} else {
		h.byte(2)
	}
	return h
}

func sortedKeys[V any](m map[string]V) []string {
	out := make([]string, 0, len(m))
	for k := range m {
		out = append(out, k)
	}
	sort.Strings(out)
	return out
}

func copyBools(m map[string]bool) map[string]bool {
	c := make(map[string]bool, len(m))
	for k, v := range m {
		c[k] = v
	}
	return c
}
