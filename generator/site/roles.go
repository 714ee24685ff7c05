package site

import "strings"

// Role describes one SQL Server instance role of the stretched pool.
type Role struct {
	Key        string // TOML key under [sql], e.g. "primary_mirror"
	DataCenter string // "primary" or "backup": where the role must be placed
	Witness    bool   // a mirroring witness rather than a partner
	Compliance bool   // holds mgccomp on its own instance
}

// Roles lists every role in schema order; reports and outputs follow it.
var Roles = []Role{
	{Key: "primary", DataCenter: "primary"},
	{Key: "primary_mirror", DataCenter: "primary"},
	{Key: "primary_witness", DataCenter: "primary", Witness: true},
	{Key: "backup", DataCenter: "backup"},
	{Key: "backup_mirror", DataCenter: "backup"},
	{Key: "backup_witness", DataCenter: "backup", Witness: true},
	{Key: "compliance_primary", DataCenter: "primary", Compliance: true},
	{Key: "compliance_primary_mirror", DataCenter: "primary", Compliance: true},
	{Key: "compliance_backup", DataCenter: "backup", Compliance: true},
	{Key: "compliance_backup_mirror", DataCenter: "backup", Compliance: true},
}

// Instance returns the instance declared for a role key, or nil.
func (s *SQL) Instance(role string) *Instance {
	switch role {
	case "primary":
		return s.Primary
	case "primary_mirror":
		return s.PrimaryMirror
	case "primary_witness":
		return s.PrimaryWitness
	case "backup":
		return s.Backup
	case "backup_mirror":
		return s.BackupMirror
	case "backup_witness":
		return s.BackupWitness
	case "compliance_primary":
		return s.CompliancePrimary
	case "compliance_primary_mirror":
		return s.CompliancePrimaryMirror
	case "compliance_backup":
		return s.ComplianceBackup
	case "compliance_backup_mirror":
		return s.ComplianceBackupMirror
	}
	return nil
}

// Default endpoint ports (Topology Builder defaults).
const (
	DefaultPartnerPort = 5022
	DefaultWitnessPort = 7022
	DefaultEndpoint    = "Mirroring"
)

// DefaultInstanceName is what SQL Server calls the unnamed instance.
const DefaultInstanceName = "MSSQLSERVER"

// ApplyDefaults fills keys the file left out with their documented
// defaults. Keys that were written, even with a bad value, are kept so
// that validation reports them.
func (l *Loaded) ApplyDefaults() {
	s := &l.Site
	for _, r := range Roles {
		in := s.SQL.Instance(r.Key)
		if in == nil {
			continue
		}
		if !l.Defined("sql", r.Key, "port") {
			in.Port = DefaultPartnerPort
			if r.Witness {
				in.Port = DefaultWitnessPort
			}
		}
	}
	if !l.Defined("mirroring", "endpoint_name") {
		s.Mirroring.EndpointName = DefaultEndpoint
	}
	l.logShippingDefaults()
}

// Log-shipping defaults: what SSMS proposes (design decision a).
const (
	DefaultLSInterval         = 15   // minutes, backup, copy and restore jobs
	DefaultLSRetention        = 4320 // minutes, backup and copied files
	DefaultBackupThreshold    = 60   // minutes before the backup alert
	DefaultRestoreThreshold   = 45   // minutes before the restore alert
	DefaultHistoryRetention   = 5760 // minutes of monitor history
	DefaultCompression        = "server-default"
	DefaultBackupJobName      = "LSBackup_mgc"
	DefaultBackupScheduleName = "LSBackupSchedule_%s_mgc" // %s: the instance's server name
	DefaultCopyJobName        = "LSCopy_%s_mgc"           // %s: the primary's server name
	DefaultRestoreJobName     = "LSRestore_%s_mgc"
	DefaultCopyScheduleName   = "LSCopySchedule_%s_mgc"
	DefaultRestoreSchedule    = "LSRestoreSchedule_%s_mgc"
)

// Compressions maps log_shipping.compression to @backup_compression.
var Compressions = map[string]int{"off": 0, "on": 1, "server-default": 2}

func (l *Loaded) logShippingDefaults() {
	ls := &l.Site.LogShipping
	ints := []struct {
		key string
		v   *int
		def int
	}{
		{"backup_interval", &ls.BackupInterval, DefaultLSInterval},
		{"copy_interval", &ls.CopyInterval, DefaultLSInterval},
		{"restore_interval", &ls.RestoreInterval, DefaultLSInterval},
		{"backup_retention", &ls.BackupRetention, DefaultLSRetention},
		{"copy_retention", &ls.CopyRetention, DefaultLSRetention},
		{"backup_alert_threshold", &ls.BackupAlertThreshold, DefaultBackupThreshold},
		{"restore_alert_threshold", &ls.RestoreAlertThreshold, DefaultRestoreThreshold},
		{"history_retention", &ls.HistoryRetention, DefaultHistoryRetention},
	}
	for _, d := range ints {
		if !l.Defined("log_shipping", d.key) {
			*d.v = d.def
		}
	}
	if !l.Defined("log_shipping", "compression") {
		ls.Compression = DefaultCompression
	}
}

// HostLabel returns the first label of an FQDN: the computer's host name.
func HostLabel(fqdn string) string {
	host, _, _ := strings.Cut(fqdn, ".")
	return host
}
