// Package validate checks the meaning of a loaded site: the rules of the
// Persistent Chat HA/DR design, SQL Server's limits and this project's
// design decisions. It reports every problem at once, in source order.
package validate

import (
	"fmt"
	"regexp"
	"strings"

	"pchat-hadr/generator/diag"
	"pchat-hadr/generator/site"
)

// Site validates a loaded site whose defaults have been applied.
func Site(l *site.Loaded) diag.List {
	v := &checker{l: l, s: &l.Site}
	v.identity()
	v.dataCenters()
	v.servers()
	v.sqlVersion()
	v.instances()
	v.compliance()
	v.mirroring()
	v.shares()
	v.logShipping()
	v.todos()
	v.probs.Sort()
	return v.probs
}

type checker struct {
	l        *site.Loaded
	s        *site.Site
	probs    diag.List
	domainOK bool // site.ad_domain is valid, so accounts can be checked against it
}

func (v *checker) errorf(path, format string, args ...any) {
	v.probs = append(v.probs, v.l.Problem(path, format, args...))
}

func (v *checker) warnf(path, format string, args ...any) {
	v.probs = append(v.probs, v.l.Warning(path, format, args...))
}

// check reports err, if any, against path.
func (v *checker) check(path string, err error) bool {
	if err != nil {
		v.errorf(path, "%v", err)
		return false
	}
	return true
}

// required reports a missing or empty string key.
func (v *checker) required(path, value, what string) bool {
	if value == "" {
		v.errorf(path, "missing; %s", what)
		return false
	}
	return true
}

var siteName = regexp.MustCompile(`^[a-z0-9][a-z0-9-]*$`)

func (v *checker) identity() {
	s := v.s
	if !v.l.Defined("schema_version") {
		v.errorf("schema_version", "missing; write schema_version = %d at the top of the file", site.SchemaVersion)
	} else if s.SchemaVersion != site.SchemaVersion {
		v.errorf("schema_version", "%d is not supported; this version of pchat-hadr reads schema_version = %d", s.SchemaVersion, site.SchemaVersion)
	}
	if v.required("site.name", s.Site.Name, "name the site; it becomes the output folder") {
		if !siteName.MatchString(s.Site.Name) || len(s.Site.Name) > maxSiteName {
			v.errorf("site.name", "%s must be lower-case letters, digits and hyphens, starting with a letter or digit, at most %d characters", diag.Quote(s.Site.Name), maxSiteName)
		} else if why := reservedFolder(s.Site.Name); why != "" {
			v.errorf("site.name", "%s cannot name the output folder: %s; choose another name", diag.Quote(s.Site.Name), why)
		}
	}
	if s.Site.Wave < 0 {
		v.errorf("site.wave", "%d is not a wave; waves are numbered from 1 (0 or no key: no wave)", s.Site.Wave)
	}
	v.product()
	if v.required("site.pool_fqdn", s.Site.PoolFQDN, "the Persistent Chat pool FQDN from the topology") {
		v.check("site.pool_fqdn", checkFQDN(s.Site.PoolFQDN))
	}
	for _, k := range []struct{ key, val string }{{"site.pool_state_identity", s.Site.StateIdentity}, {"site.active_server_identity", s.Site.ActiveServerIdentity}} {
		if k.val != "" && v.check(k.key, printableASCII(k.val)) && strings.ContainsAny(k.val, " \t") {
			v.errorf(k.key, "%s contains a space; identities such as PersistentChatServer:pool.contoso.com have none (the documentation's \"service: ...\" is a typo)", diag.Quote(k.val))
		}
	}
	if v.required("site.ad_domain", s.Site.ADDomain, "the NetBIOS name of the AD domain (e.g. CONTOSO)") {
		v.domainOK = v.check("site.ad_domain", checkNetBIOS(s.Site.ADDomain))
	}
}

// reservedFolder says why a valid site name still cannot be a folder of
// the output root: Windows reserves device names (with any extension),
// and on a case-insensitive file system the folder would be the root's
// MANIFEST.
func reservedFolder(name string) string {
	switch {
	case name == "con" || name == "prn" || name == "aux" || name == "nul":
		return "Windows reserves it as a device name"
	case len(name) == 4 && (name[:3] == "com" || name[:3] == "lpt") && name[3] >= '0' && name[3] <= '9':
		return "Windows reserves it as a device name"
	case strings.EqualFold(name, "manifest"):
		return "on a case-insensitive file system (Windows, macOS) it is the output root's MANIFEST"
	}
	return ""
}

func (v *checker) product() {
	p := v.s.Site.Product
	switch {
	case p == "lync2013" || p == "sfb2015":
	case p == "":
		v.errorf("site.product", "missing; allowed: lync2013, sfb2015")
	case strings.Contains(p, "2019"):
		v.errorf("site.product", "%s is not supported: Skype for Business Server 2019 removed Persistent Chat (and database mirroring); allowed: lync2013, sfb2015", diag.Quote(p))
	default:
		v.errorf("site.product", "%s is not a product; allowed: lync2013, sfb2015", diag.Quote(p))
	}
}

func (v *checker) dataCenters() {
	dc := v.s.DataCenters
	ok1 := v.required("data_centers.primary", dc.Primary, "name the primary data center (DC1)")
	ok2 := v.required("data_centers.backup", dc.Backup, "name the backup data center (DC2)")
	if ok1 {
		v.check("data_centers.primary", checkDataCenterName(dc.Primary))
	}
	if ok2 {
		v.check("data_centers.backup", checkDataCenterName(dc.Backup))
	}
	if ok1 && ok2 && strings.EqualFold(dc.Primary, dc.Backup) {
		v.errorf("data_centers.backup", "%s is also the primary data center; the pool is stretched over two data centers", diag.Quote(dc.Backup))
	}
	if !v.l.Defined("data_centers", "low_latency_link") {
		v.errorf("data_centers.low_latency_link", "missing; say true when the link between the data centers is low-latency, else false (it decides where active servers may run)")
	}
}

func dcOf(path string) string { return path + ".data_center" }

// dataCenter checks a data_center value: "primary" or "backup".
func (v *checker) dataCenter(path, value string) bool {
	switch value {
	case "primary", "backup":
		return true
	case "":
		v.errorf(path, "missing; allowed: primary, backup")
	default:
		v.errorf(path, "%s is not allowed; write primary or backup (the names are set in [data_centers])", diag.Quote(value))
	}
	return false
}

func (v *checker) mirroring() {
	v.check("mirroring.endpoint_name", checkSysname(v.s.Mirroring.EndpointName))
}

func (v *checker) shares() {
	sh := v.s.Shares
	if v.required("shares.mirroring_seed", sh.MirroringSeed, "the UNC share that receives the mirroring seed backups") {
		if v.check("shares.mirroring_seed", checkUNC(sh.MirroringSeed, maxLSPath)) {
			v.seedFileLengths(sh.MirroringSeed)
		}
	}
	if v.required("shares.backup_mirroring_seed", sh.BackupMirroringSeed, "the UNC share in the backup data center that Install-CsMirrorDatabase seeds the backup mirror through after a DR failover") {
		v.check("shares.backup_mirroring_seed", checkUNC(sh.BackupMirroringSeed, maxLSPath))
	}
	if v.required("shares.log_shipping", sh.LogShipping, "the UNC share that receives the log-shipping backups") {
		v.check("shares.log_shipping", checkUNC(sh.LogShipping, maxLSPath))
	}
	if v.required("shares.copy_destination", sh.CopyDestination, "the local folder on the backup instance that the copy job writes to") {
		v.check("shares.copy_destination", checkLocalPath(sh.CopyDestination, maxLSPath))
	}
}

// seedFileLengths checks the longest backup file the mirroring seed writes
// against physical_device_name's limit.
func (v *checker) seedFileLengths(share string) {
	for _, db := range v.databases() {
		p := fmt.Sprintf(`%s\%s.bak`, share, db)
		if len(p) > maxDevicePath {
			v.errorf("shares.mirroring_seed", "the seed backup %s would be %d characters; backup file paths are limited to %d", diag.Quote(p), len(p), maxDevicePath)
			return
		}
	}
}

// databases lists the Persistent Chat databases the site has.
func (v *checker) databases() []string {
	if v.s.Compliance.Enabled {
		return []string{"mgc", "mgccomp"}
	}
	return []string{"mgc"}
}
