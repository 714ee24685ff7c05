package importer

import (
	"fmt"
	"strconv"
	"strings"

	"pchat-hadr/generator/collect"
	"pchat-hadr/generator/site"
)

// member is the instance that plays a role, as far as the collection knows.
type member struct {
	role  string
	store collect.Store     // host and instance; Instance "?" when unknown
	from  string            // where the name came from, for the comment
	port  int               // the endpoint port when only an address is known
	live  *collect.Instance // what the instance reported; nil when not read
}

// known reports whether the instance was read.
func (m *member) known() bool { return m.live != nil && m.live.Error == "" }

// topology maps the roles of the mgc stores to the pool's store properties.
var topology = []struct {
	role, property string
	get            func(collect.PoolDatabases) string
}{
	{"primary", "PersistentChatDatabase", func(d collect.PoolDatabases) string { return d.PersistentChat }},
	{"primary_mirror", "MirrorPersistentChatDatabase", func(d collect.PoolDatabases) string { return d.MirrorPersistentChat }},
	{"backup", "BackupPersistentChatDatabase", func(d collect.PoolDatabases) string { return d.BackupPersistentChat }},
	{"backup_mirror", "BackupMirrorPersistentChatDatabase", func(d collect.PoolDatabases) string { return d.BackupMirrorPersistentChat }},
	{"compliance_primary", "PersistentChatComplianceDatabase", func(d collect.PoolDatabases) string { return d.PersistentChatCompliance }},
	{"compliance_primary_mirror", "MirrorPersistentChatComplianceDatabase", func(d collect.PoolDatabases) string { return d.MirrorPersistentChatCompliance }},
	{"compliance_backup", "BackupPersistentChatComplianceDatabase", func(d collect.PoolDatabases) string { return d.BackupPersistentChatCompliance }},
	{"compliance_backup_mirror", "BackupMirrorPersistentChatComplianceDatabase", func(d collect.PoolDatabases) string { return d.BackupMirrorPersistentChatCompliance }},
}

// compliance is what the topology says of mgccomp.
type compliance struct{ enabled, shared bool }

// roles finds the instance of every role: the stores from the topology,
// the witnesses from the mirroring sessions, the rest from -AlsoInstance.
func (im *importer) roles() (map[string]*member, compliance, error) {
	out := map[string]*member{}
	var comp compliance
	for _, t := range topology {
		identity := t.get(im.pool.Databases)
		if identity == "" {
			continue
		}
		st, err := collect.ParseStore(identity)
		if err != nil {
			return nil, comp, fmt.Errorf("pool %s: %s: %v", im.pool.PoolFQDN, t.property, err)
		}
		out[t.role] = &member{role: t.role, store: st, from: fmt.Sprintf("%s of the pool in the topology (%s)", t.property, identity), live: im.doc.Instance(st.Server())}
	}
	if cp, ok := out["compliance_primary"]; ok {
		comp.enabled = true
		if p, ok := out["primary"]; ok && collect.SameServer(cp.store.Server(), p.store.Server()) {
			comp.shared = true
			for _, r := range []string{"compliance_primary", "compliance_primary_mirror", "compliance_backup", "compliance_backup_mirror"} {
				delete(out, r)
			}
		}
	}
	im.witness(out, "primary_witness", "primary", "primary_mirror")
	im.witness(out, "backup_witness", "backup", "backup_mirror")
	if _, ok := out["backup_witness"]; !ok {
		im.spareWitness(out)
	}
	return out, comp, nil
}

// witness finds the witness of a pair's mgc session from either partner.
func (im *importer) witness(out map[string]*member, role string, partners ...string) {
	for _, p := range partners {
		m := out[p]
		if m == nil || m.live == nil {
			continue
		}
		db := m.live.Database("mgc")
		if db == nil || db.Mirroring == nil || db.Mirroring.Witness == "" {
			continue
		}
		host, port, ok := parseAddress(db.Mirroring.Witness)
		if !ok {
			continue
		}
		w := &member{role: role, store: collect.Store{FQDN: host, Instance: "?"}, port: port,
			from: fmt.Sprintf("The witness of mgc's mirroring session on %s (%s)", m.store.Server(), db.Mirroring.Witness)}
		if in := im.byAddress(host, port); in != nil {
			w.store = storeOf(in.Server)
			w.live = in
			w.from += ", read as " + in.Server
		}
		out[role] = w
		return
	}
}

// spareWitness takes, before a DR failover, the one instance named with
// -AlsoInstance that plays no other part and whose endpoint can be a
// witness: the backup data center's witness has no session yet.
func (im *importer) spareWitness(out map[string]*member) {
	var found []*collect.Instance
	for i := range im.doc.Instances {
		in := &im.doc.Instances[i]
		if !contains(in.FoundBy, "parameter") || in.Endpoint == nil || im.isMonitor(in) || used(out, in) {
			continue
		}
		if r := strings.ToUpper(in.Endpoint.Role); r == "WITNESS" || r == "ALL" {
			found = append(found, in)
		}
	}
	if len(found) == 1 {
		out["backup_witness"] = &member{role: "backup_witness", store: storeOf(found[0].Server), live: found[0],
			from: fmt.Sprintf("%s, named with -AlsoInstance: its endpoint is a witness's and it is no session's witness yet, so it is taken as the backup data center's", found[0].Server)}
	}
}

func used(out map[string]*member, in *collect.Instance) bool {
	for _, m := range out {
		if m.live == in {
			return true
		}
	}
	return false
}

// byAddress finds the collected instance listening on host:port.
func (im *importer) byAddress(host string, port int) *collect.Instance {
	for i := range im.doc.Instances {
		in := &im.doc.Instances[i]
		if in.Endpoint != nil && in.Endpoint.Port == port && strings.EqualFold(storeOf(in.Server).FQDN, host) {
			return in
		}
	}
	return nil
}

// isMonitor reports whether an instance is the log-shipping monitor.
func (im *importer) isMonitor(in *collect.Instance) bool {
	name := im.monitorName()
	return name != "" && strings.EqualFold(in.Properties.ServerName, name)
}

// parseAddress reads TCP://host:port.
func parseAddress(addr string) (string, int, bool) {
	if len(addr) < 6 || !strings.EqualFold(addr[:6], "TCP://") {
		return "", 0, false
	}
	host, p, ok := strings.Cut(addr[6:], ":")
	port, err := strconv.Atoi(p)
	if !ok || err != nil || host == "" {
		return "", 0, false
	}
	return strings.ToLower(host), port, true
}

// storeOf splits a server name into host and instance.
func storeOf(server string) collect.Store {
	host, inst, _ := strings.Cut(server, `\`)
	if strings.EqualFold(inst, site.DefaultInstanceName) {
		inst = ""
	}
	return collect.Store{FQDN: host, Instance: inst}
}

func contains(list []string, s string) bool {
	for _, x := range list {
		if x == s {
			return true
		}
	}
	return false
}
