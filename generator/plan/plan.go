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
}

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
	Common
	Endpoint *Endpoint
	Pair     *Pair
	LogShip  *LogShip
	PS       *PS
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
	// Indirect steps are run by the next step's script, not by hand.
	Indirect bool
	What     string // one sentence: what it does
	Check    string // what success looks like afterwards
}

// Common is embedded in every template's data.
type Common struct {
	Source string
	Site   string
	Path   string
	Title  string
	Target Target
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
	if f.Step.Indirect {
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
	p := &Plan{Source: source, Site: s}
	acc, err := accounts(s)
	if err != nil {
		return nil, err
	}
	p.Accounts = acc
	pairs := mirrorPairs(s)
	p.add(endpointFiles(s, pairs, acc)...)
	for _, pr := range pairs {
		p.add(pairFiles(s, pr)...)
		for _, role := range []string{pr.Principal.Role, pr.Mirror.Role} {
			if l := loginOf(acc, role); !containsFold(p.SeedShareLogins, l) {
				p.SeedShareLogins = append(p.SeedShareLogins, l)
			}
		}
	}
	p.LogShip = logShipping(s)
	for _, role := range []string{"primary", "primary_mirror"} {
		if l := loginOf(acc, role); !containsFold(p.LogShipWriters, l) {
			p.LogShipWriters = append(p.LogShipWriters, l)
		}
	}
	p.add(logShippingFiles(s)...)
	return p, nil
}

// add appends files, filling the data every template shares.
func (p *Plan) add(files ...File) {
	for _, f := range files {
		f.Step.Run = runCommand(f)
		f.Data.Common = Common{Source: p.Source, Site: p.Site.Site.Name, Path: f.Path, Title: f.Step.What, Target: f.Step.Target}
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
