package validate

import (
	"pchat-hadr/generator/diag"

	"strings"
)

// sqlVersions are the SQL Server versions the schema names, oldest first.
var sqlVersions = []string{"2005", "2008", "2008r2", "2012", "2014", "2016", "2017", "2019", "2022"}

// supported lists the documented back-end versions per product
// (domain reference, section 1 "Versions").
var supported = map[string][]string{
	"lync2013": {"2008r2", "2012"},
	"sfb2015":  {"2008r2", "2012", "2014"},
}

// sqlVersion is the version gate of design decision t: below 2008 R2 is
// always refused (no usable mirroring); versions outside the product's
// documented list need an explicit override.
func (v *checker) sqlVersion() {
	ver := v.s.SQL.Version
	const path = "sql.version"
	if ver == "" {
		v.errorf(path, "missing; the SQL Server version of every instance, one of: %s", strings.Join(sqlVersions[2:], ", "))
		return
	}
	if !contains(sqlVersions, ver) {
		v.errorf(path, "%s is not a SQL Server version this tool knows; allowed: %s", diag.Quote(ver), strings.Join(sqlVersions[2:], ", "))
		return
	}
	if ver == "2005" || ver == "2008" {
		v.errorf(path, "%s is below SQL Server 2008 R2, the oldest version Persistent Chat HA/DR supports", diag.Quote(ver))
		return
	}
	prod := v.s.Site.Product
	list, known := supported[prod]
	if !known || contains(list, ver) {
		return
	}
	if v.s.SQL.AllowUnsupportedVersion {
		v.warnf(path, "SQL Server %s is not documented for %s (documented: %s); allowed by sql.allow_unsupported_version", ver, prod, strings.Join(list, ", "))
		return
	}
	v.errorf(path, "SQL Server %s is not documented for %s (documented: %s); set sql.allow_unsupported_version = true to proceed anyway", ver, prod, strings.Join(list, ", "))
}

// compliance checks where mgccomp lives: on the mgc instances
// (shared_instances) or on three dedicated instances laid out like mgc.
func (v *checker) compliance() {
	c := v.s.Compliance
	var given []string
	for _, r := range []string{"compliance_primary", "compliance_primary_mirror", "compliance_backup", "compliance_backup_mirror"} {
		if v.s.SQL.Instance(r) != nil {
			given = append(given, r)
		}
	}
	switch {
	case !c.Enabled:
		for _, r := range given {
			v.errorf("sql."+r, "compliance is off (compliance.enabled = false); remove this instance or turn compliance on")
		}
		if c.SharedInstances {
			v.errorf("compliance.shared_instances", "compliance is off (compliance.enabled = false); remove this key or turn compliance on")
		}
	case c.SharedInstances:
		for _, r := range given {
			v.errorf("sql."+r, "compliance.shared_instances = true puts mgccomp on the mgc instances; remove this instance or set shared_instances = false")
		}
	default:
		for _, r := range []string{"compliance_primary", "compliance_primary_mirror", "compliance_backup"} {
			if v.s.SQL.Instance(r) == nil {
				v.errorf("sql."+r, "missing; compliance is on with dedicated instances, which need [sql.compliance_primary], [sql.compliance_primary_mirror] and [sql.compliance_backup] (or set compliance.shared_instances = true)")
			}
		}
	}
}
