// Package site defines the TOML site description (schema version 1) and
// loads it: syntax, unknown keys and value types are checked here; the
// meaning of the values is checked by package validate.
package site

// SchemaVersion is the only site schema version this build understands.
const SchemaVersion = 1

// Site is one Persistent Chat pool stretched over two data centers.
type Site struct {
	SchemaVersion int         `toml:"schema_version"`
	Extends       string      `toml:"extends"`
	Site          Identity    `toml:"site"`
	DataCenters   DataCenters `toml:"data_centers"`
	Compliance    Compliance  `toml:"compliance"`
	SQL           SQL         `toml:"sql"`
	Mirroring     Mirroring   `toml:"mirroring"`
	Shares        Shares      `toml:"shares"`
	LogShipping   LogShipping `toml:"log_shipping"`
	Servers       []Server    `toml:"servers"`
}

// Identity names the site and the Lync / Skype for Business pool.
type Identity struct {
	Name     string `toml:"name"`
	Product  string `toml:"product"`
	PoolFQDN string `toml:"pool_fqdn"`
	Wave     int    `toml:"wave"`
	ADDomain string `toml:"ad_domain"`
	// StateIdentity and ActiveServerIdentity override the identities that
	// the scripts otherwise resolve at run time from Get-CsService
	// (design decision p); "global" is the Lync 2013 examples' value.
	StateIdentity        string `toml:"pool_state_identity"`
	ActiveServerIdentity string `toml:"active_server_identity"`
}

// DataCenters names the primary (DC1) and backup (DC2) data centers.
type DataCenters struct {
	Primary        string `toml:"primary"`
	Backup         string `toml:"backup"`
	LowLatencyLink bool   `toml:"low_latency_link"`
}

// Compliance says whether the mgccomp database exists and where it lives.
type Compliance struct {
	Enabled         bool `toml:"enabled"`
	SharedInstances bool `toml:"shared_instances"`
}

// SQL holds the SQL Server version gate and the instances by role.
type SQL struct {
	Version                 string    `toml:"version"`
	AllowUnsupportedVersion bool      `toml:"allow_unsupported_version"`
	Primary                 *Instance `toml:"primary"`
	PrimaryMirror           *Instance `toml:"primary_mirror"`
	PrimaryWitness          *Instance `toml:"primary_witness"`
	Backup                  *Instance `toml:"backup"`
	BackupMirror            *Instance `toml:"backup_mirror"`
	BackupWitness           *Instance `toml:"backup_witness"`
	CompliancePrimary       *Instance `toml:"compliance_primary"`
	CompliancePrimaryMirror *Instance `toml:"compliance_primary_mirror"`
	ComplianceBackup        *Instance `toml:"compliance_backup"`
	ComplianceBackupMirror  *Instance `toml:"compliance_backup_mirror"`
}

// Instance is one SQL Server instance.
type Instance struct {
	DataCenter     string `toml:"data_center"`
	FQDN           string `toml:"fqdn"`
	Instance       string `toml:"instance"`
	NetBIOSName    string `toml:"netbios_name"`
	Port           int    `toml:"port"`
	ServiceAccount string `toml:"service_account"`
	Move           []Move `toml:"move"`
}

// Move relocates one database file when a backup is restored on an instance
// whose file paths differ from the source (RESTORE ... WITH MOVE).
type Move struct {
	Database     string `toml:"database"`
	LogicalName  string `toml:"logical_name"`
	PhysicalName string `toml:"physical_name"`
}

// Mirroring holds site-wide database mirroring settings.
type Mirroring struct {
	EndpointName                  string `toml:"endpoint_name"`
	ReplaceExistingMirrorDatabase bool   `toml:"replace_existing_mirror_database"`
}

// Shares holds the file shares and folders the procedures use.
type Shares struct {
	MirroringSeed string `toml:"mirroring_seed"`
	// BackupMirroringSeed is the seed share used in the backup data center
	// after a DR failover, when the primary data center may be gone.
	BackupMirroringSeed string `toml:"backup_mirroring_seed"`
	LogShipping         string `toml:"log_shipping"`
	CopyDestination     string `toml:"copy_destination"`
	// LogShippingDataCenter says where the log-shipping share lives; the SQL
	// docs advise keeping it off the primary's data center (decision s).
	LogShippingDataCenter string `toml:"log_shipping_data_center"`
}

// Server is one Persistent Chat server of the pool.
type Server struct {
	FQDN                string `toml:"fqdn"`
	DataCenter          string `toml:"data_center"`
	Active              bool   `toml:"active"`
	ActiveAfterFailover bool   `toml:"active_after_failover"`
}

// LogShipping holds the log-shipping settings of mgc (procedures P3, P4).
// Zero values are replaced by the SSMS defaults of design decision (a).
type LogShipping struct {
	BackupInterval        int      `toml:"backup_interval"`
	CopyInterval          int      `toml:"copy_interval"`
	RestoreInterval       int      `toml:"restore_interval"`
	BackupRetention       int      `toml:"backup_retention"`
	CopyRetention         int      `toml:"copy_retention"`
	BackupAlertThreshold  int      `toml:"backup_alert_threshold"`
	RestoreAlertThreshold int      `toml:"restore_alert_threshold"`
	HistoryRetention      int      `toml:"history_retention"`
	Compression           string   `toml:"compression"`
	BackupJobName         string   `toml:"backup_job_name"`
	CopyJobName           string   `toml:"copy_job_name"`
	RestoreJobName        string   `toml:"restore_job_name"`
	BackupScheduleName    string   `toml:"backup_schedule_name"`
	CopyScheduleName      string   `toml:"copy_schedule_name"`
	RestoreScheduleName   string   `toml:"restore_schedule_name"`
	ReinitializeSecondary bool     `toml:"reinitialize_secondary"`
	Monitor               *Monitor `toml:"monitor"`
}

// Monitor is an optional log-shipping monitor instance, reached with
// Windows authentication (a SQL login would put a secret in the outputs).
type Monitor struct {
	FQDN        string `toml:"fqdn"`
	Instance    string `toml:"instance"`
	NetBIOSName string `toml:"netbios_name"`
}

// AsInstance views the monitor as an instance for naming and guards.
func (m *Monitor) AsInstance() *Instance {
	return &Instance{FQDN: m.FQDN, Instance: m.Instance, NetBIOSName: m.NetBIOSName}
}
