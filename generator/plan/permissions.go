package plan

import (
	"fmt"
	"strings"

	"pchat-hadr/generator/site"
)

// What a login needs on a folder, weakest first. Modify is read/write plus
// delete: the log-shipping jobs prune old files themselves.
const (
	AccessRead   = "read"
	AccessWrite  = "read/write"
	AccessModify = "modify"
)

var accessRank = map[string]int{AccessRead: 1, AccessWrite: 2, AccessModify: 3}

// Grant is what one login needs on a folder and every use that needs it.
// An empty Login is the operator: the account that runs the scripts.
type Grant struct {
	Login  string
	Access string
	Uses   []string
}

// Sources of the facts below, checked against Microsoft's pages:
//   - Log Shipping Transaction Log Backup Settings (sql-docs,
//     docs/relational-databases/databases/log-shipping-transaction-log-backup-settings.md):
//     the primary's SQL Server service account needs read and write on the
//     backup folder; the copy job's proxy account, by default the
//     secondary's SQL Server Agent service account, needs read on the share.
//   - Secondary Database Settings (sql-docs,
//     docs/relational-databases/databases/secondary-database-settings.md):
//     the secondary's SQL Server service account needs read on the copy
//     folder, the copy and restore jobs' proxy accounts (by default its
//     Agent account) read and write.
//   - sqllogship Application (learn.microsoft.com/en-us/sql/tools/sqllogship-application):
//     the backup operation cleans out old backup files, the restore
//     operation old copied files. The jobs run sqllogship.exe as a CmdExec
//     step, under the Agent service account unless a proxy is set.
//   - Deploy SQL mirroring for Back End Server high availability in Skype
//     for Business Server 2015 (OfficeDocs-SkypeForBusiness,
//     Skype/SfbServer/deploy/deploy-high-availability-and-disaster-recovery/sql-mirroring-for-high-availability.md):
//     the services SQL Server and SQL Agent run under need read/write on
//     the Install-CsMirrorDatabase / Topology Builder file share; a
//     built-in account is granted as DOMAIN\HOST$.
//   - Plan for high availability and disaster recovery for Persistent Chat
//     Server (OfficeDocs-SkypeForBusiness,
//     Skype/SfbServer/plan-your-deployment/persistent-chat-server/high-availability-and-disaster-recovery.md):
//     every SQL Server holding Persistent Chat databases needs read/write
//     on the log-shipping share. The list below is narrower where an
//     instance never touches it; granting Microsoft's wider set is harmless.

// sharePermissions lists every share and folder the scripts touch, and for
// each login what it needs and why, computed from who really touches it:
// T-SQL run by sqlcmd (BACKUP, RESTORE) reads and writes files as the
// instance's SQL Server service; Agent job steps that run sqllogship.exe
// (copying, pruning old files) act as its SQL Server Agent service.
func sharePermissions(s *site.Site, o *Ops) []Share {
	n, l := netLogins{s: s, acc: o.Instances}, o.LogShip
	seed := folder{}
	// The log backup jobs of the pairs that are not log shipped keep their
	// files under log-backups\ on these shares: the job's second step runs
	// as the Agent account (sp_add_jobstep: no proxy) and deletes the old
	// ones, so the share stays after the set-up and the Agent needs modify.
	prune := fmt.Sprintf("the log backup job (pchat-hadr log backup <db>) writes to log-backups\\ here and deletes its backups older than %d minutes: keep this share after the set-up", l.BackupRetention)
	for _, p := range o.Pairs {
		for _, r := range []string{p.Principal.Role, p.Mirror.Role} {
			seed.engine(n, r, AccessWrite, "takes or restores the seed backups, whichever partner is the principal")
			seed.agent(n, r, AccessWrite, "Microsoft asks read/write for the Agent account too (Install-CsMirrorDatabase, Topology Builder)")
			if dc1LogBackedUp(p) {
				seed.engine(n, r, AccessWrite, "BACKUP LOG of the log backup job, while it is the principal")
				seed.agent(n, r, AccessModify, prune)
			}
		}
	}
	backupSeed := folder{}
	for _, bp := range o.backupPairs() {
		for _, r := range []string{bp.principal.Role, bp.mirror.Role} {
			backupSeed.engine(n, r, AccessWrite, "Install-CsMirrorDatabase seeds the backup data center's mirrors through it after a DR failover; BACKUP LOG of the log backup jobs during a DR period")
			backupSeed.agent(n, r, AccessWrite, "Microsoft asks read/write for the Agent account too (Install-CsMirrorDatabase)")
			backupSeed.agent(n, r, AccessModify, prune+" (during a DR period)")
		}
	}
	ls := folder{}
	ls.engine(n, "primary", AccessWrite, "writes the log backups (the backup job's BACKUP LOG runs as the SQL Server service), the initializing backup and a switchover's tail-log backup (in the folder tail beside this one, which inherits its permissions); reads the failback backup")
	ls.engine(n, "primary_mirror", AccessWrite, "writes the log backups while it is the principal")
	ls.agent(n, "primary", AccessModify, fmt.Sprintf("the backup job (sqllogship.exe) deletes backups older than %d minutes", l.BackupRetention))
	ls.agent(n, "primary_mirror", AccessModify, "the same, while it is the principal")
	ls.engine(n, "backup", AccessWrite, "restores the initializing and tail-log backups; writes the failback backup")
	ls.agent(n, "backup", AccessRead, "the copy job (sqllogship.exe) reads the log backups")
	ls.engine(n, "backup_mirror", AccessWrite, "writes the failback backup if it is the principal when failback starts")
	ls.add("", AccessRead, use{why: "the DR scripts compare the newest .trn here with the last one restored; a switchover also creates the folder tail beside it"})
	cp := folder{}
	// The copy folder is local to the backup host: its ACL names the
	// accounts themselves, virtual accounts included, not DOMAIN\HOST$.
	b := s.SQL.Backup
	cp.add(localLogin(b.Agent(), s.Site.ADDomain, b.NetBIOS()), AccessModify,
		use{"SQL Server Agent", "backup", fmt.Sprintf("the copy job writes the copies, the restore job deletes those older than %d minutes", l.CopyRetention)})
	cp.add(localLogin(b.ServiceAccount, s.Site.ADDomain, b.NetBIOS()), AccessRead,
		use{"SQL Server service", "backup", "the restore job's RESTORE LOG reads the copies"})
	return []Share{
		seed.share(s.Shares.MirroringSeed, "mirroring seed share"),
		backupSeed.share(s.Shares.BackupMirroringSeed, "backup mirroring seed share"),
		ls.share(l.BackupShare, "log-shipping share folder"),
		cp.share(adminShare(s.SQL.Backup.FQDN, s.Shares.CopyDestination), "copy folder on the backup instance, by its administrative share"),
	}
}

// netLogins finds the network logins of an instance's two services.
type netLogins struct {
	s   *site.Site
	acc []Account
}

func (n netLogins) engine(role string) string { return loginOf(n.acc, role) }

func (n netLogins) agent(role string) string {
	in := n.s.SQL.Instance(role)
	if in == nil {
		return ""
	}
	login, err := site.NetworkLogin(in.Agent(), n.s.Site.ADDomain, in.NetBIOS())
	if err != nil {
		// Validation refuses such an agent_account before planning.
		return ""
	}
	return login
}

// folder collects the grants of one folder, one per login, in first-use
// order, each with the strongest access any use needs.
type folder struct {
	grants []Grant
	uses   [][]use // per grant
}

// use is one service of one instance touching the folder; who is empty
// for the operator.
type use struct{ service, who, why string }

func (f *folder) engine(n netLogins, role, access, why string) {
	if l := n.engine(role); l != "" {
		f.add(l, access, use{"SQL Server service", display(role), why})
	}
}

func (f *folder) agent(n netLogins, role, access, why string) {
	if l := n.agent(role); l != "" {
		f.add(l, access, use{"SQL Server Agent", display(role), why})
	}
}

func (f *folder) add(login, access string, u use) {
	for i := range f.grants {
		g := &f.grants[i]
		if strings.EqualFold(g.Login, login) {
			if accessRank[access] > accessRank[g.Access] {
				g.Access = access
			}
			f.uses[i] = append(f.uses[i], u)
			return
		}
	}
	f.grants = append(f.grants, Grant{Login: login, Access: access})
	f.uses = append(f.uses, []use{u})
}

func (f *folder) share(path, what string) Share {
	sh := Share{Path: path, What: what}
	for i, g := range f.grants {
		g.Uses = describe(f.uses[i])
		sh.Grants = append(sh.Grants, g)
		if g.Login != "" && accessRank[g.Access] >= accessRank[AccessWrite] {
			sh.Writes = append(sh.Writes, g.Login)
		}
	}
	return sh
}

// describe merges the uses that share a service and a reason: "SQL Server
// service of primary and primary mirror: takes the seed backups".
func describe(uses []use) []string {
	type key struct{ service, why string }
	var order []key
	who := map[key][]string{}
	for _, u := range uses {
		k := key{u.service, u.why}
		if _, seen := who[k]; !seen {
			order = append(order, k)
		}
		if u.who != "" && !containsFold(who[k], u.who) {
			who[k] = append(who[k], u.who)
		}
	}
	out := make([]string, 0, len(order))
	for _, k := range order {
		if len(who[k]) == 0 {
			out = append(out, k.why)
			continue
		}
		out = append(out, fmt.Sprintf("%s of %s: %s", k.service, andList(who[k]), k.why))
	}
	return out
}

func andList(items []string) string {
	if len(items) < 2 {
		return strings.Join(items, "")
	}
	return strings.Join(items[:len(items)-1], ", ") + " and " + items[len(items)-1]
}

func display(role string) string { return strings.ReplaceAll(role, "_", " ") }

// localLogin is how a service account appears in the ACL of a folder on its
// own host: built-in and virtual accounts as themselves.
func localLogin(account, adDomain, host string) string {
	a := strings.TrimSpace(account)
	switch strings.ToUpper(a) {
	case "LOCALSYSTEM", `NT AUTHORITY\SYSTEM`:
		return `NT AUTHORITY\SYSTEM`
	case "NETWORKSERVICE", "NETWORK SERVICE", `NT AUTHORITY\NETWORK SERVICE`, `NT AUTHORITY\NETWORKSERVICE`:
		return `NT AUTHORITY\NETWORK SERVICE`
	}
	if dom, name, ok := strings.Cut(a, `\`); ok && strings.EqualFold(dom, "NT SERVICE") {
		return `NT SERVICE\` + name
	}
	if login, err := site.NetworkLogin(a, adDomain, host); err == nil {
		return login
	}
	return a
}

// SharePermissions lists every share and folder with what each login needs
// and why, for the runbook: the list the prerequisite check tests.
func (p *Plan) SharePermissions() []Share {
	for _, f := range p.Files {
		if f.Data.Ops != nil {
			return f.Data.Ops.Shares
		}
	}
	return nil
}

// Logins are the grants of the share's service accounts, the operator's
// left out.
func (s Share) Logins() []Grant {
	var out []Grant
	for _, g := range s.Grants {
		if g.Login != "" {
			out = append(out, g)
		}
	}
	return out
}

// Operator is the access the account running the scripts needs, or "".
func (s Share) Operator() string {
	for _, g := range s.Grants {
		if g.Login == "" {
			return g.Access
		}
	}
	return ""
}
