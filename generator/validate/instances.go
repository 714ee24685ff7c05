package validate

import (
	"pchat-hadr/generator/diag"

	"fmt"
	"strings"

	"pchat-hadr/generator/site"
)

// Endpoint ports: CREATE ENDPOINT documents LISTENER_PORT as 1024-32767.
const (
	minPort = 1024
	maxPort = 32767
)

// required roles: the minimum stretched pool with HA and DR.
var requiredRoles = map[string]string{
	"primary":        "the principal of mgc in the primary data center",
	"primary_mirror": "the mirror of mgc in the primary data center (required for HA)",
	"backup":         "the log-shipping secondary of mgc in the backup data center (required for DR)",
	"backup_mirror":  "the mirror of the backup after a DR failover",
}

func (v *checker) instances() {
	byKey := map[string]string{}
	ports := map[string]string{} // host:port -> role
	for _, r := range site.Roles {
		path := "sql." + r.Key
		in := v.s.SQL.Instance(r.Key)
		if in == nil {
			if what, ok := requiredRoles[r.Key]; ok {
				v.errorf(path, "missing; add [%s] for %s", path, what)
			}
			continue
		}
		if !v.instance(path, r, in) {
			continue
		}
		if other, dup := byKey[in.Key()]; dup {
			v.errorf(path+".fqdn", "%s is already used as sql.%s; one instance cannot serve two roles", in.ServerName(), other)
			continue
		}
		byKey[in.Key()] = r.Key
		hp := fmt.Sprintf("%s:%d", strings.ToLower(in.FQDN), in.Port)
		if other, dup := ports[hp]; dup {
			v.errorf(path+".port", "%d is already the endpoint port of sql.%s on %s; each instance on a host needs its own mirroring endpoint port", in.Port, other, in.FQDN)
			continue
		}
		ports[hp] = r.Key
	}
	v.pairHosts()
}

// pairs lists the mirroring sessions the site can have: principal role,
// mirror role and witness role.
var pairs = [][3]string{
	{"primary", "primary_mirror", "primary_witness"},
	{"backup", "backup_mirror", "backup_witness"},
	{"compliance_primary", "compliance_primary_mirror", "primary_witness"},
	{"compliance_backup", "compliance_backup_mirror", "backup_witness"},
}

// pairHosts refuses partners, or a partner and its witness, on one host:
// losing that host would take the database down instead of failing over
// (a principal that loses both mirror and witness stops serving).
func (v *checker) pairHosts() {
	for _, p := range pairs {
		for i := 1; i < 3; i++ {
			for j := 0; j < i; j++ {
				a, b := v.s.SQL.Instance(p[j]), v.s.SQL.Instance(p[i])
				// The same instance twice is reported as one instance in two roles.
				if a == nil || b == nil || a.FQDN == "" || !strings.EqualFold(a.FQDN, b.FQDN) || a.Key() == b.Key() {
					continue
				}
				v.errorf("sql."+p[i]+".fqdn", "%s is also the host of sql.%s; the partners and the witness of a mirroring session must be on different hosts, or losing one host takes the database down", b.FQDN, p[j])
			}
		}
	}
}

// instance checks one instance's own keys and reports whether it is sound
// enough to compare with the others.
func (v *checker) instance(path string, r site.Role, in *site.Instance) bool {
	ok := true
	if v.dataCenter(dcOf(path), in.DataCenter) && in.DataCenter != r.DataCenter {
		v.errorf(dcOf(path), "is %s; sql.%s must be in the %s data center", diag.Quote(in.DataCenter), r.Key, r.DataCenter)
	}
	if !v.required(path+".fqdn", in.FQDN, "the instance's host FQDN") || !v.check(path+".fqdn", checkFQDN(in.FQDN)) {
		ok = false
	}
	if in.Instance != "" && !v.check(path+".instance", checkInstanceName(in.Instance)) {
		ok = false
	}
	if v.l.Defined("sql", r.Key, "instance") && in.Instance == "" {
		v.errorf(path+".instance", "is empty; leave instance out for the default instance")
	}
	if in.Port < minPort || in.Port > maxPort {
		v.errorf(path+".port", "%d is out of range %d-%d (CREATE ENDPOINT's listener port range)", in.Port, minPort, maxPort)
		ok = false
	}
	if ok {
		ok = v.netbios(path, in)
	}
	if v.required(path+".service_account", in.ServiceAccount, "the SQL Server service account (DOMAIN\\name, or a built-in account)") &&
		v.check(path+".service_account", checkAccount(in.ServiceAccount)) && ok && v.domainOK {
		_, err := site.NetworkLogin(in.ServiceAccount, v.s.Site.ADDomain, in.NetBIOS())
		v.check(path+".service_account", err)
	}
	if in.AgentAccount != "" && v.check(path+".agent_account", checkAccount(in.AgentAccount)) && ok && v.domainOK {
		_, err := site.NetworkLogin(in.AgentAccount, v.s.Site.ADDomain, in.NetBIOS())
		v.check(path+".agent_account", err)
	}
	v.moves(path, in)
	return ok
}

// netbios requires an explicit computer name when the host label cannot be
// one: SERVERPROPERTY('MachineName') returns the NetBIOS name, which the
// instance guard compares.
func (v *checker) netbios(path string, in *site.Instance) bool {
	if in.NetBIOSName != "" {
		return v.check(path+".netbios_name", checkNetBIOS(in.NetBIOSName))
	}
	if host := site.HostLabel(in.FQDN); len(host) > maxNetBIOS {
		v.errorf(path+".fqdn", "host name %s is longer than %d characters; set netbios_name to the computer's NetBIOS name", diag.Quote(host), maxNetBIOS)
		return false
	}
	return true
}

func (v *checker) moves(path string, in *site.Instance) {
	seen := map[string]int{}
	dbs := v.databases()
	for i, m := range in.Move {
		p := fmt.Sprintf("%s.move[%d]", path, i)
		if v.required(p+".database", m.Database, "the database the file belongs to: "+strings.Join(dbs, " or ")) && !contains(dbs, m.Database) {
			v.errorf(p+".database", "%s is not a database of this site; allowed: %s", diag.Quote(m.Database), strings.Join(dbs, ", "))
		}
		if v.required(p+".logical_name", m.LogicalName, "the logical file name (RESTORE FILELISTONLY shows it)") &&
			v.check(p+".logical_name", checkSysname(m.LogicalName)) {
			k := m.Database + "/" + strings.ToLower(m.LogicalName)
			if j, dup := seen[k]; dup {
				v.errorf(p+".logical_name", "%s is already moved by %s.move[%d]", diag.Quote(m.LogicalName), path, j)
			}
			seen[k] = i
		}
		if v.required(p+".physical_name", m.PhysicalName, "the full path of the file on this instance") {
			v.check(p+".physical_name", checkLocalPath(m.PhysicalName, maxDevicePath))
		}
	}
}

func contains(list []string, s string) bool {
	for _, x := range list {
		if x == s {
			return true
		}
	}
	return false
}
