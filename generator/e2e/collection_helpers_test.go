package e2e

import (
	"fmt"
	"strings"

	"pchat-hadr/generator/collect"
	"pchat-hadr/generator/plan"
	"pchat-hadr/generator/site"
)

// productVersions are Get-CsServerVersion texts (the cmdlet returns a
// string; its exact wording is not documented, so import also reads the
// major version: 5 Lync Server 2013, 6 Skype for Business Server 2015).
var productVersions = map[string]string{
	"lync2013": "Microsoft Lync Server 2013 (5.0.8308.0): Volume license key installed.",
	"sfb2015":  "Skype for Business Server 2015 (6.0.9319.0): Volume license key installed.",
}

// sqlVersions are SERVERPROPERTY('ProductVersion') values by sql.version.
var sqlVersions = map[string]string{
	"2008r2": "10.50.6000.34", "2012": "11.0.7001.0", "2014": "12.0.6024.0", "2016": "13.0.5026.0",
	"2017": "14.0.3045.24", "2019": "15.0.2000.5", "2022": "16.0.1000.6",
}

// collectionOf is what the collector would read from a deployment built
// and set up exactly as a site file describes, in normal operation:
// mirroring in the primary data center, log shipping from both partners
// to the backup, and every witness and the monitor named with
// -AlsoInstance. The round trip imports it.
func collectionOf(s *site.Site, p *plan.Plan) *collect.Document {
	c := &collector{s: s, p: p, doc: &collect.Document{SchemaVersion: collect.SchemaVersion, Generator: collect.Generator,
		CollectedAt: "2024-05-06T07:08:09Z", ProductVersion: productVersions[s.Site.Product], DatabaseServices: []string{}, Warnings: []string{}}}
	c.pool()
	for _, r := range site.Roles {
		if in := s.SQL.Instance(r.Key); in != nil {
			c.instance(r, in)
		}
	}
	if m := s.LogShipping.Monitor; m != nil {
		c.add(m.AsInstance(), "parameter")
	}
	for i := range c.doc.Instances {
		c.databases(&c.doc.Instances[i])
	}
	return c.doc
}

type collector struct {
	s   *site.Site
	p   *plan.Plan
	doc *collect.Document
}

func (c *collector) pool() {
	s := c.s
	pool := collect.Pool{Identity: "PersistentChatServer:" + s.Site.PoolFQDN, PoolFQDN: s.Site.PoolFQDN, State: "Normal",
		ActiveServers: []string{}, InactiveServers: []string{}, Computers: []string{}}
	for _, srv := range s.Servers {
		pool.Computers = append(pool.Computers, srv.FQDN)
		if srv.Active {
			pool.ActiveServers = append(pool.ActiveServers, srv.FQDN)
		} else {
			pool.InactiveServers = append(pool.InactiveServers, srv.FQDN)
		}
	}
	store := func(role, kind string) string {
		if in := s.SQL.Instance(role); in != nil {
			id := kind + ":" + in.ServerName()
			c.doc.DatabaseServices = append(c.doc.DatabaseServices, id)
			return id
		}
		return ""
	}
	d := &pool.Databases
	d.PersistentChat, d.MirrorPersistentChat = store("primary", "PersistentChatStore"), store("primary_mirror", "PersistentChatStore")
	d.BackupPersistentChat, d.BackupMirrorPersistentChat = store("backup", "PersistentChatStore"), store("backup_mirror", "PersistentChatStore")
	if s.Compliance.Enabled {
		roles := [4]string{"compliance_primary", "compliance_primary_mirror", "compliance_backup", "compliance_backup_mirror"}
		if s.Compliance.SharedInstances {
			roles = [4]string{"primary", "primary_mirror", "backup", "backup_mirror"}
		}
		const k = "PersistentChatComplianceStore"
		d.PersistentChatCompliance, d.MirrorPersistentChatCompliance = store(roles[0], k), store(roles[1], k)
		d.BackupPersistentChatCompliance, d.BackupMirrorPersistentChatCompliance = store(roles[2], k), store(roles[3], k)
	}
	c.doc.Pools = []collect.Pool{pool}
}

// add records an instance once, however many roles name it.
func (c *collector) add(in *site.Instance, foundBy string) *collect.Instance {
	if got := c.doc.Instance(in.ServerName()); got != nil {
		got.FoundBy = append(got.FoundBy, foundBy)
		return got
	}
	machine := strings.ToUpper(in.NetBIOS())
	server := machine
	var instName string
	if in.Instance != "" {
		instName = strings.ToUpper(in.Instance)
		server += `\` + instName
	}
	svc := func(kind string) string { return kind + " (" + strings.ToUpper(in.InstanceName()) + ")" }
	c.doc.Instances = append(c.doc.Instances, collect.Instance{
		Server: in.ServerName(), FoundBy: []string{foundBy},
		Properties: collect.Properties{MachineName: machine, InstanceName: instName, ServerName: server,
			ProductVersion: sqlVersions[c.s.SQL.Version], ProductLevel: "SP2", Edition: "Enterprise Edition (64-bit)"},
		Services: []collect.Service{
			{ServiceName: svc("SQL Server"), ServiceAccount: in.ServiceAccount, Status: "Running"},
			{ServiceName: svc("SQL Server Agent"), ServiceAccount: in.Agent(), Status: "Running"},
		},
		Databases: []collect.Database{}, Witnessing: []collect.WitnessRole{},
		LogShipping: collect.LogShipping{Primaries: []collect.LSPrimary{}, Secondaries: []collect.LSSecondary{}},
	})
	return &c.doc.Instances[len(c.doc.Instances)-1]
}

func (c *collector) instance(r site.Role, in *site.Instance) {
	foundBy := "database_services"
	if r.Witness {
		foundBy = "parameter"
	}
	got := c.add(in, foundBy)
	role := "PARTNER"
	if r.Witness {
		role = "WITNESS"
	}
	got.Endpoint = &collect.Endpoint{Name: c.s.Mirroring.EndpointName, State: "STARTED", Role: role, Encryption: true,
		Algorithm: "AES", Authentication: "NEGOTIATE", Port: in.Port}
}

func address(in *site.Instance) string {
	return fmt.Sprintf("TCP://%s:%d", strings.ToLower(in.FQDN), in.Port)
}

// rolesOf lists the site roles an instance plays, in schema order.
func (c *collector) rolesOf(ci *collect.Instance) []string {
	var out []string
	for _, r := range site.Roles {
		if in := c.s.SQL.Instance(r.Key); in != nil && collect.SameServer(in.ServerName(), ci.Server) {
			out = append(out, r.Key)
		}
	}
	return out
}

// databases fills what each role holds: the principal and mirror of every
// session with their witness, the backup's RESTORING copy of mgc, the
// compliance copy in the backup data center, the witnesses' sessions and
// the log-shipping configuration.
func (c *collector) databases(ci *collect.Instance) {
	s := c.s
	for _, role := range c.rolesOf(ci) {
		for _, pr := range c.pairs() {
			if pr.Principal.Role == role {
				ci.Databases = append(ci.Databases, c.mirrored(pr, role, "PRINCIPAL", s.SQL.Instance(pr.Mirror.Role)))
			}
			if pr.Mirror.Role == role {
				ci.Databases = append(ci.Databases, c.mirrored(pr, role, "MIRROR", s.SQL.Instance(pr.Principal.Role)))
			}
			if pr.Witness != nil && pr.Witness.Role == role {
				ci.Witnessing = append(ci.Witnessing, collect.WitnessRole{Database: pr.Database, Principal: pr.Principal.SQLName(),
					Mirror: pr.Mirror.SQLName(), SafetyLevel: "FULL", SyncState: "SYNCHRONIZED"})
			}
		}
		switch {
		case role == "backup":
			ci.Databases = append(ci.Databases, collect.Database{Name: "mgc", State: "RESTORING", RecoveryModel: "FULL", Files: c.files("mgc", role)})
			if s.Compliance.Enabled && s.Compliance.SharedInstances {
				ci.Databases = append(ci.Databases, collect.Database{Name: "mgccomp", State: "ONLINE", RecoveryModel: "FULL", Files: c.files("mgccomp", role)})
			}
		case role == "compliance_backup":
			ci.Databases = append(ci.Databases, collect.Database{Name: "mgccomp", State: "ONLINE", RecoveryModel: "FULL", Files: c.files("mgccomp", role)})
		}
		c.logShipping(ci, role)
	}
}

func (c *collector) mirrored(pr plan.Pair, role, as string, partner *site.Instance) collect.Database {
	state := "ONLINE"
	if as == "MIRROR" {
		state = "RESTORING"
	}
	m := &collect.Mirroring{Role: as, State: "SYNCHRONIZED", SafetyLevel: "FULL", Partner: address(partner),
		PartnerInstance: strings.ToUpper(partner.NetBIOS())}
	if pr.Witness != nil {
		m.Witness, m.WitnessState = pr.Witness.Address, "CONNECTED"
	}
	return collect.Database{Name: pr.Database, State: state, RecoveryModel: "FULL", Mirroring: m, Files: c.files(pr.Database, role)}
}

// sources are the restores that put a database's files where they are:
// a role without its own move for a file has its source's path.
var sources = map[string]string{"primary_mirror": "primary", "backup": "primary", "compliance_primary_mirror": "compliance_primary"}

func (c *collector) files(db, role string) []collect.File {
	var out []collect.File
	for _, name := range c.logicalNames(db) {
		typ, ext := "ROWS", ".mdf"
		if strings.HasSuffix(name, "_log") {
			typ, ext = "LOG", ".ldf"
		}
		out = append(out, collect.File{LogicalName: name, PhysicalName: c.path(db, role, name, `D:\MSSQL\Data\`+name+ext), Type: typ})
	}
	return out
}

func (c *collector) path(db, role, name, base string) string {
	for r := role; r != ""; r = sources[r] {
		if in := c.s.SQL.Instance(r); in != nil {
			for _, m := range in.Move {
				if m.Database == db && m.LogicalName == name {
					return m.PhysicalName
				}
			}
		}
	}
	return base
}

// logicalNames are the moved files' names in the order the site lists
// them, then the data and log files every database has.
func (c *collector) logicalNames(db string) []string {
	var out []string
	seen := map[string]bool{}
	for _, r := range site.Roles {
		if in := c.s.SQL.Instance(r.Key); in != nil {
			for _, m := range in.Move {
				if m.Database == db && !seen[m.LogicalName] {
					seen[m.LogicalName] = true
					out = append(out, m.LogicalName)
				}
			}
		}
	}
	for _, n := range []string{db, db + "_log"} {
		if !seen[n] {
			out = append(out, n)
		}
	}
	return out
}

func (c *collector) logShipping(ci *collect.Instance, role string) {
	ls := c.p.LogShip
	s := c.s.LogShipping
	monitor := ""
	if ls.Monitor != nil {
		monitor = ls.Monitor.SQLName()
	}
	job := func(name, schedule string, minutes int) *collect.Job {
		return &collect.Job{Name: name, Enabled: true, Schedules: []collect.Schedule{{Name: schedule, Enabled: true,
			FreqType: 4, FreqInterval: 1, FreqSubdayType: 4, FreqSubdayInterval: minutes}}}
	}
	switch role {
	case "primary", "primary_mirror":
		schedule := ls.BackupSchedule.Name
		if role == "primary_mirror" && s.BackupScheduleName == "" {
			schedule = fmt.Sprintf(site.DefaultBackupScheduleName, ls.Mirror.SQLName())
		}
		ci.LogShipping.Primaries = append(ci.LogShipping.Primaries, collect.LSPrimary{Database: "mgc",
			BackupDirectory: ls.BackupDirectory, BackupShare: ls.BackupShare, BackupRetention: ls.BackupRetention,
			BackupCompression: ls.Compression, MonitorServer: monitor, MonitorSecurityMode: 1,
			LastBackupFile: ls.BackupDirectory + `\mgc_20240506070000.trn`, LastBackupDate: "2024-05-06T07:00:00",
			BackupThreshold: ls.BackupThreshold, ThresholdAlertEnabled: true, HistoryRetention: ls.History,
			BackupJob:   job(ls.BackupJob, schedule, ls.BackupSchedule.Interval),
			Secondaries: []collect.LSSecondaryOf{{Server: ls.Secondary.SQLName(), Database: "mgc"}}})
	case "backup":
		ci.LogShipping.Secondaries = append(ci.LogShipping.Secondaries, collect.LSSecondary{
			PrimaryServer: ls.OriginalPrimary.SQLName(), PrimaryDatabase: "mgc", SourceDirectory: ls.BackupShare,
			DestinationDirectory: ls.CopyDestination, FileRetention: ls.CopyRetention, MonitorServer: monitor,
			LastCopiedFile: ls.CopyDestination + `\mgc_20240506070000.trn`, LastCopiedDate: "2024-05-06T07:01:00",
			CopyJob:    job(ls.CopyJob, ls.CopySchedule.Name, ls.CopySchedule.Interval),
			RestoreJob: job(ls.RestoreJob, ls.RestoreSchedule.Name, ls.RestoreSchedule.Interval),
			Databases: []collect.LSDatabase{{Database: "mgc", RestoreAll: true, LastRestoredFile: ls.CopyDestination + `\mgc_20240506070000.trn`,
				LastRestoredDate: "2024-05-06T07:02:00", RestoreThreshold: ls.RestoreThresh, ThresholdAlertEnabled: true, HistoryRetention: ls.History}}})
	}
}

// pairs are the plan's mirroring sessions in the primary data center.
func (c *collector) pairs() []plan.Pair {
	for _, f := range c.p.Files {
		if f.Data.Ops != nil {
			return f.Data.Ops.Pairs
		}
	}
	return nil
}
