package drift

import (
	"strings"

	"pchat-hadr/generator/collect"
)

func (c *comparer) poolState() {
	switch {
	case c.normal():
	case strings.EqualFold(c.pool.State, "FailedOver"):
		c.add("pool state", "Normal", c.pool.State,
			"the pool runs on the backup databases (a DR failover or a drill); when the primary data center is ready, fail back",
			c.script("failback"))
	default:
		c.add("pool state", "Normal", c.pool.State,
			"Get-CsPersistentChatState was not read or is neither Normal nor FailedOver; read the collector's warnings and collect again", "")
	}
}

// members compares the pool's computers with the site's servers.
func (c *comparer) members() {
	site := map[string]bool{}
	for _, s := range c.p.Site.Servers {
		site[strings.ToLower(s.FQDN)] = true
	}
	live := map[string]bool{}
	for _, fqdn := range c.pool.Computers {
		live[strings.ToLower(fqdn)] = true
		if !site[strings.ToLower(fqdn)] {
			c.add("servers", "", fqdn, "added to the pool in the topology: add a [[servers]] table for it to the site file", "")
		}
	}
	for _, s := range c.p.Site.Servers {
		if !live[strings.ToLower(s.FQDN)] {
			c.add("servers", s.FQDN, "", "not in the pool any more: remove its [[servers]] table from the site file, or add it back in Topology Builder", "")
		}
	}
}

// activeList compares the active servers with the plan of the state the
// pool is in: the normal plan when Normal, the failover plan when
// FailedOver.
func (c *comparer) activeList() {
	var want []string
	key, operation := "servers[].active", "topology"
	failedOver := strings.EqualFold(c.pool.State, "FailedOver")
	if failedOver {
		key, operation = "servers[].active_after_failover", "failover"
	} else if !c.normal() {
		return
	}
	for _, s := range c.p.Site.Servers {
		if s.Active && !failedOver || s.ActiveAfterFailover && failedOver {
			want = append(want, s.FQDN)
		}
	}
	if list(want) == list(c.pool.ActiveServers) {
		return
	}
	do := "set the active servers of normal operation (or change the active keys in the site file if the live list is the intended one)"
	if failedOver {
		do = "set the active servers of the failover plan with the last step of the DR failover script (or change active_after_failover in the site file)"
	}
	c.add(key, list(want), list(c.pool.ActiveServers), do, c.script(operation))
}

// stores maps site roles to the pool's store properties in the topology.
var stores = []struct {
	role, property string
	compliance     bool
	get            func(collect.PoolDatabases) string
}{
	{"primary", "PersistentChatDatabase", false, func(d collect.PoolDatabases) string { return d.PersistentChat }},
	{"primary_mirror", "MirrorPersistentChatDatabase", false, func(d collect.PoolDatabases) string { return d.MirrorPersistentChat }},
	{"backup", "BackupPersistentChatDatabase", false, func(d collect.PoolDatabases) string { return d.BackupPersistentChat }},
	{"backup_mirror", "BackupMirrorPersistentChatDatabase", false, func(d collect.PoolDatabases) string { return d.BackupMirrorPersistentChat }},
	{"compliance_primary", "PersistentChatComplianceDatabase", true, func(d collect.PoolDatabases) string { return d.PersistentChatCompliance }},
	{"compliance_primary_mirror", "MirrorPersistentChatComplianceDatabase", true, func(d collect.PoolDatabases) string { return d.MirrorPersistentChatCompliance }},
	{"compliance_backup", "BackupPersistentChatComplianceDatabase", true, func(d collect.PoolDatabases) string { return d.BackupPersistentChatCompliance }},
	{"compliance_backup_mirror", "BackupMirrorPersistentChatComplianceDatabase", true, func(d collect.PoolDatabases) string { return d.BackupMirrorPersistentChatCompliance }},
}

// complianceRoles maps the compliance store properties to the site roles
// that hold mgccomp when it shares the mgc instances.
var complianceRoles = map[string]string{"compliance_primary": "primary", "compliance_primary_mirror": "primary_mirror",
	"compliance_backup": "backup", "compliance_backup_mirror": "backup_mirror"}

// topology compares the stores the topology gives the pool with the
// site's instances.
func (c *comparer) topology() {
	s := c.p.Site
	for _, st := range stores {
		role := st.role
		if st.compliance && s.Compliance.SharedInstances {
			role = complianceRoles[role]
		}
		var want string
		if in := s.SQL.Instance(role); in != nil && (!st.compliance || s.Compliance.Enabled) {
			want = in.ServerName()
		}
		var live string
		if id := st.get(c.pool.Databases); id != "" {
			if store, err := collect.ParseStore(id); err == nil {
				live = store.Server()
			} else {
				live = id
			}
		}
		if want == "" && live == "" || collect.SameServer(want, live) {
			continue
		}
		key := "sql." + role
		if st.compliance && want == "" {
			key = "compliance.enabled"
		}
		c.add(key, want, live, "the topology's "+st.property+" is another instance: edit the site file, or correct the store in Topology Builder and publish", "")
	}
}
