// Package plan turns a validated site into the ordered list of files to
// render and the runbook steps that run them. It decides names, order and
// targets; it knows nothing of template syntax or of the file system.
package plan

import (
	"fmt"
	"strings"

	"pchat-hadr/generator/site"
)

// Plan is everything the renderer needs for one site.
type Plan struct {
	Source string // base name of the site file, for headers
	Site   *site.Site
	Files  []File // in run order
	// Logins lists, per instance, the network logins its SQL Server uses:
	// the runbook asks for share permissions for them.
	Accounts []Account
	// SeedShareLogins need read/write on the mirroring seed share.
	SeedShareLogins []string
	// LogShip is the log-shipping configuration the runbook describes, and
	// LogShipWriters the logins that write to its share.
	LogShip        LogShip
	LogShipWriters []string
	BackupLogin    string // the backup instance's SQL Server service login
	// ComplianceStore is the SQL store of mgccomp in Topology Builder, and
	// ExtraStores the other stores to add: witnesses and compliance stores.
	ComplianceStore string
	ExtraStores     []Store
	// Diagram is the picture of the site at the top of the runbook.
	Diagram Diagram
}

// Store is a Topology Builder SQL store and the role it plays.
type Store struct{ Server, Role string }

// File is one generated script.
type File struct {
	Path     string // slash-separated, relative to the site's output folder
	Template string // template path inside the embedded tree
	Step     Step
	Data     Data
}

// Data is what a script template sees: the shared part plus the part of
// the family it belongs to (exactly one is set).
type Data struct {
	// The fields every template shares. They are not an embedded struct:
	// text/template finds promoted fields by a slow reflective search.
	Source   string
	Site     string
	Path     string
	Title    string
	Target   Target
	Endpoint *Endpoint
	Pair     *Pair
	LogShip  *LogShip
	PS       *PS
	Ops      *Ops
	Failover *Failover
	DB       string // the database a per-database script handles
	Planned  bool   // the planned variant of a DR orchestrator (switchover)
}

// PS is what PowerShell scripts need besides their family's data.
type PS struct {
	PoolFQDN string
	Product  string
	SQLFile  string // the .sql file the script runs, relative to the script
}

// Step is the runbook entry for a file.
type Step struct {
	Phase  string // section of the runbook
	Target Target // where it runs
	Run    string // the command that runs it, from the site's output folder
	// RunBy names the script that runs this file; such steps are not run
	// by hand (the file is there to be reviewed, and as a fallback).
	RunBy string
	What  string // one sentence: what it does
	Check string // what success looks like afterwards
}

// Account is an instance's service account and the login it uses on others.
type Account struct {
	Target  Target
	Service string
	Login   string
}

// Target is the SQL Server instance a script runs on.
type Target struct {
	Role       string // role key, e.g. primary_mirror
	DataCenter string // primary or backup
	FQDN       string
	Server     string // FQDN or FQDN\INSTANCE, for sqlcmd -S
	Machine    string // upper-case NetBIOS name, compared with SERVERPROPERTY('MachineName')
	Instance   string // upper-case instance name, MSSQLSERVER for the default instance
	Port       int    // mirroring endpoint port
	Address    string // TCP://fqdn:port, the mirroring partner or witness address
	Slug       string // lower-case host[-instance], used in file names
}

// Shell is the target of PowerShell steps: the Lync / Skype for Business
// Server Management Shell, run as a member of RTCUniversalServerAdmins.
var Shell = Target{Role: "shell", Server: "Management Shell"}

func runCommand(f File) string {
	if f.Step.RunBy != "" {
		return ""
	}
	win := strings.ReplaceAll(f.Path, "/", `\`)
	if strings.HasSuffix(f.Path, ".ps1") {
		return `.\` + win
	}
	return fmt.Sprintf("sqlcmd -S %s -E -b -I -i %s", f.Step.Target.Server, win)
}

func newTarget(role string, in *site.Instance) Target {
	slug := strings.ToLower(site.HostLabel(in.FQDN))
	if in.Instance != "" {
		slug += "-" + strings.ToLower(in.Instance)
	}
	return Target{
		Role:       role,
		DataCenter: in.DataCenter,
		FQDN:       in.FQDN,
		Server:     in.ServerName(),
		Machine:    strings.ToUpper(in.NetBIOS()),
		Instance:   strings.ToUpper(in.InstanceName()),
		Port:       in.Port,
		Address:    fmt.Sprintf("TCP://%s:%d", strings.ToLower(in.FQDN), in.Port),
		Slug:       slug,
	}
}

// Build plans every file for a validated site. source is the name written
// into file headers.
func Build(s *site.Site, source string) (*Plan, error) {
	p := &Plan{Source: source, Site: s, Diagram: diagram(s)}
	acc, err := accounts(s)
	if err != nil {
		return nil, err
	}
	p.Accounts = acc
	pairs := mirrorPairs(s)
	mirroring := endpointFiles(s, pairs, acc)
	for _, pr := range pairs {
		mirroring = append(mirroring, pairFiles(s, pr)...)
	}
	p.SeedShareLogins = seedWriters(acc, pairs)
	p.LogShip = logShipping(s)
	p.LogShipWriters = unique(loginOf(acc, "primary"), loginOf(acc, "primary_mirror"))
	p.ComplianceStore, p.ExtraStores = stores(s)
	p.BackupLogin = loginOf(acc, "backup")
	ls := logShippingFiles(s, p.LogShip)
	ops := operations(s, acc, pairs, p.LogShip)
	// Runbook order: prerequisites, mirroring, log shipping, topology, then
	// the operations for when they are needed.
	opsList := opsFiles(s, &ops, mirroring, ls)
	p.add(opsList[0])
	p.add(mirroring...)
	p.add(ls...)
	p.add(opsList[1:]...)
	return p, nil
}

// add appends files, filling the data every template shares.
func (p *Plan) add(files ...File) {
	for _, f := range files {
		f.Step.Run = runCommand(f)
		f.Data.Source, f.Data.Site, f.Data.Path = p.Source, p.Site.Site.Name, f.Path
		f.Data.Title, f.Data.Target = f.Step.What, f.Step.Target
		p.Files = append(p.Files, f)
	}
}

func accounts(s *site.Site) ([]Account, error) {
	var out []Account
	for _, r := range site.Roles {
		in := s.SQL.Instance(r.Key)
		if in == nil {
			continue
		}
		login, err := site.NetworkLogin(in.ServiceAccount, s.Site.ADDomain, in.NetBIOS())
		if err != nil {
			return nil, fmt.Errorf("sql.%s.service_account: %w", r.Key, err)
		}
		out = append(out, Account{Target: newTarget(r.Key, in), Service: in.ServiceAccount, Login: login})
	}
	return out, nil
}

func loginOf(acc []Account, role string) string {
	for _, a := range acc {
		if a.Target.Role == role {
			return a.Login
		}
	}
	return ""
}

// Procedure groups runbook phases for step numbering: the set-up phases
// are one procedure run in order; each operation is a procedure of its own.
func Procedure(phase string) string {
	switch phase {
	case PhasePrerequisites, PhaseMirroring, PhaseLogShipping, PhaseTopology:
		return "setup"
	}
	return phase
}

// stores lists the Topology Builder SQL stores beyond the four mgc ones.
func stores(s *site.Site) (string, []Store) {
	compliance := ""
	if s.Compliance.Enabled {
		compliance = s.SQL.Primary.ServerName()
		if !s.Compliance.SharedInstances {
			compliance = s.SQL.CompliancePrimary.ServerName()
		}
	}
	var extra []Store
	for _, r := range site.Roles {
		switch r.Key {
		case "primary", "primary_mirror", "backup", "backup_mirror", "compliance_primary":
			continue
		}
		if in := s.SQL.Instance(r.Key); in != nil {
			extra = append(extra, Store{Server: in.ServerName(), Role: strings.ReplaceAll(r.Key, "_", " ")})
		}
	}
	return compliance, extra
}

// NumberedStep is a runbook step with its number within its procedure and
// the file it runs.
type NumberedStep struct {
	N    int
	Path string
	Step
}

// Steps numbers the plan's steps: the set-up phases count as one procedure
// run in order, each operation counts from 1. The runbook and the plan
// command both list these, so they cannot disagree.
func (p *Plan) Steps() []NumberedStep {
	numbers := map[string]int{}
	out := make([]NumberedStep, 0, len(p.Files))
	for _, f := range p.Files {
		proc := Procedure(f.Step.Phase)
		numbers[proc]++
		out = append(out, NumberedStep{N: numbers[proc], Path: f.Path, Step: f.Step})
	}
	return out
}

// Operations maps the plan command's operation names to procedures.
var Operations = map[string]string{
	"setup":           "setup",
	"mirror-failover": PhaseMirrorFailover,
	"failover":        PhaseDRFailover,
	"switchover":      PhaseDRSwitchover,
	"failback":        PhaseDRFailback,
}
