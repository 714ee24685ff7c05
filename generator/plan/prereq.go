package plan

import (
	"strings"

	"pchat-hadr/generator/site"
)

// The prerequisite and health checks' view of the plan: derived from the
// operations data, so the checks and the scripts they protect agree.

// NeedsAgent reports whether SQL Server Agent must run on the instance: a
// witness runs no log-shipping job and no other job of ours.
func (a Account) NeedsAgent() bool {
	for _, r := range site.Roles {
		if r.Key == a.Target.Role {
			return !r.Witness
		}
	}
	return true
}

// ServerPair is two instances the checks compare, and what they hold.
type ServerPair struct {
	What              string
	Principal, Mirror string
}

// EditionPairs are the mirroring partners whose editions must match
// (Microsoft: the principal and the mirror must have the same edition; the
// witness may differ): the primary data center's pairs, and the backup data
// center's, which are mirrored after a DR failover.
func (o *Ops) EditionPairs() []ServerPair {
	var out []ServerPair
	for _, p := range o.Pairs {
		out = append(out, ServerPair{What: p.Database, Principal: p.Principal.Server, Mirror: p.Mirror.Server})
	}
	for _, bp := range o.backupPairs() {
		out = append(out, ServerPair{What: bp.what + " after a DR failover", Principal: bp.principal.Server, Mirror: bp.mirror.Server})
	}
	return out
}

// EndpointGroup is the instances of one mirroring session, partners and
// witness, whose endpoints must agree on an encryption algorithm.
type EndpointGroup struct {
	What    string
	Servers []string
}

// EndpointGroups lists every mirroring session's instances once: the
// primary data center's pairs with their witness, then the backup data
// center's with its witness.
func (o *Ops) EndpointGroups() []EndpointGroup {
	var out []EndpointGroup
	add := func(what string, ts ...*Target) {
		g := EndpointGroup{What: what}
		for _, t := range ts {
			if t != nil {
				g.Servers = append(g.Servers, t.Server)
			}
		}
		for _, have := range out {
			if strings.Join(have.Servers, "|") == strings.Join(g.Servers, "|") {
				return
			}
		}
		out = append(out, g)
	}
	for _, p := range o.Pairs {
		add(p.Database, &p.Principal, &p.Mirror, p.Witness)
	}
	w := o.target("backup_witness")
	for _, bp := range o.backupPairs() {
		add(bp.what+" after a DR failover", &bp.principal, &bp.mirror, w)
	}
	return out
}

// TopologyStore is a SQL store the topology must assign to the pool's
// Persistent Chat service: the property of the Get-CsService
// -PersistentChatServer entry, and the instance it must name.
type TopologyStore struct {
	Property string
	Role     string
	FQDN     string
	Instance string // empty for the default instance
}

// TopologyStores are the stores of mgc (and mgccomp) the topology must
// hold, the backup data center's included, which DR failover relies on.
func (o *Ops) TopologyStores() []TopologyStore {
	var out []TopologyStore
	add := func(prop string, t *Target) {
		if t == nil {
			return
		}
		s := TopologyStore{Property: prop, Role: display(t.Role), FQDN: t.FQDN}
		if t.Instance != site.DefaultInstanceName {
			s.Instance = t.Instance
		}
		out = append(out, s)
	}
	mgc := o.Pairs[0]
	add("PersistentChatDatabase", &mgc.Principal)
	add("MirrorPersistentChatDatabase", &mgc.Mirror)
	add("BackupPersistentChatDatabase", &o.Backup)
	add("BackupMirrorPersistentChatDatabase", &o.BackupMirror)
	if o.ComplianceBackup != nil && len(o.Pairs) > 1 {
		comp := o.Pairs[1]
		add("PersistentChatComplianceDatabase", &comp.Principal)
		add("MirrorPersistentChatComplianceDatabase", &comp.Mirror)
		add("BackupPersistentChatComplianceDatabase", o.ComplianceBackup)
		mirror := o.target("compliance_backup_mirror")
		if o.ComplianceBackup.Role == "backup" {
			mirror = &o.BackupMirror
		}
		add("BackupMirrorPersistentChatComplianceDatabase", mirror)
	}
	return out
}

// LogShipPrimaries are the instances that take mgc's log-shipping backups:
// the principal and the primary mirror, whose other log backups would break
// the chain.
func (o *Ops) LogShipPrimaries() []string {
	return []string{o.LogShip.Primary.Server, o.LogShip.Mirror.Server}
}

type backupPair struct {
	what              string
	principal, mirror Target
}

// backupPairs are the backup data center's mirroring pairs after a DR
// failover, as Install-CsMirrorDatabase sets them up.
func (o *Ops) backupPairs() []backupPair {
	out := []backupPair{{what: "mgc", principal: o.Backup, mirror: o.BackupMirror}}
	if o.ComplianceBackup == nil {
		return out
	}
	if o.ComplianceBackup.Role == "backup" {
		out[0].what = "mgc and mgccomp"
	} else if m := o.target("compliance_backup_mirror"); m != nil {
		out = append(out, backupPair{what: "mgccomp", principal: *o.ComplianceBackup, mirror: *m})
	}
	return out
}

// target finds an instance of the site by role, nil when it has none.
func (o *Ops) target(role string) *Target {
	for i := range o.Instances {
		if o.Instances[i].Target.Role == role {
			return &o.Instances[i].Target
		}
	}
	return nil
}
