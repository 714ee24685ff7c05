package plan

import (
	"fmt"

	"pchat-hadr/generator/site"
)

// Failover is the data of a T-SQL mirror failover script: it runs on Here,
// whose partner is Other.
type Failover struct {
	Pair
	Here, Other Target
}

// opsFiles plans the prerequisite check, the topology script, mirror
// failover (P7), DR failover (P5), switchover (P5 planned) and failback (P6).
func opsFiles(s *site.Site, o *Ops, mirroring, ls []File) []File {
	var out []File
	out = append(out, opsFile("prerequisites", "00-check-prerequisites.ps1", "ps/prerequisites/check.ps1.tmpl", PhasePrerequisites, Shell,
		Data{Ops: o},
		"Read-only pre-deployment check, one line per check: shares exist and grant the service logins write access, SQL Server Agent runs, versions and editions match, mgc uses FULL recovery, endpoint ports answer (once the endpoints exist)",
		"No line says FAIL (exit code 0). WARN lines explain themselves."))
	out = append(out, opsFile("topology", "10-set-normal-active-servers.ps1", "ps/topology/active-servers.ps1.tmpl", PhaseTopology, Shell,
		Data{Ops: o},
		"Checks that the pool state is Normal, then sets the active servers of normal operation (the list is cleared first, then filled)",
		"The script ends with the active list it set."))
	out = append(out, mirrorFailoverFiles(o)...)
	out = append(out, drFiles(s, o, mirroring, ls)...)
	return out
}

func mirrorFailoverFiles(o *Ops) []File {
	const dir = "mirror-failover"
	var sql []File
	for _, p := range o.Pairs {
		fwd := Failover{Pair: p, Here: p.Principal, Other: p.Mirror}
		back := Failover{Pair: p, Here: p.Mirror, Other: p.Principal}
		sql = append(sql,
			opsFile(dir, sqlName(20, p.Principal, "planned-failover", p.Database), "sql/mirror-failover/planned.sql.tmpl", PhaseMirrorFailover, p.Principal,
				Data{Failover: &fwd},
				fmt.Sprintf("T-SQL alternative to the cmdlet: planned failover of %s to the mirror (SET PARTNER FAILOVER on the principal, SYNCHRONIZED required)", p.Database),
				fmt.Sprintf("%s is PRINCIPAL on %s.", p.Database, p.Mirror.Server)),
			opsFile(dir, sqlName(21, p.Mirror, "planned-failback", p.Database), "sql/mirror-failover/planned.sql.tmpl", PhaseMirrorFailover, p.Mirror,
				Data{Failover: &back},
				fmt.Sprintf("T-SQL alternative to the cmdlet: planned failback of %s to the primary (SET PARTNER FAILOVER on the mirror while it is the principal)", p.Database),
				fmt.Sprintf("%s is PRINCIPAL on %s.", p.Database, p.Principal.Server)),
			opsFile(dir, sqlName(30, p.Mirror, "force-service-allow-data-loss", p.Database), "sql/mirror-failover/force.sql.tmpl", PhaseMirrorFailover, p.Mirror,
				Data{Failover: &back},
				fmt.Sprintf("ACCEPTS DATA LOSS. Only when the principal is lost and automatic failover did not happen: forces service of %s on the mirror (SET PARTNER FORCE_SERVICE_ALLOW_DATA_LOSS)", p.Database),
				fmt.Sprintf("%s is PRINCIPAL (suspended) on %s. When the old principal is back: SET PARTNER RESUME, then a planned failback.", p.Database, p.Mirror.Server)),
		)
	}
	o.PlannedFailover, o.ForceFailover = nil, nil
	for i := 0; i < len(sql); i += 3 {
		o.PlannedFailover = append(o.PlannedFailover, runOf(dir, sql[i], sql[i].Data.Failover.Database), runOf(dir, sql[i+1], sql[i+1].Data.Failover.Database))
		o.ForceFailover = append(o.ForceFailover, runOf(dir, sql[i+2], sql[i+2].Data.Failover.Database))
	}
	ps := opsFile(dir, "10-mirror-failover.ps1", "ps/mirror-failover/failover.ps1.tmpl", PhaseMirrorFailover, Shell,
		Data{Ops: o},
		"Mirror failover inside the primary data center with Invoke-CsDatabaseFailover: -NewPrincipal Mirror, or Primary to fail back; -Force when the principal is unreachable; -ForceServiceAllowDataLoss runs the forced T-SQL instead (data loss)",
		"The script reports the new principal of each database as PRINCIPAL.")
	return append([]File{ps}, sql...)
}
