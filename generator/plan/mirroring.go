package plan

import (
	"fmt"
	"path"
	"strings"

	"pchat-hadr/generator/site"
)

// PhaseMirroring is the runbook section of procedure P2.
const PhaseMirroring = "mirroring"

// Pair is one database mirroring session.
type Pair struct {
	Database  string
	Principal Target // the partner Topology Builder calls the primary
	Mirror    Target
	Witness   *Target
	SeedFull  string // UNC path of the seed full backup
	SeedLog   string // UNC path of the seed log backup
	Moves     []site.Move
	Replace   bool // replace an existing ONLINE copy on the mirror
	// Reseed replaces a copy on the mirror that no one can write to (left
	// RESTORING, OFFLINE, damaged, restricted by a fence), and refuses one
	// that is writable: it may be the copy in use.
	Reseed bool
	// LogJob is the name of the database's own log backup job (if it has
	// one here), which the seed pauses like the log-shipping backup job.
	LogJob string
}

// Endpoint is the data of an endpoint-and-logins script.
type Endpoint struct {
	Name   string  // name used when the endpoint must be created
	Role   string  // PARTNER or WITNESS
	Logins []Login // network logins of the instances it talks to
}

// Login is a Windows login and the instances that connect with it.
type Login struct {
	Name  string
	Peers []string // "server (role)"
}

// DatabaseType is the -DatabaseType of the Lync cmdlets for a database.
func DatabaseType(db string) string {
	if db == "mgccomp" {
		return "PersistentChatCompliance"
	}
	return "PersistentChat"
}

// mirrorPairs lists the mirroring sessions of P2: mgc, then mgccomp when
// compliance is on (on the mgc instances or its own), each with the primary
// data center's witness if there is one.
func mirrorPairs(s *site.Site) []Pair {
	var out []Pair
	add := func(db, principal, mirror string) {
		p := Pair{
			Database:  db,
			Principal: newTarget(principal, s.SQL.Instance(principal)),
			Mirror:    newTarget(mirror, s.SQL.Instance(mirror)),
			SeedFull:  seedFile(s.Shares.MirroringSeed, db, ".bak"),
			SeedLog:   seedFile(s.Shares.MirroringSeed, db, ".trn"),
			Replace:   s.Mirroring.ReplaceExistingMirrorDatabase,
			LogJob:    logBackupJob(db),
		}
		if w := s.SQL.PrimaryWitness; w != nil {
			t := newTarget("primary_witness", w)
			p.Witness = &t
		}
		p.Moves = movesFor(s.SQL.Instance(mirror), db)
		out = append(out, p)
	}
	add("mgc", "primary", "primary_mirror")
	if s.Compliance.Enabled {
		if s.Compliance.SharedInstances {
			add("mgccomp", "primary", "primary_mirror")
		} else {
			add("mgccomp", "compliance_primary", "compliance_primary_mirror")
		}
	}
	return out
}

// backupPairs lists the sessions a DR failover sets up in the backup data
// center with Install-CsMirrorDatabase: mgc from the backup to the backup
// mirror, and mgccomp when it has a mirror there.
func backupPairs(s *site.Site) []Pair {
	mk := func(db, principal, mirror string) Pair {
		p := Pair{Database: db, Principal: newTarget(principal, s.SQL.Instance(principal)), Mirror: newTarget(mirror, s.SQL.Instance(mirror)),
			SeedFull: seedFile(s.Shares.BackupMirroringSeed, db, ".bak"), SeedLog: seedFile(s.Shares.BackupMirroringSeed, db, ".trn"), LogJob: logBackupJob(db)}
		if w := s.SQL.BackupWitness; w != nil {
			t := newTarget("backup_witness", w)
			p.Witness = &t
		}
		return p
	}
	out := []Pair{mk("mgc", "backup", "backup_mirror")}
	if s.Compliance.Enabled {
		switch {
		case s.Compliance.SharedInstances:
			out = append(out, mk("mgccomp", "backup", "backup_mirror"))
		case s.SQL.ComplianceBackupMirror != nil:
			out = append(out, mk("mgccomp", "compliance_backup", "compliance_backup_mirror"))
		}
	}
	return out
}

// seedFile names a seed file of db on a share. The full and the log
// backup differ only in their extension: pred.mirror.seeded finds the .bak
// that goes with the .trn it is given that way.
func seedFile(share, db, ext string) string { return share + `\` + db + ext }

func movesFor(in *site.Instance, db string) []site.Move {
	var out []site.Move
	for _, m := range in.Move {
		if m.Database == db {
			out = append(out, m)
		}
	}
	return out
}

// healthy is a session as Lync needs it, read on its principal.
func (p Pair) healthy(on Target, partner Target) []Pred {
	db := p.Database
	out := []Pred{
		at(on, KDBRole, db, "PRINCIPAL"),
		at(on, KPartner, db, partner.Upper()),
		at(on, KMirrorState, db, "SYNCHRONIZED"),
	}
	if p.Witness != nil {
		out = append(out, at(on, KWitness, db, p.Witness.Upper()+" CONNECTED"))
	}
	return out
}

// Expected describes a healthy session as the verify script checks it.
func (p Pair) Expected() string {
	c := "PRINCIPAL, SYNCHRONIZED, SAFETY FULL, partner " + p.Mirror.Address
	if p.Witness != nil {
		c += ", witness " + p.Witness.Address + " CONNECTED"
	}
	return c
}

// mirroringOp is P2: endpoints and logins, then per pair the seed, the
// restore on the mirror, the partner on the principal and the check.
func (b *builder) mirroringOp() *Operation {
	o := b.op("mirroring", PhaseMirroring, "mirroring set-up (P2)", "mirroring/00-set-up-mirroring.ps1")
	o.add(b.endpointSteps()...)
	for _, pr := range b.pairs {
		o.add(b.pairSteps(pr, false)...)
		o.Preflight = append(o.Preflight, at(pr.Principal, KDBState, pr.Database, "ONLINE").
			fix("Topology Builder: Install Database (or Install-CsDatabase -ConfiguredDatabases -SqlServerFqdn "+pr.Principal.FQDN+"), then this script again"),
			// The set-up takes an existing session as done: one that cannot
			// synchronize is re-seeded instead.
			at(pr.Principal, KMirrorState, pr.Database, "SYNCHRONIZED", "SYNCHRONIZING", "none").fix(synchronized("Primary", pr.Principal, pr).Fix))
		o.Ends = append(o.Ends, pr.healthy(pr.Principal, pr.Mirror)...)
		if dc1LogBackedUp(pr) {
			o.Ends = append(o.Ends, jobIs(pr.Principal, pr.LogJob, pr.Database, "enabled"), jobIs(pr.Mirror, pr.LogJob, pr.Database, "enabled"))
		}
	}
	o.add(b.dc1LogBackupSteps()...)
	o.Preflight = append([]Pred{poolIs("Normal").fix("during a DR period the failback sets mirroring up again: dr-failback/90-dr-failback.ps1")}, o.Preflight...)
	o.Before = "mgc is served by " + b.pairs[0].Principal.Server + " without a mirror."
	o.After = "mgc is served by " + b.pairs[0].Principal.Server + " and mirrored to " + b.pairs[0].Mirror.Server + "."
	return o
}

// endpointSteps plans one endpoint step per instance taking part in any
// pair, with a login for every other instance it exchanges traffic with.
func (b *builder) endpointSteps() []*Step {
	type node struct {
		t     Target
		role  string
		peers []Target
	}
	var order []string
	nodes := map[string]*node{}
	link := func(a Target, role string, peers ...Target) {
		n, ok := nodes[a.Role]
		if !ok {
			n = &node{t: a, role: role}
			nodes[a.Role] = n
			order = append(order, a.Role)
		}
		for _, p := range peers {
			if !hasRole(n.peers, p.Role) {
				n.peers = append(n.peers, p)
			}
		}
	}
	for _, p := range b.pairs {
		link(p.Principal, "PARTNER", p.Mirror)
		link(p.Mirror, "PARTNER", p.Principal)
		if p.Witness != nil {
			link(p.Principal, "PARTNER", *p.Witness)
			link(p.Mirror, "PARTNER", *p.Witness)
			link(*p.Witness, "WITNESS", p.Principal, p.Mirror)
		}
	}
	var out []*Step
	for _, r := range order {
		n := nodes[r]
		ep := &Endpoint{Name: b.s.Mirroring.EndpointName, Role: n.role}
		for _, peer := range n.peers {
			l := loginOf(b.p.Accounts, peer.Role)
			// A login is needed even when a peer runs under this instance's
			// own service account: since SQL Server 2008 setup provisions the
			// service SID, not the account, as a login. Shared accounts need
			// one login only.
			peerName := fmt.Sprintf("%s (%s)", peer.Server, peer.Role)
			if i := loginIndex(ep.Logins, l); i >= 0 {
				ep.Logins[i].Peers = append(ep.Logins[i].Peers, peerName)
				continue
			}
			ep.Logins = append(ep.Logins, Login{Name: l, Peers: []string{peerName}})
		}
		st := b.sql("mirroring.endpoint."+n.t.Role,
			fmt.Sprintf("Mirroring endpoint (%s, port %d, AES) and CONNECT for the partner and witness service accounts on %s", n.role, n.t.Port, n.t.Server),
			n.t, path.Join("mirroring", fmt.Sprintf("10-%s-endpoint.sql", n.t.Slug)), "sql/mirroring/endpoint.sql.tmpl", "mirroring.endpoint",
			Data{Endpoint: ep})
		st.ens(at(n.t, KEndpoint, "", "ok").with2(fmt.Sprint(n.t.Port), n.role))
		for _, l := range ep.Logins {
			st.ens(at(n.t, KConnect, "", "granted").with(l.Name))
		}
		st.leaves("The endpoint may be created without every CONNECT permission; the script is re-runnable.")
		out = append(out, st)
	}
	return out
}

// endpointOK requires an instance's mirroring endpoint: SET PARTNER and
// SET WITNESS need it STARTED on both sides (error 1418 otherwise).
func (b *builder) endpointOK(t Target) Pred {
	role := "PARTNER"
	if t.Role == "primary_witness" || t.Role == "backup_witness" {
		role = "WITNESS"
	}
	fix := "mirroring/00-set-up-mirroring.ps1 (it creates the primary data center's endpoints); if the instance does not answer, bring it back"
	if t.DataCenter == "backup" {
		// The backup data center's endpoints come from
		// Install-CsMirrorDatabase, which the DR failover runs; it creates
		// a missing one but leaves one that exists as it is, so a stopped
		// endpoint or one without AES is fixed in T-SQL ("ALTER ENDPOINT").
		// The port and the encryption are changed only with care: other
		// sessions may use the endpoint (a Back End database, the other
		// pair of a witness), and the site's addresses carry the port.
		fix = fmt.Sprintf("bring the instance back if it does not answer; on %s, with <name> and <role> from SELECT name, role_desc FROM sys.database_mirroring_endpoints: stopped: ALTER ENDPOINT <name> STATE = STARTED; on another port: set sql.%s.port in the site file to its port, regenerate and run the new scripts (moving the endpoint drops the sessions that use it); without AES: if no session uses it (sys.database_mirroring, sys.database_mirroring_witnesses), ALTER ENDPOINT <name> FOR DATABASE_MIRRORING (ENCRYPTION = REQUIRED ALGORITHM AES RC4, ROLE = <role>), else plan it for a quiet period with every partner; of another role: ALTER ENDPOINT <name> FOR DATABASE_MIRRORING (ROLE = ALL), during a quiet period; none: Install-CsMirrorDatabase creates it (dr-failover/30-dr-failover.ps1 runs it)", t.Server, t.Role)
	}
	return at(t, KEndpoint, "", "ok").with2(fmt.Sprint(t.Port), role).fix(fix)
}

// pairSteps plans the seed, stale-restore, restore, partner and verify
// steps of a pair.
// With replace, the restore is the re-seed's variant (failback's too): its
// own file, overwriting a copy left on the mirror; the other steps are the
// mirroring set-up's own.
func (b *builder) pairSteps(pr Pair, replace bool) []*Step {
	db, x, y := pr.Database, pr.Principal, pr.Mirror
	data := func(repl bool) Data { pp := pr; pp.Reseed = repl; return Data{Pair: &pp, DB: db} }
	name := func(dir string, stage int, t Target, action string) string {
		return path.Join(dir, fmt.Sprintf("%d-%s-%s-%s.sql", stage, t.Slug, action, db))
	}
	id := func(action string) string { return fmt.Sprintf("mirroring.%s.%s.%s", action, x.Role, db) }
	seed := b.sql(id("seed"), fmt.Sprintf("Seed backups of %s for its mirror: FULL recovery, its log backup jobs paused, then a full and a log backup (COPY_ONLY) to the seed share", db),
		x, name("mirroring", 20, x, "seed"), "sql/mirroring/seed.sql.tmpl", "mirroring.seed", data(false)).
		req(serveFirst(at(x, KDBRole, db, "none", "PRINCIPAL")), at(x, KDBState, db, "ONLINE")).
		unneeded(at(x, KPartner, db, y.Upper())).
		ens(at(x, KSeeded, db, "seeded").with2(pr.SeedLog, y.Upper()), at(x, KLSPrimary, db, "paused", "paused-dr", "disabled", "none"), jobIs(x, pr.LogJob, db, "paused", "paused-dr", "disabled", "absent"), at(x, KDBRecovery, db, "FULL")).
		// msdb keeps the seed's rows after its files are deleted from the
		// share or overwritten by a backup that failed: the files' headers
		// must still hold what msdb says was taken.
		ens(seedFiles(x, pr)...).
		leaves(fmt.Sprintf("%s is served by %s; its log-shipping backup job may be paused (the partner step resumes it).", db, x.Server))
	// The restore of an earlier seed, left paired on the mirror, is taken
	// away first: a log backup since it (a job, a DBA, another tool) made
	// the partner step send the operator back to the seed, and a restore
	// that took the pairing as done would leave the mirror short of log
	// for ever (error 1478). Only the backup set the mirror last restored,
	// against the header of the seed file, tells which seed it holds.
	seeded := restoredSeed(y, pr)
	clear := b.sql(id("clear"), fmt.Sprintf("Removes the mirror side of a session of %s that the principal never joined, when the mirror holds an earlier seed than the one on the share (SET PARTNER OFF on the mirror): the seed is restored again", db),
		y, name("mirroring", 25, y, "clear-stale-restore"), "sql/mirroring/clear-stale.sql.tmpl", "mirroring.clear-stale", data(false)).
		// A principal that is not ONLINE shows no mirroring columns (all
		// NULL, "sys.database_mirroring"): its partner would read none.
		req(at(x, KDBState, db, "ONLINE").fix(fmt.Sprintf("bring %s on %s online first: a copy that is not ONLINE shows no mirroring partner", db, x.Server)),
			at(x, KPartner, db, "none").fix(fmt.Sprintf("bring %s back if it does not answer; if %s there is in a session with another partner, %s", x.Server, db, reseedCommand(b.dcOf(x), fromOf(x), db)))).
		ens(at(y, KPartner, db, "none", "absent")).
		unneeded(seeded).
		unneeded(at(x, KPartner, db, y.Upper())).
		leaves(fmt.Sprintf("%s on %s may be RESTORING without a partner; nothing serves from it. %s", db, y.Server, pausedSince(pr)))
	restoreFile, restoreID := name("mirroring", 30, y, "restore"), id("restore")
	restoreTitle := fmt.Sprintf("Restores the seed of %s on the mirror WITH NORECOVERY and sets the principal as its partner (the mirror goes first)", db)
	if replace {
		restoreFile, restoreID = name("mirroring", 70, y, "reseed-mirror"), id("reseed")
		restoreTitle = fmt.Sprintf("Restores the seed of %s on the mirror WITH NORECOVERY, REPLACE, even over a copy left there, and sets the principal as its partner", db)
	}
	restore := b.sql(restoreID, restoreTitle, y, restoreFile, "sql/mirroring/restore.sql.tmpl", "mirroring.restore", data(replace)).
		req(b.endpointOK(y), b.endpointOK(x), at(x, KSeeded, db, "seeded").with2(pr.SeedLog, y.Upper())).
		req(seedFiles(x, pr)...).
		ens(at(y, KDBState, db, "RESTORING"), at(y, KPartner, db, x.Upper()), seeded).
		unneeded(at(x, KPartner, db, y.Upper())).
		// Paired with its principal but not done: the seed on the share is
		// not the one restored here.
		req(at(y, KPartner, db, "none", "absent")).
		leaves(fmt.Sprintf("%s on %s may be partly restored; nothing serves from it. %s", db, y.Server, pausedSince(pr)))
	if !pr.Replace && !replace {
		restore.req(at(y, KDBWritable, db, "absent", "restoring", "mirror").
			fix("drop the stale copy, or set mirroring.replace_existing_mirror_database = true and regenerate"))
	}
	if !pr.Replace && replace {
		restore.req(at(y, KDBWritable, db, notServing...).
			fix(fmt.Sprintf("the copy of %s on %s accepts writes and may be the one in use: check which partner serves (-From), and if that copy is stale take it offline by hand (ALTER DATABASE %s SET OFFLINE WITH ROLLBACK IMMEDIATE), then run again", db, y.Server, db)))
	}
	partner := b.sql(id("partner"), fmt.Sprintf("Starts mirroring of %s with its mirror at SAFETY FULL%s, reads the session back, then resumes the log backup jobs the seed paused", db, witnessNote(pr)),
		x, name("mirroring", 40, x, "partner"), "sql/mirroring/partner.sql.tmpl", "mirroring.partner", data(false)).
		req(serveFirst(at(x, KDBRole, db, "none", "PRINCIPAL")), at(x, KDBState, db, "ONLINE"),
			// A session left from before whose mirror is lost: the restore
			// took it as done, the mirror has no copy to pair.
			at(x, KMirrorState, db, "SYNCHRONIZED", "SYNCHRONIZING", "none").fix(synchronized(b.dcOf(x), x, pr).Fix),
			at(y, KPartner, db, x.Upper()),
			// A log backup since the seed leaves the mirror short of log
			// (error 1478): seed again. Once the session runs, the jobs
			// resume and log backups follow: a re-run that only sets the
			// witness needs no seed.
			at(x, KSeeded, db, "seeded", "mirrored").with2(pr.SeedLog, y.Upper()),
			// The mirror holds that seed (or already follows the principal):
			// a pairing left from an earlier seed fails with 1478.
			seeded).
		ens(at(x, KPartner, db, y.Upper()), at(x, KDBRole, db, "PRINCIPAL"), at(x, KMirrorState, db, "SYNCHRONIZED", "SYNCHRONIZING"),
			at(x, KLSPrimary, db, "enabled", "paused-dr", "disabled", "none"), jobIs(x, pr.LogJob, db, "enabled", "paused-dr", "disabled", "absent")).
		leaves(fmt.Sprintf("%s is served by %s (or by %s if mirroring failed over); mirroring may be started without the witness, and the log backup jobs the seed paused may still be paused.", db, x.Server, y.Server))
	if pr.Witness != nil {
		// The witness's endpoint is checked before the seed pauses the log
		// backups, not at this step: stopped here, the jobs would stay
		// paused until the witness is back.
		seed.req(b.endpointOK(*pr.Witness))
		partner.ens(at(x, KWitness, db, pr.Witness.Upper()+" CONNECTED"))
	}
	verify := b.sql(id("verify"), fmt.Sprintf("Waits up to 5 minutes for %s to be SYNCHRONIZED, then checks role, safety and witness", db),
		x, name("mirroring", 50, x, "verify"), "sql/mirroring/verify.sql.tmpl", "mirroring.verify", data(false)).
		req(at(x, KPartner, db, y.Upper()), serveFirst(at(x, KDBRole, db, "PRINCIPAL"))).
		ens(pr.healthy(x, y)...)
	// A session that cannot synchronize (its mirror lost) is re-seeded,
	// not waited for: the set-up takes an existing session as done.
	st := at(x, KMirrorState, db, "SYNCHRONIZED", "SYNCHRONIZING").fix(synchronized(b.dcOf(x), x, pr).Fix)
	verify.req(st)
	return []*Step{seed, clear, restore, partner, verify}
}

// seedFiles: the seed files on the share hold the backup sets the
// principal x last took to them (RESTORE HEADERONLY against msdb).
func seedFiles(x Target, pr Pair) []Pred {
	return []Pred{
		{Kind: KBackupFile, On: &x, DB: pr.Database, Arg: pr.SeedFull, Arg2: "taken", Want: []string{"yes"}},
		{Kind: KBackupFile, On: &x, DB: pr.Database, Arg: pr.SeedLog, Arg2: "taken", Want: []string{"yes"}},
	}
}

// pausedSince says, for a stop between the seed and the partner step, that
// the principal takes no log backup meanwhile: left for long, the log grows
// and the backup data center receives nothing.
func pausedSince(pr Pair) string {
	return fmt.Sprintf("The log backups of %s on %s are paused since the seed; the partner step resumes them. Stopping here for long, resume them by hand there: EXEC msdb.dbo.sp_update_job @job_name = <name>, @enabled = 1 for each job of SELECT name FROM msdb.dbo.sysjobs WHERE description LIKE N'%%[[]pchat-hadr: paused while the mirror is seeded]%%', and seed again later.", pr.Database, pr.Principal.Server)
}

// restoredSeed: the mirror y of pr last restored the backup set in the seed
// log file on the share, or it is already the mirror of a running session
// and needs no seed.
func restoredSeed(y Target, pr Pair) Pred {
	return Pred{Kind: KBackupFile, On: &y, DB: pr.Database, Arg: pr.SeedLog, Arg2: "seed", Want: []string{"yes", "mirrored"}}
}

// fromOf is the -From (and -NewPrincipal) value that names t within its
// pair: Mirror for the instances the site file calls mirrors.
func fromOf(t Target) string {
	if strings.HasSuffix(t.Role, "_mirror") {
		return "Mirror"
	}
	return "Primary"
}

// dcOf is "Primary" or "Backup": the data center of t, as the scripts'
// -DataCenter parameters name it.
func (b *builder) dcOf(t Target) string {
	if t.DataCenter == "backup" {
		return "Backup"
	}
	return "Primary"
}

func witnessNote(p Pair) string {
	if p.Witness == nil {
		return ""
	}
	return " with the witness " + p.Witness.Address
}

func hasRole(ts []Target, role string) bool {
	for _, t := range ts {
		if t.Role == role {
			return true
		}
	}
	return false
}

func loginIndex(list []Login, name string) int {
	for i, x := range list {
		if strings.EqualFold(x.Name, name) {
			return i
		}
	}
	return -1
}

func containsFold(list []string, s string) bool {
	for _, x := range list {
		if strings.EqualFold(x, s) {
			return true
		}
	}
	return false
}

// unique drops repeated logins, keeping the first spelling.
func unique(logins ...string) []string {
	var out []string
	for _, l := range logins {
		if l != "" && !containsFold(out, l) {
			out = append(out, l)
		}
	}
	return out
}
