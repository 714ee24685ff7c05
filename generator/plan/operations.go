package plan

import (
	"fmt"
	"path"
	"strings"

	"pchat-hadr/generator/site"
)

// Runbook sections of the operations.
const (
	PhasePrerequisites  = "prerequisites"
	PhaseTopology       = "topology"
	PhaseMirrorFailover = "mirror-failover"
	PhaseDRFailover     = "dr-failover"
	PhaseDRSwitchover   = "dr-switchover"
	PhaseDRFence        = "dr-fence"
	PhaseDRFailback     = "dr-failback"
)

// Ops is the site-wide data of the prerequisite check, the DR scripts and
// the step engine: the pool, the instances and the files DR moves.
type Ops struct {
	PoolFQDN             string
	Product              string
	SQLVersion           string
	StateIdentity        string // site override; empty: resolved at run time
	ActiveServerIdentity string
	NormalActive         []string
	FailoverActive       []string
	Pairs                []Pair // mirroring sessions in the primary data center
	BackupPairs          []Pair // the sessions a DR failover sets up in the backup data center
	LogShip              LogShip
	Backup               Target
	BackupMirror         Target
	ComplianceBackup     *Target // holds mgccomp in the backup data center
	BackupSeed           string  // Install-CsMirrorDatabase -FileShare after failover
	TailFile             string  // switchover tail-log backup, outside the copy job's folder
	FailbackFile         string  // full backup of mgc taken on the backup for failback
	FailbackTail         string  // the tail-log backup that ends failback on the backup
	DivergedFolder       string  // the fence's tail-log backups of a diverged copy
	ArchiveFolder        string  // where failback moves the old chain's log backups
	CopyFolder           string  // the backup instance's copy folder, through its administrative share
	Moves                []site.Move
	Instances            []Account // every instance, for the prerequisite checks
	Shares               []Share
	DrainTimeoutMinutes  int
	DropExisting         bool // Install-CsMirrorDatabase -DropExistingDatabasesOnMirror
	BackupInstance       *site.Instance
	ComplianceBackupSQL  *site.Instance

	// The prerequisite check holds the site's server lists against the
	// pool's computers and the active-server limits.
	Servers        []site.Server
	LowLatencyLink bool // data_centers.low_latency_link
}

// Share is a folder the prerequisite check looks at, with who needs what.
type Share struct {
	Path   string
	Writes []string // logins that must be able to write
	What   string
	Grants []Grant // what each login needs and why (permissions.go)
}

// drainTimeoutMinutes bounds the wait for each copy and restore job run.
const drainTimeoutMinutes = 30

func operations(s *site.Site, acc []Account, pairs []Pair, l LogShip) *Ops {
	o := &Ops{
		PoolFQDN:             s.Site.PoolFQDN,
		Product:              s.Site.Product,
		SQLVersion:           s.SQL.Version,
		StateIdentity:        s.Site.StateIdentity,
		ActiveServerIdentity: s.Site.ActiveServerIdentity,
		Pairs:                pairs,
		BackupPairs:          backupPairs(s),
		LogShip:              l,
		Backup:               l.Secondary,
		BackupMirror:         newTarget("backup_mirror", s.SQL.BackupMirror),
		BackupSeed:           s.Shares.BackupMirroringSeed,
		TailFile:             s.Shares.LogShipping + `\tail\mgc_tail.trn`,
		FailbackFile:         l.BackupDirectory + `\mgc_failback.bak`,
		FailbackTail:         s.Shares.LogShipping + `\tail\mgc_failback_tail.trn`,
		DivergedFolder:       s.Shares.LogShipping + `\diverged`,
		ArchiveFolder:        l.BackupDirectory + `\archive`,
		CopyFolder:           adminShare(s.SQL.Backup.FQDN, s.Shares.CopyDestination),
		Moves:                movesFor(s.SQL.Primary, "mgc"),
		Instances:            acc,
		DrainTimeoutMinutes:  drainTimeoutMinutes,
		DropExisting:         s.Mirroring.ReplaceExistingMirrorDatabase,
		BackupInstance:       s.SQL.Backup,
		Servers:              s.Servers,
		LowLatencyLink:       s.DataCenters.LowLatencyLink,
	}
	for _, srv := range s.Servers {
		if srv.Active {
			o.NormalActive = append(o.NormalActive, srv.FQDN)
		}
		if srv.ActiveAfterFailover {
			o.FailoverActive = append(o.FailoverActive, srv.FQDN)
		}
	}
	if s.Compliance.Enabled {
		t, in := o.Backup, s.SQL.Backup
		if !s.Compliance.SharedInstances {
			t, in = newTarget("compliance_backup", s.SQL.ComplianceBackup), s.SQL.ComplianceBackup
		}
		o.ComplianceBackup, o.ComplianceBackupSQL = &t, in
	}
	o.Shares = sharePermissions(s, o)
	return o
}

// adminShare turns a local path on a host into its administrative share:
// E:\LogShip on host h is \\h\E$\LogShip.
func adminShare(host, local string) string {
	if len(local) < 2 || local[1] != ':' {
		return local
	}
	return `\\` + host + `\` + local[:1] + "$" + local[2:]
}

// seedWriters are the logins that read and write the mirroring seed share:
// every principal and mirror.
func seedWriters(acc []Account, pairs []Pair) []string {
	var logins []string
	for _, p := range pairs {
		logins = append(logins, loginOf(acc, p.Principal.Role), loginOf(acc, p.Mirror.Role))
	}
	return unique(logins...)
}

// prerequisites plans the read-only pre-deployment check.
func (b *builder) prerequisites() *File {
	return b.file(path.Join("prerequisites", "00-check-prerequisites.ps1"), "ps/prerequisites/check.ps1.tmpl",
		Data{Ops: b.ops, Target: Shell, Title: "Read-only pre-deployment check, one line per check: shares exist and grant the service logins write access, SQL Server Agent runs, versions and editions match, mgc uses FULL recovery, endpoint ports answer (once the endpoints exist), and what the DR scripts need from the Management Shell: the Central Management store, the pool's service identity, state, active list and computers"})
}

// serveFirst is the fix for a step that needs the instance p reads, a
// partner of a pair, to be its principal: bring it back if it does not
// answer, or fail the pair back to it in its own data center (a re-seed from
// the mirror, or the backup data center's pair, needs other values than the
// primary's failback).
func serveFirst(p Pred) Pred {
	t := p.On
	dc := "Primary"
	if t.DataCenter == "backup" {
		dc = "Backup"
	}
	return p.fix(fmt.Sprintf("bring %s back if it does not answer; if %s there is the mirror, fail it back: mirror-failover/10-mirror-failover.ps1 -DataCenter %s -NewPrincipal %s -Database %s", t.Server, p.DB, dc, fromOf(*t), p.DB))
}

// TailFolder is the folder of the tail-log backups, beside the share's
// mgc folder.
func (o *Ops) TailFolder() string { return o.TailFile[:strings.LastIndexByte(o.TailFile, '\\')] }
