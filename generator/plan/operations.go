package plan

import (
	"fmt"
	"path"
	"strings"

	"pchat-hadr/generator/site"
)

// Runbook sections of the operations families.
const (
	PhasePrerequisites  = "prerequisites"
	PhaseTopology       = "topology"
	PhaseMirrorFailover = "mirror-failover"
	PhaseDRFailover     = "dr-failover"
	PhaseDRSwitchover   = "dr-switchover"
	PhaseDRFailback     = "dr-failback"
)

// Ops is the data of the prerequisite, topology, failover, switchover and
// failback scripts: everything about the pool and the files they run.
type Ops struct {
	PoolFQDN             string
	Product              string
	SQLVersion           string
	StateIdentity        string // site override; empty: resolved at run time
	ActiveServerIdentity string
	NormalActive         []string
	FailoverActive       []string
	Pairs                []Pair // mirroring sessions in the primary data center
	LogShip              LogShip
	Backup               Target
	BackupMirror         Target
	ComplianceBackup     *Target // holds mgccomp in the backup data center
	BackupSeed           string  // Install-CsMirrorDatabase -FileShare after failover
	TailFile             string  // switchover tail-log backup, outside the copy job's folder
	FailbackFile         string  // full backup of mgc taken on the backup for failback
	Moves                []site.Move
	Instances            []Account // every instance, for the prerequisite checks
	Shares               []Share
	DrainTimeoutMinutes  int
	DropExisting         bool // Install-CsMirrorDatabase -DropExistingDatabasesOnMirror
	BackupInstance       *site.Instance
	ComplianceBackupSQL  *site.Instance

	// Files run by the orchestrators, relative to the orchestrator.
	Drain, Recover                 Run
	SwitchoverDrain                Run // the same files, seen from the switchover script
	SwitchoverRecover              Run
	StopMirrorLS, TailLog          Run
	RestoreTail                    Run
	PartnerOff                     []Run
	FailbackBackup                 Run
	Clean                          []Run
	RestorePrimary                 Run
	CleanSecondary                 Run
	Reseed                         Run
	Mirroring                      []Run // the mirroring family, in order
	LSInitBackup, LSPrimary        Run
	LSSecondary                    Run
	ConfigureMirrorLS              string
	PlannedFailover, ForceFailover []Run
}

// Run is a .sql file and the instance it runs on.
type Run struct {
	Server string
	File   string // relative to the script that runs it
	DB     string
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

func operations(s *site.Site, acc []Account, pairs []Pair, l LogShip) Ops {
	o := Ops{
		PoolFQDN:             s.Site.PoolFQDN,
		Product:              s.Site.Product,
		SQLVersion:           s.SQL.Version,
		StateIdentity:        s.Site.StateIdentity,
		ActiveServerIdentity: s.Site.ActiveServerIdentity,
		Pairs:                pairs,
		LogShip:              l,
		Backup:               l.Secondary,
		BackupMirror:         newTarget("backup_mirror", s.SQL.BackupMirror),
		BackupSeed:           s.Shares.BackupMirroringSeed,
		TailFile:             s.Shares.LogShipping + `\tail\mgc_tail.trn`,
		FailbackFile:         l.BackupDirectory + `\mgc_failback.bak`,
		Moves:                movesFor(s.SQL.Primary, "mgc"),
		Instances:            acc,
		DrainTimeoutMinutes:  drainTimeoutMinutes,
		DropExisting:         s.Mirroring.ReplaceExistingMirrorDatabase,
		BackupInstance:       s.SQL.Backup,
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
	o.Shares = sharePermissions(s, &o)
	return o
}

// unique drops repeated logins, keeping the first spelling.
func unique(logins ...string) []string {
	var out []string
	for _, l := range logins {
		if !containsFold(out, l) {
			out = append(out, l)
		}
	}
	return out
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

func movesFor(in *site.Instance, db string) []site.Move {
	var out []site.Move
	for _, m := range in.Move {
		if m.Database == db {
			out = append(out, m)
		}
	}
	return out
}

// opsFile plans one file of an operations family.
func opsFile(dir, name, tmpl string, phase string, t Target, data Data, what, check string) File {
	return File{
		Path:     path.Join(dir, name),
		Template: tmpl,
		Step:     Step{Phase: phase, Target: t, What: what, Check: check},
		Data:     data,
	}
}

// sqlName names a .sql file: <stage>-<instance>-<action>-<db>.sql.
func sqlName(stage int, t Target, action, db string) string {
	return fmt.Sprintf("%d-%s-%s-%s.sql", stage, t.Slug, action, db)
}

// rel is the path of a planned file as seen from a script in dir.
func rel(dir string, f File) string {
	if path.Dir(f.Path) == dir {
		return path.Base(f.Path)
	}
	return "../" + f.Path
}

func runOf(dir string, f File, db string) Run {
	return Run{Server: f.Step.Target.Server, File: strings.ReplaceAll(rel(dir, f), "/", `\`), DB: db}
}
