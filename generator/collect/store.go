package collect

import (
	"fmt"
	"strings"
)

// Store is a SQL store of the topology as Get-CsService shows it:
// PersistentChatStore:sql01.contoso.com\rtc, or without \instance for the
// default instance. The Lync Server 2013 documentation names the roles
// PersistentChatStore and PersistentChatComplianceStore; the identity form
// role:fqdn[\instance] follows the documented service identities
// (Registrar:atl-cs-001.litwareinc.com) and is to be confirmed in a lab.
type Store struct {
	Role     string // PersistentChatStore or PersistentChatComplianceStore
	FQDN     string
	Instance string // empty for the default instance
}

// ParseStore reads a store identity.
func ParseStore(identity string) (Store, error) {
	role, server, ok := strings.Cut(strings.TrimSpace(identity), ":")
	if !ok || role == "" || server == "" || strings.ContainsAny(server, " /:") {
		return Store{}, fmt.Errorf("%q is not a store identity such as PersistentChatStore:sql01.contoso.com\\rtc", identity)
	}
	fqdn, inst, _ := strings.Cut(server, `\`)
	if fqdn == "" || strings.Contains(inst, `\`) {
		return Store{}, fmt.Errorf("%q is not a store identity such as PersistentChatStore:sql01.contoso.com\\rtc", identity)
	}
	return Store{Role: role, FQDN: fqdn, Instance: inst}, nil
}

// Server is the name a client connects to: fqdn or fqdn\instance.
func (s Store) Server() string {
	if s.Instance == "" {
		return s.FQDN
	}
	return s.FQDN + `\` + s.Instance
}

// SameServer compares two server names the way SQL Server does: host and
// instance case-insensitively, MSSQLSERVER and no instance alike.
func SameServer(a, b string) bool {
	return serverKey(a) == serverKey(b)
}

func serverKey(s string) string {
	host, inst, _ := strings.Cut(strings.ToLower(strings.TrimSpace(s)), `\`)
	if inst == "mssqlserver" {
		inst = ""
	}
	return host + `\` + inst
}

// Instance returns the collected instance with the given server name, or nil.
func (d *Document) Instance(server string) *Instance {
	for i := range d.Instances {
		if SameServer(d.Instances[i].Server, server) {
			return &d.Instances[i]
		}
	}
	return nil
}

// Pool returns the collected pool with the given FQDN, or nil.
func (d *Document) Pool(fqdn string) *Pool {
	for i := range d.Pools {
		if strings.EqualFold(d.Pools[i].PoolFQDN, fqdn) {
			return &d.Pools[i]
		}
	}
	return nil
}

// Database returns the instance's copy of a database, or nil.
func (in *Instance) Database(name string) *Database {
	for i := range in.Databases {
		if strings.EqualFold(in.Databases[i].Name, name) {
			return &in.Databases[i]
		}
	}
	return nil
}

// Service returns the sys.dm_server_services row whose name starts with
// prefix followed by " (": "SQL Server" is the engine, "SQL Server Agent"
// the Agent. The "SQL Server (INSTANCE)" form is what setup names the
// services; the reference does not spell it out.
func (in *Instance) Service(prefix string) *Service {
	for i := range in.Services {
		if strings.HasPrefix(strings.ToLower(in.Services[i].ServiceName), strings.ToLower(prefix)+" (") {
			return &in.Services[i]
		}
	}
	return nil
}
