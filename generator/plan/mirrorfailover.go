package plan

import (
	"fmt"
	"path"
)

// Mirror failover variants: which pair, which partner ends up principal,
// and how (design decision o: the cmdlet by default in the primary data
// center, T-SQL as the alternative and for the backup data center's pairs,
// forced service only with its switch).
const (
	methodCmdlet = "cmdlet"
	// methodCmdletForce is Invoke-CsDatabaseFailover -Force, for when the
	// principal is not accessible: a forced service like the T-SQL one, so
	// it has the same guards (the log-shipping fork check, the point of no
	// return), in a table of its own.
	methodCmdletForce = "cmdlet-force"
	methodTSQL        = "tsql"
	methodForce       = "force"
)

const mirrorFailoverScript = "mirror-failover/10-mirror-failover.ps1"

// mirrorFailoverOps plans procedure P7 in both directions, for the primary
// data center's pairs and for the backup data center's during a DR period.
func (b *builder) mirrorFailoverOps() []*Operation {
	var out []*Operation
	for _, dc := range []string{"Primary", "Backup"} {
		pairs := b.pairs
		methods := []string{methodCmdlet, methodCmdletForce, methodTSQL, methodForce}
		if dc == "Backup" {
			// Invoke-CsDatabaseFailover acts on the pool's topology stores;
			// during a DR period the backup pair is moved with T-SQL.
			pairs, methods = b.backupPairs, []string{methodTSQL, methodForce}
		}
		for _, np := range []string{"Mirror", "Primary"} {
			for _, m := range methods {
				out = append(out, b.mirrorFailoverOp(dc, np, m, pairs))
			}
		}
	}
	return out
}

func (b *builder) mirrorFailoverOp(dc, np, method string, pairs []Pair) *Operation {
	name := "mirror-failover"
	if np == "Primary" {
		name = "mirror-failback"
	}
	if dc == "Backup" {
		name = "backup-" + name
	}
	if method != methodCmdlet {
		name += "-" + method
	}
	where := "the primary data center"
	if dc == "Backup" {
		where = "the backup data center"
	}
	title := fmt.Sprintf("mirror failover in %s to the %s", where, lower(np))
	if method == methodForce {
		title = fmt.Sprintf("forced service in %s on the %s (DATA LOSS)", where, lower(np))
	}
	if method == methodCmdletForce {
		title = fmt.Sprintf("mirror failover in %s to the %s with Invoke-CsDatabaseFailover -Force (DATA LOSS)", where, lower(np))
	}
	cmdlet := method == methodCmdlet || method == methodCmdletForce
	o := b.op(name, PhaseMirrorFailover, title, mirrorFailoverScript)
	o.Select = map[string]string{"DataCenter": dc, "NewPrincipal": np, "UseTSql": fmt.Sprint(method == methodTSQL), "ForceServiceAllowDataLoss": fmt.Sprint(method == methodForce)}
	if cmdlet {
		o.Select["Force"] = fmt.Sprint(method == methodCmdletForce)
	}
	if dc == "Backup" {
		// The backup data center's pairs always move with T-SQL: -UseTSql
		// is not needed to say so.
		delete(o.Select, "UseTSql")
	}
	o.Params = []Param{
		{Name: "DataCenter", Values: []string{"Primary", "Backup"}, Default: "Primary", Help: "the data center whose mirroring pairs move: Primary, or Backup during a DR period"},
		{Name: "NewPrincipal", Values: []string{"Mirror", "Primary"}, Default: "Mirror", Help: "the partner that serves afterwards: Mirror, or Primary to move back (the primary is the partner Topology Builder names first)"},
	}
	o.Switches = []Switch{
		{Name: "UseTSql", Help: "Use ALTER DATABASE ... SET PARTNER FAILOVER on the current principal instead of Invoke-CsDatabaseFailover (the backup data center's pairs always use it)."},
		{Name: "ForceServiceAllowDataLoss", DataLoss: true, Help: "Force service on the partner named by -NewPrincipal (SET PARTNER FORCE_SERVICE_ALLOW_DATA_LOSS) when the current principal is lost. Transactions it had not sent are lost; a pair whose principal still answers is skipped."},
	}
	if (method == methodForce || method == methodCmdletForce) && dc == "Primary" {
		o.Switches = append(o.Switches, Switch{Name: "AcceptLogShippingFork", Help: "Force service even though the log-shipping secondary already restored log the mirror never received: shipping from the mirror then forks, and the secondary must be re-initialized (log-shipping/90-reinitialize-secondary.ps1) before it protects mgc again."})
	}
	if cmdlet {
		o.Switches = append(o.Switches, Switch{Name: "Force", DataLoss: true, Help: "Pass -Force to Invoke-CsDatabaseFailover, for when the principal is not accessible; what the mirror had not received is lost."})
	}
	for _, pr := range pairs {
		o.Databases = append(o.Databases, pr.Database)
		o.add(b.moveStep(dc, np, method, pr))
	}
	if dc == "Backup" {
		o.Preflight = []Pred{poolIs("FailedOver").fix("the backup data center's pairs are mirrored only during a DR period")}
	}
	if method == methodForce {
		o.Notes = append(o.Notes, "Mirroring is suspended. When the old principal is back: ALTER DATABASE <db> SET PARTNER RESUME on the new principal (it rolls the old principal back), wait for SYNCHRONIZED, then move back with a planned failover.")
		if dc == "Primary" {
			o.Notes = append(o.Notes, "The log-shipping secondary may hold log the forced mirror never received: re-initialize it with "+`.\`+winPath(reinitializeScript)+" once mgc is served again.")
		}
	}
	if method == methodCmdletForce {
		o.Notes = append(o.Notes, "With -Force the mirror may have lacked log the principal wrote: re-initialize the log-shipping secondary with "+`.\`+winPath(reinitializeScript)+".")
	}
	return o
}

// moveStep moves one pair's principal role to the partner np names.
func (b *builder) moveStep(dc, np, method string, pr Pair) *Step {
	db := pr.Database
	to, from := pr.Mirror, pr.Principal
	if np == "Primary" {
		to, from = pr.Principal, pr.Mirror
	}
	stage := map[string]int{"Primary/Mirror": 20, "Primary/Primary": 21, "Backup/Mirror": 22, "Backup/Primary": 23}[dc+"/"+np]
	id := fmt.Sprintf("mf.%s.%s.%s.%s", dc, np, method, db)
	done := at(to, KDBRole, db, "PRINCIPAL")
	switch method {
	case methodCmdlet:
		return b.shell(id, fmt.Sprintf("Invoke-CsDatabaseFailover -DatabaseType %s -NewPrincipal %s", DatabaseType(db), np),
			Action{Kind: ActionCsFailover, DatabaseType: DatabaseType(db), DB: db, Value: np}).
			req(at(from, KDBRole, db, "PRINCIPAL").fix(fmt.Sprintf("mirroring/00-set-up-mirroring.ps1 if %s is not mirrored; if %s does not answer and is lost, run this script with -Force (DATA LOSS)", db, from.Server)), synchronized(dc, from, pr)).
			ens(done).
			leaves(fmt.Sprintf("%s may be between roles; it is served by whichever partner reports PRINCIPAL.", db))
	case methodCmdletForce:
		st := b.shell(id, fmt.Sprintf("ACCEPTS DATA LOSS: Invoke-CsDatabaseFailover -DatabaseType %s -NewPrincipal %s -Force", DatabaseType(db), np),
			Action{Kind: ActionCsFailover, DatabaseType: DatabaseType(db), DB: db, Value: np}).
			req(at(to, KDBRole, db, "MIRROR", "PRINCIPAL").fix("mirroring/00-set-up-mirroring.ps1"),
				// Said, and waived by the -Force that chose this table: what
				// the mirror had not received is lost.
				at(from, KDBRole, db, "PRINCIPAL").unless("Force"), synchronized(dc, from, pr).unless("Force")).
			ens(done).
			pointOfNoReturn().
			leaves(fmt.Sprintf("%s may be served by %s with mirroring suspended.", db, to.Server))
		if db == "mgc" {
			st.req(b.forkSafe(to, np, "-Force"))
		}
		return st
	case methodTSQL:
		f := Failover{Pair: pr, Here: from, Other: to}
		return b.sql(id, fmt.Sprintf("Planned failover of %s: SET PARTNER FAILOVER on the current principal %s", db, from.Server),
			from, path.Join("mirror-failover", fmt.Sprintf("%d-%s-planned-failover-%s.sql", stage, from.Slug, db)),
			"sql/mirror-failover/planned.sql.tmpl", "mf.planned", Data{Failover: &f, DB: db}).
			req(at(from, KDBRole, db, "PRINCIPAL").fix(b.mirrorSetupFix(dc)+fmt.Sprintf(" if %s is not mirrored; if %s is lost, run this script with -ForceServiceAllowDataLoss (DATA LOSS)", db, from.Server)), synchronized(dc, from, pr), at(from, KPartner, db, to.Upper())).
			ens(at(from, KDBRole, db, "MIRROR"), at(from, KPartner, db, to.Upper())).
			leaves(fmt.Sprintf("%s may be between roles; it is served by whichever partner reports PRINCIPAL.", db))
	}
	f := Failover{Pair: pr, Here: to, Other: from}
	st := b.sql(id, fmt.Sprintf("ACCEPTS DATA LOSS: forces service of %s on %s (SET PARTNER FORCE_SERVICE_ALLOW_DATA_LOSS), unless %s still answers", db, to.Server, from.Server),
		to, path.Join("mirror-failover", fmt.Sprintf("%d-%s-force-service-allow-data-loss-%s.sql", stage+10, to.Slug, db)),
		"sql/mirror-failover/force.sql.tmpl", "mf.force", Data{Failover: &f, DB: db}).
		req(at(to, KDBRole, db, "MIRROR")).
		unneeded(Pred{Kind: KReachable, On: &from, Want: []string{"yes"}}).
		ens(done).
		pointOfNoReturn().
		leaves(fmt.Sprintf("%s may be served by %s with mirroring suspended.", db, to.Server))
	if db == "mgc" && dc == "Primary" {
		// Before forcing: does the mirror hold all the log the backup
		// instance already restored? If not, shipping from it forks.
		// A switch of its own: the one that chose forced service must not
		// waive it as well.
		st.req(b.forkSafe(to, np, "-ForceServiceAllowDataLoss"))
	}
	return st
}

// forkSafe: before forcing service on to, the mirror holds all the log the
// backup instance already restored; if not, shipping from it forks. A
// switch of its own: the one that chose forced service must not waive it.
func (b *builder) forkSafe(to Target, np, how string) Pred {
	return Pred{Kind: KForkSafe, On: &to, DB: "mgc", Arg: b.ls.Secondary.Server, Want: []string{"yes"}, Unless: "AcceptLogShippingFork",
		Fix: fmt.Sprintf("%s -DataCenter Primary %s -NewPrincipal %s -AcceptLogShippingFork (the secondary must then be re-initialized), or bring the principal back", mirrorFailoverScript, how, np)}
}

// mirrorSetupFix is what sets a pair's mirroring up: the set-up in the
// primary data center, the DR failover's steps in the backup one.
func (b *builder) mirrorSetupFix(dc string) string {
	if dc == "Backup" {
		return "dr-failover/30-dr-failover.ps1"
	}
	return "mirroring/00-set-up-mirroring.ps1"
}

func lower(s string) string {
	if s == "" {
		return s
	}
	return string(s[0]+'a'-'A') + s[1:]
}

// Failover is the data of a T-SQL mirror failover script: it runs on Here,
// whose partner is Other.
type Failover struct {
	Pair
	Here, Other Target
}
