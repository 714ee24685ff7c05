package schema

import (
	"pchat-hadr/generator/site"
)

// Rules of package validate that span keys. JSON Schema can express those
// that test values against constants; it cannot compare two values with
// each other. A rule that reads keys of several tables can only be checked
// in a file that extends nothing: with extends, any of those keys may come
// from the defaults file, which an editor does not read.

// Expressed lists, for the reference, the rules across keys that the
// schema checks besides each key's own type, values and form.
var Expressed = []string{
	"In a file without `extends`: every required key is present.",
	"`sql.<role>.data_center` is the role's data center: `primary` for primary, primary_mirror, primary_witness, compliance_primary and compliance_primary_mirror; `backup` for the others.",
	"In a file without `extends`: without `netbios_name`, the host label of an instance's or the monitor's `fqdn` is at most 15 characters.",
	"In a file without `extends`: a SQL Server version outside the product's documented list (lync2013: 2008r2, 2012; sfb2015: 2008r2, 2012, 2014) needs `sql.allow_unsupported_version = true`.",
	"In a file without `extends`: with `compliance.enabled` and not `shared_instances`, `sql.compliance_primary`, `sql.compliance_primary_mirror` and `sql.compliance_backup` are present and `shares.mirroring_seed` is at most 247 characters; otherwise no `sql.compliance_*` instance is present, and without `compliance.enabled` neither is `shared_instances = true`.",
	"`sql.<role>.port` is not 1433 (the default instance's client port) or 1434 (the dedicated administrator connection), which SQL Server itself listens on.",
	"`servers`: 1 to 8 servers, 1 to 4 with `active = true`, 1 to 4 with `active_after_failover = true`; `active_after_failover` only in the backup data center.",
	"When the file says `data_centers.low_latency_link = false`, no server it lists in the backup data center is `active`.",
}

// NotExpressed lists what only `pchat-hadr validate` checks.
var NotExpressed = []string{
	"Values compared with each other: one instance in two roles (same host and instance name); two instances on one host with the same port; partners and witness of a mirroring session on one host; two instances whose hosts share a host label or a NetBIOS name with the same instance name (file names and the instance guard could not tell them apart); a server listed twice; a server FQDN equal to `site.pool_fqdn` or to a SQL Server host; `data_centers.backup` equal to `primary`; the log-shipping monitor on the primary, its mirror or the backup; the same logical file moved twice.",
	"`move.database = \"mgccomp\"` only with `compliance.enabled`: the move tables are shared by every role, and a rule per role would repeat it ten times.",
	"`log_shipping.backup_alert_threshold` at least `backup_interval`, and `restore_alert_threshold` at least `restore_interval`.",
	"Service accounts in the site's domain: the domain part of `service_account` must be `site.ad_domain` (or NT SERVICE, or a built-in account); local accounts (`.\\name`, the host's own name) and LOCAL SERVICE are refused.",
	"Everything `extends` brings: that the defaults file exists, that the chain has no cycle, and every rule above that needs keys the defaults file may hold.",
	"Across the site files of a run: site names, pool FQDNs, the instances of database roles (any role but a witness) and `shares.log_shipping` are unique; a file in a folder that names no site is an error unless a site of the run extends it.",
	"Site names that cannot be folders: the Windows device names (`con`, `prn`, `aux`, `nul`, `com0`-`com9`, `lpt0`-`lpt9`) and `manifest`, which is the output root's MANIFEST on a case-insensitive file system.",
	"`extends` is a relative path.",
	"Warnings, which never stop a run: the log-shipping share in the primary data center, copy or restore intervals far from the backup interval, a restore alert threshold shorter than the three intervals together, an unsupported SQL Server version allowed.",
	"Integers: the tool refuses TOML floats such as `5022.0`; a JSON Schema integer is any number with no fraction, so an editor may accept them.",
}

// documented lists the SQL Server versions each product supports without
// sql.allow_unsupported_version (validate's supported map).
var documented = []struct {
	product  string
	versions []any
}{
	{"lync2013", []any{"2008r2", "2012"}},
	{"sfb2015", []any{"2008r2", "2012", "2014"}},
}

// maxActive is how many servers may be active at once (validate.maxActive).
const maxActive = 4

// complianceRoles are the roles that hold mgccomp on dedicated instances.
var complianceRoles = []string{"compliance_primary", "compliance_primary_mirror", "compliance_backup", "compliance_backup_mirror"}

// keyRules adds the rules that belong to one key's schema.
func keyRules(k *Key, s *Schema) {
	if r, ok := roleOf(k); ok {
		s.prop("data_center").Const = r.DataCenter
		s.prop("port").Not = &Schema{Enum: []any{1433, 1434}} // validate.sqlPorts
		if r.Witness {
			s.prop("port").Default = site.DefaultWitnessPort
		}
	}
	if k.Path == "servers" {
		for _, flag := range []string{"active", "active_after_failover"} {
			s.AllOf = append(s.AllOf, &Schema{
				Contains:    isTrue(flag),
				MinContains: ptr(1),
				MaxContains: ptr(maxActive),
			})
		}
		s.Items.If = isTrue("active_after_failover")
		s.Items.Then = &Schema{}
		s.Items.Then.prop("data_center").Const = "backup"
	}
}

// isTrue matches a table whose key flag is true.
func isTrue(flag string) *Schema {
	s := &Schema{Required: []string{flag}}
	s.prop(flag).Const = true
	return s
}

// has matches a document with the key at path set to v.
func has(v any, path ...string) *Schema {
	s := &Schema{}
	cur := s
	for i, p := range path {
		cur.Required = []string{p}
		cur = cur.prop(p)
		if i == len(path)-1 {
			cur.Const = v
		}
	}
	return s
}

// topRules are the rules of the whole document.
func topRules(root *Key) []*Schema {
	standalone := skeleton(root)
	standalone.AllOf = append(versionRules(), complianceRule())
	lowLatency := &Schema{
		Description: "Without a low-latency link, the servers active in normal operation are in the primary data center.",
		If:          has(false, "data_centers", "low_latency_link"),
		Then:        &Schema{},
	}
	lowLatency.Then.prop("servers").Items = &Schema{Not: &Schema{
		Required:   []string{"active", "data_center"},
		Properties: map[string]*Schema{"active": {Const: true}, "data_center": {Const: "backup"}},
	}}
	return []*Schema{
		{
			Description: "A file that extends nothing is a complete site.",
			If:          &Schema{Not: &Schema{Required: []string{"extends"}}},
			Then:        standalone,
		},
		lowLatency,
	}
}

// skeleton requires, table by table, the keys a complete site has: the
// required keys of tables, which a defaults file may supply. Keys of the
// elements of arrays of tables are required where the elements are
// defined, since arrays are never merged.
func skeleton(k *Key) *Schema {
	s := &Schema{}
	hasFQDN, hasNetBIOS := false, false
	for _, c := range k.Keys {
		if c.InArray {
			continue
		}
		hasFQDN = hasFQDN || c.Name == "fqdn"
		hasNetBIOS = hasNetBIOS || c.Name == "netbios_name"
		if c.Required() {
			s.Required = append(s.Required, c.Name)
		}
		if c.Kind == Table {
			if sub := skeleton(c); sub != nil {
				if s.Properties == nil {
					s.Properties = map[string]*Schema{}
				}
				s.Properties[c.Name] = sub
			}
		}
	}
	if hasFQDN && hasNetBIOS {
		// The host label is the computer name unless netbios_name says
		// otherwise, and a computer name has at most 15 characters.
		s.If = &Schema{Not: &Schema{Required: []string{"netbios_name"}}}
		s.Then = &Schema{}
		s.Then.prop("fqdn").Pattern = `^[^.]{1,15}(\.|$)`
	}
	if s.Required == nil && s.Properties == nil && s.If == nil {
		return nil
	}
	return s
}

// versionRules: a version outside the product's documented list needs
// sql.allow_unsupported_version = true.
func versionRules() []*Schema {
	var out []*Schema
	for _, d := range documented {
		cond := has(d.product, "site", "product")
		cond.Required = append(cond.Required, "sql")
		cond.prop("sql").Required = []string{"version"}
		cond.prop("sql", "version").Not = &Schema{Enum: d.versions}
		out = append(out, &Schema{
			Description: "A SQL Server version not documented for " + d.product + " needs sql.allow_unsupported_version = true.",
			If:          cond,
			Then:        has(true, "sql", "allow_unsupported_version"),
		})
	}
	return out
}

// complianceRule: where mgccomp lives decides which compliance instances
// exist.
func complianceRule() *Schema {
	dedicated := &Schema{}
	dedicated.prop("sql").Required = complianceRoles[:3]
	dedicated.prop("shares", "mirroring_seed").MaxLength = ptr(maxSeedCompliance)
	shared := &Schema{}
	off := &Schema{}
	for _, r := range complianceRoles {
		shared.prop("sql", r).never = true
		off.prop("sql", r).never = true
	}
	off.prop("compliance", "shared_instances").Const = false
	return &Schema{
		Description: "Dedicated compliance instances exist exactly when compliance is enabled and not on shared instances.",
		If:          has(true, "compliance", "enabled"),
		Then: &Schema{
			If:   has(true, "compliance", "shared_instances"),
			Then: shared,
			Else: dedicated,
		},
		Else: off,
	}
}

// maxSeedCompliance is the longest mirroring seed share whose mgccomp
// seed backup (share\mgccomp.bak) fits 259 characters.
const maxSeedCompliance = 259 - len(`\mgccomp.bak`)
