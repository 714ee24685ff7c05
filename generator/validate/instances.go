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

// sqlPorts are TCP ports SQL Server itself listens on, which an endpoint
// on the same host cannot share.
var sqlPorts = map[int]string{
	1433: "the default instance's TCP port for client connections",
	1434: "the port of the dedicated administrator connection (and of SQL Server Browser)",
}

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
	var distinct []named         // sound instances, each once
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
		distinct = append(distinct, named{"sql." + r.Key, in})
		hp := fmt.Sprintf("%s:%d", strings.ToLower(in.FQDN), in.Port)
		if other, dup := ports[hp]; dup {
			v.errorf(path+".port", "%d is already the endpoint port of sql.%s on %s; each instance on a host needs its own mirroring endpoint port", in.Port, other, in.FQDN)
			continue
		}
		ports[hp] = r.Key
	}
	v.pairHosts()
	if m := v.s.LogShipping.Monitor; m != nil && m.FQDN != "" && checkFQDN(m.FQDN) == nil && v.netbiosOK(m.AsInstance()) {
		if _, same := byKey[m.AsInstance().Key()]; !same {
			distinct = append(distinct, named{"log_shipping.monitor", m.AsInstance()})
		}
	}
	v.computerNames(distinct)
}

// named is an instance and the key path it was written at.
type named struct {
	path string
	in   *site.Instance
}

// computerNames refuses two different instances that the scripts could not
// tell apart: file names carry the host label and instance, and the guard
// at the top of every .sql file compares SERVERPROPERTY('MachineName') (the
// NetBIOS name) and the instance name. Two computers of one AD domain
// cannot share a NetBIOS name either.
func (v *checker) computerNames(list []named) {
	for i, b := range list {
		for _, a := range list[:i] {
			if v.sameComputer(a, b) {
				break
			}
		}
	}
}

// sameComputer reports b if it cannot be told apart from a.
func (v *checker) sameComputer(a, b named) bool {
	switch {
	case !strings.EqualFold(a.in.InstanceName(), b.in.InstanceName()):
		return false
	case strings.EqualFold(site.HostLabel(a.in.FQDN), site.HostLabel(b.in.FQDN)):
		v.errorf(b.path+".fqdn", "%s has the host name %s of %s (%s) and the same instance; the scripts' file names and instance guard tell instances apart by host name, so two instances of a site need different host names", diag.Quote(b.in.ServerName()), diag.Quote(site.HostLabel(b.in.FQDN)), a.path, a.in.ServerName())
	case strings.EqualFold(a.in.NetBIOS(), b.in.NetBIOS()):
		v.errorf(b.path+".netbios_name", "%s is also the computer name of %s (%s); two computers of one domain cannot share a NetBIOS name, and the instance guard would let a script meant for one run on the other", diag.Quote(b.in.NetBIOS()), a.path, a.in.ServerName())
	default:
		return false
	}
	return true
}

// netbiosOK reports whether the instance's computer name is usable, as
// netbios checks it, without reporting anything.
func (v *checker) netbiosOK(in *site.Instance) bool {
	if in.NetBIOSName != "" {
		return checkNetBIOS(in.NetBIOSName) == nil
	}
	return len(site.HostLabel(in.FQDN)) <= maxNetBIOS
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
	if !v.required(path+".fqdn", in.FQDN, "the instance's host FQDN") || !v.check(path+".fqdn", checkSQLHost(in.FQDN)) {
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
	} else if why, taken := sqlPorts[in.Port]; taken {
		v.errorf(path+".port", "%d is %s; the mirroring endpoint needs a port of its own (%d for a partner, %d for a witness by default)", in.Port, why, site.DefaultPartnerPort, site.DefaultWitnessPort)
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
