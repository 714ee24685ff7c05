package plan

import (
	"sort"
	"strings"
)

// Pred is a state predicate: the live value of Kind, read on an instance
// (or in the Management Shell), must be one of Want. Each kind has exactly
// one query, rendered into both the orchestrators' engine and the .sql
// files' guard batches (templates/sql/predicates.sql.tmpl and the engine's
// cmdlet readers in templates/ps/engine.ps1.tmpl).
type Pred struct {
	Kind string
	On   *Target // the instance it is read on; nil for pool and share kinds
	DB   string  // @db
	Arg  string  // @a1, kind-specific
	Arg2 string  // @a2, kind-specific
	Want []string
	// Unless names the switch that turns a failure of this predicate into
	// a warning (for example AcceptDataLoss).
	Unless string
	// Fix is the command that makes the predicate true when no earlier
	// step of the operation does (relative to the site folder).
	Fix string
	// When is the pool state in which the predicate applies; in the other
	// state it holds. Only pre-flight checks use it (the orchestrator
	// reads the pool state; a .sql file cannot): the same copy of mgc
	// RESTORING is the log-shipping secondary while the pool is Normal,
	// and a failback stopped part-way while it is FailedOver.
	When string
}

// Kind describes a predicate kind: where it is read, what its live values
// are, and how a predicate of it reads in a sentence.
type Kind struct {
	Name string
	// Scalar kinds are read with one scalar T-SQL query on an instance, so
	// a .sql file can check them itself; the others are read by the
	// orchestrator (cmdlets, the share, or queries that return rows).
	Scalar bool
	Values string // the live values it yields, for docs/model.md
	// Phrase renders the predicate for humans; want is the wanted values
	// joined with " or ".
	Phrase func(p Pred, where, want string) string
}

// Predicate kinds. The T-SQL ones return "absent" when the row they read
// does not exist.
const (
	KDBState       = "db.state"       // state_desc of @db
	KDBRole        = "db.role"        // mirroring role of @db: PRINCIPAL, MIRROR or none
	KDBWritable    = "db.writable"    // whether @db accepts writes, and why not
	KDBRecovery    = "db.recovery"    // recovery model of @db
	KPartner       = "mirror.partner" // mirroring partner of @db, upper case, or none
	KMirrorState   = "mirror.state"   // mirroring_state_desc of @db, or none
	KWitness       = "mirror.witness" // witness of @db and its state, or none
	KSeeded        = "mirror.seeded"  // whether the mirror can be seeded from @a1 (the seed log backup)
	KLSPrimary     = "ls.primary"     // log-shipping backup job of @db: enabled, disabled or none
	KLSPrimarySec  = "ls.primary.secondary"
	KLSSecondary   = "ls.secondary"   // log-shipping secondary @db: its copy and restore jobs
	KBackupCurrent = "backup.current" // whether the newest full backup of @db is to @a1 and no log backup followed it
	KJob           = "job.enabled"    // Agent job @a1 (of @db): enabled, paused, disabled or absent
	KAgent         = "agent"          // SQL Server Agent: running or stopped
	KPoolState     = "pool.state"     // Get-CsPersistentChatState's PoolState
	KActive        = "pool.active"    // the active servers, sorted, comma-separated ('' when none)
	KDrained       = "share.drained"  // the newest mgc_*.trn on the share against the last restored file
	KReachable     = "reachable"      // whether the instance answers
	KCMS           = "cms"            // whether the Central Management store answers
	KBackupFile    = "backup.file"    // whether the backup file @a1 is the newest full backup of @db on the instance
	KNewestFull    = "backup.full"    // whether the newest full backup of @db is to @a1
	KTail          = "backup.tail"    // whether @db is RESTORING after a log backup WITH NORECOVERY to @a1
	KEndpoint      = "endpoint"       // the mirroring endpoint: ok for port @a1 and role @a2, or what is wrong
	KConnect       = "endpoint.connect"
	KForkSafe      = "ls.position"    // the mirror's log against the last log the backup instance restored
	KOldChain      = "share.oldchain" // log backups in @a1 and @a2 from before the tail-log backup @a3 ended the chain
	KFolder        = "share.folder"   // whether the folder @a1 exists
	KSession       = "mirror.session" // role, state and partner of @db's mirroring session
	KAhead         = "ls.ahead"       // whether the backup instance holds all the log the mirror @a1 has
	KChain         = "ls.chain"       // whether every log backup of @db here that the secondary @a2 lacks is in the log-shipping folder @a1
	KApplies       = "backup.applies" // whether the log backup in @a1 continues what @db here last restored
)

// Kinds is every predicate kind, by name.
var Kinds = map[string]Kind{
	KDBState: {Name: KDBState, Scalar: true, Values: "ONLINE, RESTORING, OFFLINE, ... (sys.databases.state_desc), absent",
		Phrase: func(p Pred, w, want string) string { return p.DB + " on " + w + " is " + want }},
	KDBRole: {Name: KDBRole, Scalar: true, Values: "PRINCIPAL, MIRROR (sys.database_mirroring.mirroring_role_desc), none (not mirrored), absent",
		Phrase: func(p Pred, w, want string) string {
			return "the mirroring role of " + p.DB + " on " + w + " is " + want
		}},
	KDBWritable: {Name: KDBWritable, Scalar: true, Values: "writable, read-only, restricted, single-user, mirror, restoring, offline, absent",
		Phrase: func(p Pred, w, want string) string { return p.DB + " on " + w + " is " + want }},
	KDBRecovery: {Name: KDBRecovery, Scalar: true, Values: "FULL, BULK_LOGGED, SIMPLE, absent",
		Phrase: func(p Pred, w, want string) string {
			return p.DB + " on " + w + " uses the " + want + " recovery model"
		}},
	KPartner: {Name: KPartner, Scalar: true, Values: "the partner address in upper case, none, absent",
		Phrase: func(p Pred, w, want string) string {
			return "the mirroring partner of " + p.DB + " on " + w + " is " + want
		}},
	KMirrorState: {Name: KMirrorState, Scalar: true, Values: "SYNCHRONIZED, SYNCHRONIZING, SUSPENDED, DISCONNECTED, PENDING_FAILOVER, none, absent",
		Phrase: func(p Pred, w, want string) string {
			return "the mirroring session of " + p.DB + " on " + w + " is " + want
		}},
	KWitness: {Name: KWitness, Scalar: true, Values: "the witness address in upper case followed by its state, none, absent",
		Phrase: func(p Pred, w, want string) string {
			return "the witness of " + p.DB + " on " + w + " is " + want
		}},
	KSeeded: {Name: KSeeded, Scalar: true, Values: "mirrored (the principal of a session with @a2), seeded (the newest log backup to the seed @a1 is of this copy, reaches last_log_backup_lsn, and holds the end of the newest full backup to the .bak beside it), no",
		Phrase: func(p Pred, w, want string) string {
			return p.DB + " on " + w + " is " + want + " (seed " + p.Arg + ")"
		}},
	KLSPrimary: {Name: KLSPrimary, Scalar: true, Values: "enabled, paused (disabled by a seed), paused-dr (disabled by a DR switchover or fence), disabled (by anyone else), none (no primary entry), absent",
		Phrase: func(p Pred, w, want string) string {
			return "the log-shipping backup job of " + p.DB + " on " + w + " is " + want
		}},
	KLSPrimarySec: {Name: KLSPrimarySec, Scalar: true, Values: "registered, none",
		Phrase: func(p Pred, w, want string) string {
			return p.DB + " on " + w + " has the log-shipping secondary " + p.Arg + " " + want
		}},
	KLSSecondary: {Name: KLSSecondary, Scalar: true, Values: "enabled (copy and restore jobs), disabled, partly enabled, none (not a secondary), absent",
		Phrase: func(p Pred, w, want string) string {
			return p.DB + " on " + w + " is a log-shipping secondary with its jobs " + want
		}},
	KBackupCurrent: {Name: KBackupCurrent, Scalar: true, Values: "yes, no",
		Phrase: func(p Pred, w, want string) string {
			return "the newest full backup of " + p.DB + " on " + w + " is " + p.Arg + ", with no log backup after it: " + want
		}},
	KJob: {Name: KJob, Scalar: true, Values: "enabled, paused (disabled by a seed, which the partner step resumes), paused-dr (disabled by a DR script, which its job step or back-out resumes), disabled (by anyone else), absent",
		Phrase: func(p Pred, w, want string) string {
			return "the Agent job " + p.Arg + " on " + w + " is " + want
		}},
	KAgent: {Name: KAgent, Scalar: true, Values: "running, stopped",
		Phrase: func(p Pred, w, want string) string { return "SQL Server Agent on " + w + " is " + want }},
	KReachable: {Name: KReachable, Values: "yes (the instance answers), no",
		Phrase: func(p Pred, w, want string) string { return w + " answers: " + want }},
	KPoolState: {Name: KPoolState, Values: "Normal, FailedOver",
		Phrase: func(p Pred, w, want string) string { return "the pool state is " + want }},
	KActive: {Name: KActive, Values: "the active servers, sorted and comma-separated; empty when none",
		Phrase: func(p Pred, w, want string) string {
			if want == "" || want == `""` {
				return "no Persistent Chat server is active"
			}
			return "the active servers are " + want
		}},
	KDrained: {Name: KDrained, Values: "yes (the newest log backup on the share is the last one restored), behind, unreachable",
		Phrase: func(p Pred, w, want string) string {
			return "the newest log backup of " + p.DB + " in " + p.Arg + " is restored on " + w + ": " + want
		}},
	KCMS: {Name: KCMS, Values: "yes (Get-CsManagementStoreReplicationStatus -CentralManagementStoreStatus answers), no",
		Phrase: func(p Pred, w, want string) string { return "the Central Management store answers: " + want }},
	KNewestFull: {Name: KNewestFull, Scalar: true, Values: "yes (the newest full backup of @db in msdb is to @a1 and newer than its last restore), no",
		Phrase: func(p Pred, w, want string) string {
			return "the newest full backup of " + p.DB + " on " + w + " is " + p.Arg + ": " + want
		}},
	KTail: {Name: KTail, Scalar: true, Values: "yes (@db is RESTORING and its newest log backup, to @a1, was taken WITH NORECOVERY since its last full restore), no",
		Phrase: func(p Pred, w, want string) string {
			return p.DB + " on " + w + " ends with the tail-log backup " + p.Arg + ": " + want
		}},
	KEndpoint: {Name: KEndpoint, Scalar: true, Values: "ok (STARTED, port @a1, a role that fits @a2, AES possible), none, or what differs",
		Phrase: func(p Pred, w, want string) string {
			return "the mirroring endpoint of " + w + " (port " + p.Arg + ", " + p.Arg2 + ") is " + want
		}},
	KConnect: {Name: KConnect, Scalar: true, Values: "granted, denied, not granted, no login, no endpoint",
		Phrase: func(p Pred, w, want string) string {
			return "CONNECT on the mirroring endpoint of " + w + " for " + p.Arg + " is " + want
		}},
	KForkSafe: {Name: KForkSafe, Values: "yes (the mirror holds every log record the backup instance restored), behind, unknown",
		Phrase: func(p Pred, w, want string) string {
			return "the mirror " + w + " holds all the log of " + p.DB + " that " + p.Arg + " restored: " + want
		}},
	KBackupFile: {Name: KBackupFile, Values: "yes (RESTORE HEADERONLY of @a1 shows the backup set the instance last took of @db, or with @a2 = restored or seed last restored into it), mirrored (@a2 = seed: @db here is the mirror of a SYNCHRONIZED or SYNCHRONIZING session), no, missing",
		Phrase: func(p Pred, w, want string) string {
			verb := "last took"
			switch p.Arg2 {
			case "restored":
				verb = "last restored"
			case "seed":
				return w + " last restored the seed in " + p.Arg + " into " + p.DB + ", or " + p.DB + " there already follows its principal: " + want
			}
			return p.Arg + " holds the backup of " + p.DB + " that " + w + " " + verb + ": " + want
		}},
	KSession: {Name: KSession, Scalar: true, Values: "the mirroring role, state and partner (upper case) of @db, space-separated; none; absent",
		Phrase: func(p Pred, w, want string) string {
			return p.DB + " on " + w + " is in a synchronized mirroring session with " + p.Arg + ", as either partner"
		}},
	KAhead: {Name: KAhead, Values: "yes (the backup instance's last restored log ends at or after the mirror's end of log), behind, unknown (the mirror does not answer or is no mirror)",
		Phrase: func(p Pred, w, want string) string {
			return w + " holds every log record of " + p.DB + " that the mirror " + p.Arg + " has: " + want
		}},
	KChain: {Name: KChain, Values: "intact (no log backup of @db taken here since the copy was last restored, not COPY_ONLY, not WITH NORECOVERY and past the last log the secondary @a2 restored, was written outside the folder @a1), outside (one was: the secondary's restores stop at it with error 4305), unknown (the secondary does not answer or has restored nothing)",
		Phrase: func(p Pred, w, want string) string {
			return "every log backup of " + p.DB + " on " + w + " that " + p.Arg2 + " has not restored is in " + p.Arg + ": " + want
		}},
	KApplies: {Name: KApplies, Values: "yes (RESTORE HEADERONLY of @a1 shows a log backup whose FirstLSN is at or before the last_lsn of the backup @db here last restored, and whose LastLSN is after it), no (already applied, or not a log backup), gap (it begins after that point: a log backup is missing before it), missing (no such file), unreadable (the file is there but its header cannot be read), unreachable",
		Phrase: func(p Pred, w, want string) string {
			return "whether the log backup " + p.Arg + " continues what " + p.DB + " on " + w + " last restored (a switchover's tail-log backup to apply): " + want
		}},
	KFolder: {Name: KFolder, Values: "yes, no",
		Phrase: func(p Pred, w, want string) string { return "the folder " + p.Arg + " exists: " + want }},
	KOldChain: {Name: KOldChain, Values: "none (no log backup of @db older than the tail-log backup @a1 is left in the folders), or how many are",
		Phrase: func(p Pred, w, want string) string {
			return "no log backup of " + p.DB + " older than " + p.Arg + " is left in the log-shipping folders: " + want
		}},
}

// Key identifies a predicate: the engine uses it to remember, under
// -WhatIf, what earlier steps would have made true.
func (p Pred) Key() string {
	on := "shell"
	if p.On != nil {
		on = p.On.Role
	}
	w := p.Want
	if !sort.StringsAreSorted(w) {
		w = append([]string(nil), w...)
		sort.Strings(w)
	}
	// One builder, sized once: Key is asked of every predicate a step
	// adds and of every one the tables print.
	n := len(p.Kind) + len(on) + len(p.DB) + len(p.Arg) + len(p.Arg2) + 5 + len(w)
	for _, v := range w {
		n += len(v)
	}
	if p.When != "" {
		n += len("/when ") + len(p.When)
	}
	var b strings.Builder
	b.Grow(n)
	for _, part := range [...]string{p.Kind, on, p.DB, p.Arg, p.Arg2} {
		b.WriteString(part)
		b.WriteByte('/')
	}
	for i, v := range w {
		if i > 0 {
			b.WriteByte('|')
		}
		b.WriteString(v)
	}
	if p.When != "" {
		b.WriteString("/when ")
		b.WriteString(p.When)
	}
	return b.String()
}

// Subject is what the predicate reads, without the values it wants: two
// predicates with one subject read the same live value.
func (p Pred) Subject() string { return string(appendSubject(nil, p)) }

// appendSubject appends p.Subject() to b: ProducerOf looks subjects up
// without building a string.
func appendSubject(b []byte, p Pred) []byte {
	for i, part := range [...]string{p.Kind, p.role(), p.DB, p.Arg, p.Arg2} {
		if i > 0 {
			b = append(b, '/')
		}
		b = append(b, part...)
	}
	return b
}

// sameSubject is p.Subject() == q.Subject() without building either:
// Operation.ProducerOf asks it for every ensured predicate of every earlier
// step, and the two joined strings were most of plan.Build's time. When
// every part has the same length in both, the joined strings are equal
// exactly when the parts are; when the totals differ they cannot be; only
// otherwise (parts that hold a "/") are the strings built and compared.
func sameSubject(p, q Pred) bool {
	a := [5]string{p.Kind, p.role(), p.DB, p.Arg, p.Arg2}
	b := [5]string{q.Kind, q.role(), q.DB, q.Arg, q.Arg2}
	pairwise, la, lb := true, 0, 0
	for i := range a {
		pairwise = pairwise && len(a[i]) == len(b[i])
		la, lb = la+len(a[i]), lb+len(b[i])
	}
	switch {
	case pairwise:
		return a == b
	case la != lb:
		return false
	}
	return p.Subject() == q.Subject()
}

// role is where the predicate is read, as Key and Subject name it.
func (p Pred) role() string {
	if p.On != nil {
		return p.On.Role
	}
	return "shell"
}

// Implies says whether p holding makes q hold: one subject, and every
// value p allows q allows too.
func (p Pred) Implies(q Pred) bool {
	if !sameSubject(p, q) {
		return false
	}
	for _, w := range p.Want {
		if !containsFold(q.Want, w) {
			return false
		}
	}
	return true
}

// Text is the predicate as a sentence, e.g. "mgc on SQL01\PCHAT is RESTORING".
func (p Pred) Text() string {
	where := "the Management Shell"
	if p.On != nil {
		where = p.On.Server
	}
	k, ok := Kinds[p.Kind]
	if !ok {
		panic("plan: unknown predicate kind " + p.Kind)
	}
	text := k.Phrase(p, where, wantText(p.Want))
	if p.When != "" {
		text = "while the pool state is " + p.When + ", " + text
	}
	return text
}

func wantText(want []string) string {
	if len(want) == 1 && want[0] == "" {
		return `""`
	}
	return strings.Join(want, " or ")
}

// IsScalar reports whether the predicate has a scalar T-SQL query.
func (p Pred) IsScalar() bool { return Kinds[p.Kind].Scalar }

// LocalTo reports whether a .sql file running on t can read the predicate
// itself: a scalar kind read on t.
func (p Pred) LocalTo(t Target) bool {
	return p.IsScalar() && p.On != nil && p.On.Role == t.Role
}

// at builds a SQL predicate read on t.
func at(t Target, kind, db string, want ...string) Pred {
	return Pred{Kind: kind, On: &t, DB: db, Want: want}
}

// shell builds a Management Shell predicate.
func shell(kind string, want ...string) Pred { return Pred{Kind: kind, Want: want} }

func (p Pred) with(arg string) Pred   { p.Arg = arg; return p }
func (p Pred) with2(a, b string) Pred { p.Arg, p.Arg2 = a, b; return p }
func (p Pred) unless(sw string) Pred  { p.Unless = sw; return p }

// File is the backup file a predicate reads, for the kinds whose @a1 is
// one: a dry run cannot know what such a predicate will find once an
// earlier step has written that file again.
func (p Pred) File() string {
	switch p.Kind {
	case KTail, KBackupCurrent, KNewestFull, KBackupFile, KSeeded, KOldChain, KApplies:
		return p.Arg
	}
	return ""
}

// Writes says whether a step that ensures p writes p's file (a backup to
// it); a restore only reads it.
func (p Pred) Writes() bool {
	return p.File() != "" && p.Kind != KOldChain && p.Kind != KApplies && !(p.Kind == KBackupFile && (p.Arg2 == "restored" || p.Arg2 == "seed"))
}

func (p Pred) fix(cmd string) Pred   { p.Fix = cmd; return p }
func (p Pred) when(pool string) Pred { p.When = pool; return p }
func activeIs(servers []string) Pred { return shell(KActive, activeValue(servers)) }
func activeValue(servers []string) string {
	s := append([]string(nil), servers...)
	sort.Strings(s)
	return strings.ToLower(strings.Join(s, ","))
}
func poolIs(state ...string) Pred { return shell(KPoolState, state...) }
