package validate

import (
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
}

// instance checks one instance's own keys and reports whether it is sound
// enough to compare with the others.
func (v *checker) instance(path string, r site.Role, in *site.Instance) bool {
	ok := true
	if v.dataCenter(dcOf(path), in.DataCenter) && in.DataCenter != r.DataCenter {
		v.errorf(dcOf(path), "is %q; sql.%s must be in the %s data center", in.DataCenter, r.Key, r.DataCenter)
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
		v.check(path+".service_account", printableASCII(in.ServiceAccount)) && ok {
		_, err := site.NetworkLogin(in.ServiceAccount, v.s.Site.ADDomain, in.NetBIOS())
		v.check(path+".service_account", err)
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
		v.errorf(path+".fqdn", "host name %q is longer than %d characters; set netbios_name to the computer's NetBIOS name", host, maxNetBIOS)
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
			v.errorf(p+".database", "%q is not a database of this site; allowed: %s", m.Database, strings.Join(dbs, ", "))
		}
		if v.required(p+".logical_name", m.LogicalName, "the logical file name (RESTORE FILELISTONLY shows it)") &&
			v.check(p+".logical_name", checkSysname(m.LogicalName)) {
			k := m.Database + "/" + strings.ToLower(m.LogicalName)
			if j, dup := seen[k]; dup {
				v.errorf(p+".logical_name", "%q is already moved by %s.move[%d]", m.LogicalName, path, j)
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
