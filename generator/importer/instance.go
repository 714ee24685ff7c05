package importer

import (
	"fmt"
	"strings"

	"pchat-hadr/generator/collect"
	"pchat-hadr/generator/site"
)

// majors maps SERVERPROPERTY('ProductVersion') major versions to the site
// file's sql.version names.
var majors = map[string]string{"10.50": "2008r2", "11": "2012", "12": "2014", "13": "2016", "14": "2017", "15": "2019", "16": "2022"}

// documented lists the SQL Server versions each product supports.
var documented = map[string][]string{"lync2013": {"2008r2", "2012"}, "sfb2015": {"2008r2", "2012", "2014"}}

// requiredRoles are the roles every site has; the dedicated compliance
// roles are required too when compliance has its own instances.
var requiredRoles = map[string]bool{"primary": true, "primary_mirror": true, "backup": true, "backup_mirror": true}

func (im *importer) sql() {
	t := im.add("[sql]")
	v, from := im.version()
	if v == "" {
		t.todo("version", "the SQL Server version: 2008r2, 2012, 2014, 2016, 2017, 2019 or 2022", from)
	} else {
		t.set("version", v, from)
		p, _ := product(im.doc.ProductVersion)
		if p != "" && !contains(documented[p], v) {
			t.todo("allow_unsupported_version", "true to accept SQL Server "+v+", which is outside the versions documented for "+p, "A choice: the deployment runs a version the product does not document.")
		}
	}
	for _, r := range site.Roles {
		m := im.members[r.Key]
		if m == nil && (requiredRoles[r.Key] || r.Compliance && r.Key != "compliance_backup_mirror" && im.comp.enabled && !im.comp.shared) {
			m = &member{role: r.Key}
		}
		if m != nil {
			im.instance(r, m)
		}
	}
}

// version is the SQL Server version of the principal, or of the first
// instance read; the others are listed in the comment when they differ.
func (im *importer) version() (string, string) {
	var first, firstFrom string
	var others []string
	for _, r := range site.Roles {
		m := im.members[r.Key]
		if m == nil || !m.known() || m.live.Properties.ProductVersion == "" {
			continue
		}
		pv := m.live.Properties.ProductVersion
		v := versionName(pv)
		if first == "" {
			first, firstFrom = v, fmt.Sprintf("SERVERPROPERTY('ProductVersion') of %s: %s.", m.store.Server(), pv)
			if v == "" {
				return "", firstFrom + " Not a version pchat-hadr knows (it needs SQL Server 2008 R2 or later)."
			}
		} else if v != first {
			others = append(others, fmt.Sprintf("%s runs %s", m.store.Server(), pv))
		}
	}
	if first == "" {
		return "", "No instance was read to tell the version."
	}
	if len(others) > 0 {
		firstFrom += " But " + strings.Join(others, ", ") + ": mirroring needs one version on partners and witness."
	}
	return first, firstFrom
}

func versionName(pv string) string {
	parts := strings.SplitN(pv, ".", 3)
	if len(parts) >= 2 {
		if v, ok := majors[parts[0]+"."+parts[1]]; ok {
			return v
		}
	}
	if parts[0] == "10" {
		return ""
	}
	return majors[parts[0]]
}

func (im *importer) instance(r site.Role, m *member) {
	t := im.add("[sql."+r.Key+"]", roleNote(r.Key))
	t.set("data_center", r.DataCenter, "The "+r.DataCenter+" data center, as sql."+r.Key+" requires.")
	if m.store.FQDN == "" {
		t.todo("fqdn", "the host FQDN of this instance", "The topology names no store for this role.")
		t.todo("service_account", "the SQL Server service account", "The topology names no store for this role.")
		return
	}
	t.set("fqdn", m.store.FQDN, m.from+".")
	switch m.store.Instance {
	case "?":
		t.todo("instance", "the witness's instance name, or remove this line for the default instance", "A mirroring address names the host and port only, and the instance was not read (name it with -AlsoInstance).")
	case "":
	default:
		t.set("instance", m.store.Instance, "The instance of the store.")
	}
	im.netbios(t, m)
	im.port(t, r, m)
	engine := im.account(t, m, "service_account", "SQL Server")
	if !r.Witness {
		im.agent(t, m, engine)
	}
	im.moves(r.Key, m)
}

func roleNote(role string) string {
	return "The instance in the role " + strings.ReplaceAll(role, "_", " ") + "."
}

func (im *importer) netbios(t *table, m *member) {
	host := site.HostLabel(m.store.FQDN)
	machine := ""
	if m.known() {
		machine = m.live.Properties.MachineName
	}
	switch {
	case machine != "" && !strings.EqualFold(machine, host):
		t.set("netbios_name", machine, "SERVERPROPERTY('MachineName'), which differs from the host name "+host+".")
	case machine == "" && len(host) > 15:
		t.todo("netbios_name", "the computer's NetBIOS name (the host name "+host+" is longer than 15 characters)", "The instance was not read.")
	}
}

func (im *importer) port(t *table, r site.Role, m *member) {
	def := site.DefaultPartnerPort
	if r.Witness {
		def = site.DefaultWitnessPort
	}
	switch {
	case m.live != nil && m.live.Endpoint != nil:
		e := m.live.Endpoint
		t.set("port", e.Port, fmt.Sprintf("sys.tcp_endpoints port of the mirroring endpoint %s (role %s, %s).", e.Name, e.Role, e.State))
	case m.port > 0:
		t.set("port", m.port, "The port of the witness address.")
	default:
		if port, from := im.partnerPort(m.store.FQDN); port > 0 {
			t.set("port", port, from)
		} else if m.known() {
			t.note(fmt.Sprintf("port: no mirroring endpoint on this instance yet; the default %d applies.", def))
		} else {
			t.note(fmt.Sprintf("port: the instance was not read; the default %d applies unless you set its endpoint's port.", def))
		}
	}
}

// partnerPort finds the port of a host's endpoint in another instance's
// mirroring session, for an instance that was not read.
func (im *importer) partnerPort(fqdn string) (int, string) {
	for _, in := range im.doc.Instances {
		for _, db := range in.Databases {
			if db.Mirroring == nil {
				continue
			}
			for _, addr := range []string{db.Mirroring.Partner, db.Mirroring.Witness} {
				if host, port, ok := parseAddress(addr); ok && strings.EqualFold(host, fqdn) {
					return port, fmt.Sprintf("The port in %s's mirroring session of %s (%s).", in.Server, db.Name, addr)
				}
			}
		}
	}
	return 0, ""
}

// account writes the account of a service: "SQL Server" or "SQL Server Agent".
func (im *importer) account(t *table, m *member, key, service string) string {
	switch {
	case m.live == nil:
		t.todo(key, "the "+service+" service account", m.store.Server()+" was not collected; name it with -AlsoInstance to read it.")
	case m.live.Error != "":
		t.todo(key, "the "+service+" service account", m.store.Server()+" was not read: "+m.live.Error)
	case m.live.Services == nil:
		t.todo(key, "the "+service+" service account", "sys.dm_server_services is not on this instance (SQL Server before 2008 R2 SP1).")
	default:
		if s := m.live.Service(service); s != nil && s.ServiceAccount != "" {
			t.set(key, s.ServiceAccount, "sys.dm_server_services service_account of "+s.ServiceName+".")
			return s.ServiceAccount
		}
		t.todo(key, "the "+service+" service account", "sys.dm_server_services lists no "+service+" service.")
	}
	return ""
}

// agent writes agent_account only when it differs from the default that
// follows from the engine's account (site.Instance.Agent).
func (im *importer) agent(t *table, m *member, engine string) {
	if engine == "" {
		return
	}
	s := m.live.Service("SQL Server Agent")
	if s == nil || s.ServiceAccount == "" {
		t.note("agent_account: sys.dm_server_services lists no SQL Server Agent service; the default applies.")
		return
	}
	def := (&site.Instance{ServiceAccount: engine, Instance: m.store.Instance}).Agent()
	if strings.EqualFold(s.ServiceAccount, def) {
		t.note("agent_account is left out: SQL Server Agent runs as " + s.ServiceAccount + ", the default for this service account.")
		return
	}
	t.set("agent_account", s.ServiceAccount, "sys.dm_server_services service_account of "+s.ServiceName+".")
}

// restores lists, for each role, the databases restored on it from another
// role's backup, whose files keep their source paths unless moved.
var restores = []struct{ role, db, source string }{
	{"primary_mirror", "mgc", "primary"},
	{"primary_mirror", "mgccomp", "primary"},
	{"compliance_primary_mirror", "mgccomp", "compliance_primary"},
	{"backup", "mgc", "primary"},
	{"primary", "mgc", "backup"},
}

// moves writes a [[sql.<role>.move]] for every file whose path differs
// from its path on the instance the restore comes from.
func (im *importer) moves(role string, m *member) {
	for _, r := range restores {
		if r.role != role {
			continue
		}
		src := im.members[r.source]
		if !m.known() || src == nil || !src.known() {
			continue
		}
		here, there := m.live.Database(r.db), src.live.Database(r.db)
		if here == nil || there == nil {
			continue
		}
		for _, f := range here.Files {
			other := fileNamed(there, f.LogicalName)
			if other == nil || strings.EqualFold(other.PhysicalName, f.PhysicalName) {
				continue
			}
			t := im.add("[[sql." + role + ".move]]")
			t.set("database", r.db, fmt.Sprintf("A file of %s on %s whose path differs from %s's (%s).", r.db, m.store.Server(), src.store.Server(), other.PhysicalName))
			t.set("logical_name", f.LogicalName, "sys.master_files name.")
			t.set("physical_name", f.PhysicalName, "sys.master_files physical_name on this instance.")
		}
	}
}

func fileNamed(db *collect.Database, logical string) *collect.File {
	for i := range db.Files {
		if strings.EqualFold(db.Files[i].LogicalName, logical) {
			return &db.Files[i]
		}
	}
	return nil
}
