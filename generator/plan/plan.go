// Package plan turns a validated site into its operations, each a table of
// state-guarded steps, and the files that render them: one orchestrator per
// operation, the reviewed .sql files its steps run, and the read-only
// checks. It decides names, order, targets and checks; it knows nothing of
// template syntax or of the file system.
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
	Files  []File // in runbook order
	// Operations are the procedures in runbook order: set-up first, then
	// what is run when things go wrong.
	Operations []*Operation
	// Checks are the read-only scripts the runbook lists outside any
	// operation (the prerequisites check, the health checks).
	Checks []*File
	// Accounts lists, per instance, the service account and the login it
	// uses on the other instances; the runbook's instance table shows them.
	Accounts []Account
	// LogShip is the log-shipping configuration the runbook describes, and
	// LogShipWriters the logins that write to its share.
	LogShip        LogShip
	LogShipWriters []string
	BackupLogin    string // the backup instance's SQL Server service login
	// ComplianceStore is the SQL store of mgccomp in Topology Builder, and
	// ExtraStores the other stores to add: witnesses and compliance stores.
	ComplianceStore string
	ExtraStores     []Store
	Ops             *Ops
	// Diagram is the picture of the site at the top of the runbook.
	Diagram Diagram
}

// Store is a Topology Builder SQL store and the role it plays.
type Store struct{ Server, Role string }

// File is one generated script.
type File struct {
	Path     string // slash-separated, relative to the site's output folder
	Template string // template path inside the embedded tree
	Data     Data
}

// Data is what a script template sees: the shared part plus the part of
// the family it belongs to.
type Data struct {
	// The fields every template shares. They are not an embedded struct:
	// text/template finds promoted fields by a slow reflective search.
	Source string
	Site   string
	Path   string
	Title  string // one sentence: what the file does
	Target Target
	// Guard is set for a .sql file that acts for a step: the checks its
	// opening and closing batches run, rendered from the step's table.
	Guard *Guard
	// Engine is set for an orchestrator: its operation's step table.
	Engine    *Engine
	Endpoint  *Endpoint
	Pair      *Pair
	LogShip   *LogShip
	Ops       *Ops
	Failover  *Failover
	LogBackup *LogBackup
	DB        string // the database a per-database script handles
	File      string // the backup file a DR script writes or restores
}

// Account is an instance's service accounts and the logins they use on
// other hosts.
type Account struct {
	Target     Target
	Service    string
	Login      string
	Agent      string // the SQL Server Agent service account
	AgentLogin string
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

// Shell is the target of PowerShell scripts: the Lync / Skype for Business
// Server Management Shell, run as a member of RTCUniversalServerAdmins.
var Shell = Target{Role: "shell", Server: "Management Shell"}

// Upper is the partner address as sys.database_mirroring reports it,
// compared case-insensitively.
func (t Target) Upper() string { return strings.ToUpper(t.Address) }

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

// Build plans every operation and file for a validated site. source is the
// name written into file headers.
func Build(s *site.Site, source string) (*Plan, error) { return BuildWith(s, source, 1) }

// BuildWith is Build with the orchestrators' tables and the .sql files'
// guards, which only read the finished operations, made up to workers at
// once: in a run of one site, the template parse is over by then and the
// other core idle. The plan is the same for any workers.
func BuildWith(s *site.Site, source string, workers int) (*Plan, error) {
	p := &Plan{Source: source, Site: s, Diagram: diagram(s)}
	acc, err := accounts(s)
	if err != nil {
		return nil, err
	}
	p.Accounts = acc
	b := newBuilder(s, p)
	p.LogShip = b.ls
	p.LogShipWriters = unique(loginOf(acc, "primary"), loginOf(acc, "primary_mirror"))
	p.BackupLogin = loginOf(acc, "backup")
	p.ComplianceStore, p.ExtraStores = stores(s)
	p.Ops = b.ops
	b.workers = workers
	b.plan()
	return p, nil
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
		a := Account{Target: newTarget(r.Key, in), Service: in.ServiceAccount, Login: login}
		if !r.Witness {
			a.Agent = in.Agent()
			if a.AgentLogin, err = site.NetworkLogin(a.Agent, s.Site.ADDomain, in.NetBIOS()); err != nil {
				return nil, fmt.Errorf("sql.%s.agent_account: %w", r.Key, err)
			}
		}
		out = append(out, a)
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

// Operation returns the operation with the plan command's name, or nil.
func (p *Plan) Operation(name string) *Operation {
	for _, o := range p.Operations {
		if o.Name == name {
			return o
		}
	}
	return nil
}
