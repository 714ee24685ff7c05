// Package site defines the TOML site description (schema version 1) and
// loads it: syntax, unknown keys and value types are checked here; the
// meaning of the values is checked by package validate.
package site

// SchemaVersion is the only site schema version this build understands.
const SchemaVersion = 1

// Site is one Persistent Chat pool stretched over two data centers.
type Site struct {
	SchemaVersion int         `toml:"schema_version" required:"true" enum:"1" used:"none" doc:"Version of the layout of the site file; this release reads 1."`
	Extends       string      `toml:"extends" minlen:"1" used:"none" doc:"Path of a defaults file that this file extends, relative to this file. Tables merge key by key; any other value, arrays of tables included, replaces the defaults' value. Keys a file requires may be left to the files it extends."`
	Site          Identity    `toml:"site" doc:"Names the site and the Lync / Skype for Business pool."`
	DataCenters   DataCenters `toml:"data_centers" doc:"Names the primary (DC1) and backup (DC2) data centers."`
	Compliance    Compliance  `toml:"compliance" doc:"Whether the mgccomp compliance database exists, and where it lives."`
	SQL           SQL         `toml:"sql" doc:"The SQL Server version and the SQL Server instances by role."`
	Mirroring     Mirroring   `toml:"mirroring" doc:"Site-wide database mirroring settings."`
	Shares        Shares      `toml:"shares" doc:"The file shares and folders the procedures use."`
	LogShipping   LogShipping `toml:"log_shipping" doc:"Log shipping of mgc from the principal and its mirror to the backup instance (mgccomp is not log shipped). Backups go to the folder mgc in shares.log_shipping. All times are minutes; the defaults are SSMS's."`
	Servers       []Server    `toml:"servers" required:"true" minitems:"1" maxitems:"8" doc:"The Persistent Chat servers of the pool, one [[servers]] table each: at most 8, at most 4 active at once, and at least one active in normal operation and one after a DR failover."`
}

// Identity names the site and the Lync / Skype for Business pool.
type Identity struct {
	Name     string `toml:"name" required:"true" syntax:"site-name" maxlen:"63" used:"mirroring log-shipping mirror-failover dr-failover dr-switchover dr-failback runbook rollout" doc:"Short name of the site: lower-case letters, digits and hyphens. It names the output folder (out/<name>/)."`
	Product  string `toml:"product" required:"true" enum:"lync2013|sfb2015" used:"log-shipping topology mirror-failover dr-failover dr-switchover dr-failback runbook rollout" doc:"Lync Server 2013 (lync2013) or Skype for Business Server 2015 (sfb2015). Skype for Business Server 2019 has no Persistent Chat."`
	PoolFQDN string `toml:"pool_fqdn" required:"true" syntax:"fqdn" maxlen:"253" used:"prerequisites log-shipping topology mirror-failover dr-failover dr-switchover dr-failback runbook rollout" doc:"FQDN of the Persistent Chat pool, as defined in Topology Builder."`
	Wave     int    `toml:"wave" default:"0" min:"0" used:"rollout" doc:"Rollout wave of the site in ROLLOUT.md; 0 means no wave."`
	ADDomain string `toml:"ad_domain" required:"true" syntax:"netbios" maxlen:"15" used:"prerequisites mirroring runbook" doc:"NetBIOS name of the single AD domain of every server and service account. Built-in SQL Server service accounts authenticate as DOMAIN\\HOST$ in it."`
	// StateIdentity and ActiveServerIdentity override the identities that
	// the scripts otherwise resolve at run time from Get-CsService
	// (design decision p); "global" is the Lync 2013 examples' value.
	StateIdentity        string `toml:"pool_state_identity" syntax:"identity" used:"prerequisites topology dr-failover dr-switchover dr-failback" doc:"Identity of the pool's Persistent Chat service for Set-CsPersistentChatState. Leave it out: the scripts find the service at run time with Get-CsService -PersistentChatServer by pool_fqdn. Set it only where that lookup does not work, for example to global as in the Lync 2013 examples."`
	ActiveServerIdentity string `toml:"active_server_identity" syntax:"identity" used:"prerequisites topology dr-failover dr-switchover dr-failback" doc:"Identity of the pool's Persistent Chat service for Set-CsPersistentChatActiveServer; like pool_state_identity, leave it out unless the run-time lookup does not work."`
}

// DataCenters names the primary (DC1) and backup (DC2) data centers.
type DataCenters struct {
	Primary        string `toml:"primary" required:"true" syntax:"data-center" maxlen:"64" used:"runbook rollout" doc:"Name of the primary data center (DC1, normal operation), used in the runbook."`
	Backup         string `toml:"backup" required:"true" syntax:"data-center" maxlen:"64" used:"runbook rollout" doc:"Name of the backup data center (DC2, disaster recovery), used in the runbook. It must differ from primary."`
	LowLatencyLink bool   `toml:"low_latency_link" required:"true" used:"prerequisites runbook" doc:"true when the link between the two data centers is low-latency and high-bandwidth. Without such a link, servers active in normal operation must all be in the primary data center."`
}

// Compliance says whether the mgccomp database exists and where it lives.
type Compliance struct {
	Enabled         bool `toml:"enabled" default:"false" used:"prerequisites mirroring mirror-failover dr-failover dr-switchover dr-failback runbook" doc:"true when Persistent Chat compliance is on: the mgccomp database exists and is mirrored like mgc (it is not log shipped or failed over)."`
	SharedInstances bool `toml:"shared_instances" default:"false" used:"prerequisites mirroring mirror-failover dr-failover dr-switchover dr-failback runbook" doc:"true puts mgccomp on the mgc instances; false (recommended) gives it dedicated instances: sql.compliance_primary, sql.compliance_primary_mirror and sql.compliance_backup. Only with compliance.enabled."`
}

// SQL holds the SQL Server version gate and the instances by role.
type SQL struct {
	Version                 string    `toml:"version" required:"true" enum:"2008r2|2012|2014|2016|2017|2019|2022" used:"prerequisites runbook" doc:"SQL Server version of every instance (Skype for Business 2015 needs 2014 CU6 or later). Versions outside the product's documented list (Lync 2013: 2008r2, 2012; Skype for Business 2015: 2008r2, 2012, 2014) need allow_unsupported_version."`
	AllowUnsupportedVersion bool      `toml:"allow_unsupported_version" default:"false" used:"none" doc:"true accepts a SQL Server version outside the product's documented list, with a warning."`
	Primary                 *Instance `toml:"primary" required:"true" used:"prerequisites mirroring log-shipping mirror-failover dr-failover dr-switchover dr-failback runbook" doc:"Principal of mgc, next to the home Front End pool, in the primary data center."`
	PrimaryMirror           *Instance `toml:"primary_mirror" required:"true" used:"prerequisites mirroring log-shipping mirror-failover dr-failover dr-switchover dr-failback runbook" doc:"Mirror of mgc in the primary data center (required for HA); also a log-shipping primary while it is principal."`
	PrimaryWitness          *Instance `toml:"primary_witness" used:"prerequisites mirroring dr-failback runbook" doc:"Witness of the primary data center's mirroring pairs: makes mirror failover automatic. One witness serves the mgc and the mgccomp pairs. Optional."`
	Backup                  *Instance `toml:"backup" required:"true" used:"prerequisites log-shipping dr-failover dr-switchover dr-failback runbook" doc:"Log-shipping secondary of mgc in the backup data center (required for DR); principal after a DR failover."`
	BackupMirror            *Instance `toml:"backup_mirror" required:"true" used:"prerequisites runbook" doc:"Mirror of the backup after a DR failover, in the backup data center."`
	BackupWitness           *Instance `toml:"backup_witness" used:"prerequisites runbook" doc:"Witness of the backup data center's mirroring pairs after a DR failover. Optional."`
	CompliancePrimary       *Instance `toml:"compliance_primary" used:"prerequisites mirroring mirror-failover dr-failback runbook" doc:"Principal of mgccomp on a dedicated instance: required when compliance.enabled and not compliance.shared_instances, refused otherwise."`
	CompliancePrimaryMirror *Instance `toml:"compliance_primary_mirror" used:"prerequisites mirroring mirror-failover dr-failback runbook" doc:"Mirror of mgccomp on a dedicated instance: required when compliance.enabled and not compliance.shared_instances, refused otherwise."`
	ComplianceBackup        *Instance `toml:"compliance_backup" used:"prerequisites dr-failover dr-switchover dr-failback runbook" doc:"mgccomp in the backup data center on a dedicated instance: required when compliance.enabled and not compliance.shared_instances, refused otherwise."`
	ComplianceBackupMirror  *Instance `toml:"compliance_backup_mirror" used:"prerequisites runbook" doc:"Mirror of compliance_backup after a DR failover. Optional; only with dedicated compliance instances."`
}

// Instance is one SQL Server instance.
type Instance struct {
	DataCenter     string `toml:"data_center" required:"true" enum:"primary|backup" used:"runbook" doc:"Data center of the instance: primary or backup, as the role requires."`
	FQDN           string `toml:"fqdn" required:"true" syntax:"fqdn" maxlen:"253" used:"prerequisites mirroring log-shipping mirror-failover dr-failover dr-switchover dr-failback runbook" doc:"Host FQDN of the instance. Without netbios_name its first label is the computer name and may have at most 15 characters."`
	Instance       string `toml:"instance" minlen:"1" syntax:"instance" maxlen:"16" used:"prerequisites mirroring log-shipping mirror-failover dr-failover dr-switchover dr-failback runbook" doc:"Instance name; leave it out for the default instance."`
	NetBIOSName    string `toml:"netbios_name" syntax:"netbios" maxlen:"15" used:"prerequisites mirroring log-shipping mirror-failover dr-failover dr-switchover dr-failback runbook" doc:"The computer's NetBIOS name, when the host label of fqdn is longer than 15 characters or differs from it."`
	Port           int    `toml:"port" default:"5022" min:"1024" max:"32767" used:"prerequisites mirroring mirror-failover runbook" doc:"Database mirroring endpoint port (CREATE ENDPOINT's listener port range): 5022 unless set, 7022 for a witness. Two instances on one host need different ports."`
	ServiceAccount string `toml:"service_account" required:"true" syntax:"account" maxlen:"128" used:"prerequisites mirroring runbook" doc:"The SQL Server service account: DOMAIN\\name in site.ad_domain, or a built-in account (NETWORK SERVICE, LocalSystem, NT SERVICE\\MSSQL$NAME), which reaches other instances as DOMAIN\\HOST$."`
	// AgentAccount is who runs the instance's Agent jobs: the log-shipping
	// copy job reads the share and writes the copy folder as this account,
	// and sqllogship.exe of the backup job writes and prunes the share.
	AgentAccount string `toml:"agent_account" syntax:"account" maxlen:"128" defaultdoc:"service_account when it is a domain account, else NT SERVICE\\SQLAgent$<instance> (NT SERVICE\\SQLSERVERAGENT for the default instance)" used:"prerequisites runbook" doc:"The SQL Server Agent service account, in the same forms as service_account. It runs the log-shipping backup, copy and restore jobs, so share and folder permissions are computed for it. Not used on a witness, which needs no Agent."`
	Move         []Move `toml:"move" used:"mirroring log-shipping dr-failback" doc:"Files to relocate when a backup is restored on this instance (RESTORE ... WITH MOVE); without them files are restored to the paths they had on the source."`
}

// Move relocates one database file when a backup is restored on an instance
// whose file paths differ from the source (RESTORE ... WITH MOVE).
type Move struct {
	Database     string `toml:"database" required:"true" enum:"mgc|mgccomp" used:"mirroring log-shipping dr-failback" doc:"The database the file belongs to: mgc, or mgccomp when compliance is on."`
	LogicalName  string `toml:"logical_name" required:"true" syntax:"sysname" maxlen:"128" used:"mirroring log-shipping dr-failback" doc:"Logical file name, as RESTORE FILELISTONLY shows it."`
	PhysicalName string `toml:"physical_name" required:"true" syntax:"local-path" maxlen:"259" used:"mirroring log-shipping dr-failback" doc:"Full path of the file on this instance."`
}

// Mirroring holds site-wide database mirroring settings.
type Mirroring struct {
	EndpointName                  string `toml:"endpoint_name" default:"Mirroring" syntax:"sysname" maxlen:"128" used:"mirroring" doc:"Name given to a mirroring endpoint the scripts create. An instance that already has one keeps it, whatever its name."`
	ReplaceExistingMirrorDatabase bool   `toml:"replace_existing_mirror_database" default:"false" used:"mirroring dr-failover dr-switchover" doc:"true lets the restore script replace an ONLINE copy of the database on a mirror (like Install-CsMirrorDatabase -DropExistingDatabasesOnMirror); false stops the script instead."`
}

// Shares holds the file shares and folders the procedures use.
type Shares struct {
	MirroringSeed string `toml:"mirroring_seed" required:"true" syntax:"unc" maxlen:"251" used:"prerequisites mirroring runbook" doc:"UNC share for the mirroring seed backups (Install-CsMirrorDatabase -FileShare), read/write for the service accounts of both partners. Its seed backup paths must fit 259 characters: at most 251 characters, 247 with compliance."`
	// BackupMirroringSeed is the seed share used in the backup data center
	// after a DR failover, when the primary data center may be gone.
	BackupMirroringSeed string `toml:"backup_mirroring_seed" required:"true" syntax:"unc" maxlen:"500" used:"prerequisites dr-failover dr-switchover" doc:"UNC share in the backup data center for seeding the backup's mirror after a DR failover, when the primary data center may be gone. Same permissions, for the backup pair."`
	LogShipping         string `toml:"log_shipping" required:"true" syntax:"unc" maxlen:"232" used:"prerequisites log-shipping dr-failover dr-switchover dr-failback runbook" doc:"UNC share the log-shipping backup jobs write to and the copy job reads from, read/write for every SQL instance holding Persistent Chat databases. Keep it outside the primary data center. Log backup paths under it must fit 259 characters: at most 232 characters."`
	CopyDestination     string `toml:"copy_destination" required:"true" syntax:"local-path" maxlen:"236" used:"log-shipping runbook" doc:"Local folder on the backup instance that the copy job writes to. Copied log backup paths must fit 259 characters: at most 236 characters."`
	// LogShippingDataCenter says where the log-shipping share lives; the SQL
	// docs advise keeping it off the primary's data center (decision s).
	LogShippingDataCenter string `toml:"log_shipping_data_center" enum:"primary|backup" used:"none" doc:"Data center of the log-shipping share's server. Optional; primary draws a warning, since losing the data center would lose the last log backups with it."`
}

// Server is one Persistent Chat server of the pool.
type Server struct {
	FQDN                string `toml:"fqdn" required:"true" syntax:"fqdn" maxlen:"253" used:"prerequisites topology dr-failover dr-switchover dr-failback runbook" doc:"FQDN of the Persistent Chat server; each server once."`
	DataCenter          string `toml:"data_center" required:"true" enum:"primary|backup" used:"prerequisites dr-failover dr-switchover runbook" doc:"Data center of the server: primary or backup."`
	Active              bool   `toml:"active" default:"false" used:"prerequisites topology dr-failback runbook" doc:"Active in normal operation. Without data_centers.low_latency_link only servers in the primary data center."`
	ActiveAfterFailover bool   `toml:"active_after_failover" default:"false" used:"prerequisites dr-failover dr-switchover runbook" doc:"Active after a DR failover; only servers in the backup data center."`
}

// LogShipping holds the log-shipping settings of mgc (procedures P3, P4).
// Zero values are replaced by the SSMS defaults of design decision (a).
type LogShipping struct {
	BackupInterval        int      `toml:"backup_interval" default:"15" min:"1" max:"1440" used:"log-shipping runbook" doc:"Minutes between runs of the backup job."`
	CopyInterval          int      `toml:"copy_interval" default:"15" min:"1" max:"1440" used:"log-shipping runbook" doc:"Minutes between runs of the copy job; usually equal to backup_interval."`
	RestoreInterval       int      `toml:"restore_interval" default:"15" min:"1" max:"1440" used:"log-shipping runbook" doc:"Minutes between runs of the restore job; usually equal to backup_interval."`
	BackupRetention       int      `toml:"backup_retention" default:"4320" min:"1440" used:"log-shipping runbook" doc:"Minutes backup files stay in the share; at least a day."`
	CopyRetention         int      `toml:"copy_retention" default:"4320" min:"1440" used:"log-shipping runbook" doc:"Minutes copied files stay in shares.copy_destination; at least a day."`
	BackupAlertThreshold  int      `toml:"backup_alert_threshold" default:"60" min:"1" used:"log-shipping runbook" doc:"Minutes without a backup before the alert; at least backup_interval."`
	RestoreAlertThreshold int      `toml:"restore_alert_threshold" default:"45" min:"1" used:"log-shipping runbook" doc:"Minutes without a restore before the alert; at least restore_interval."`
	HistoryRetention      int      `toml:"history_retention" default:"5760" min:"1" used:"log-shipping runbook" doc:"Minutes of monitor history kept."`
	Compression           string   `toml:"compression" default:"server-default" enum:"server-default|on|off" used:"log-shipping runbook" doc:"Backup compression: server-default (the instance's setting), on or off."`
	BackupJobName         string   `toml:"backup_job_name" defaultdoc:"LSBackup_mgc" syntax:"job-name" maxlen:"128" used:"log-shipping runbook" doc:"Name of the Agent backup job."`
	CopyJobName           string   `toml:"copy_job_name" defaultdoc:"LSCopy_<primary>_mgc" syntax:"job-name" maxlen:"128" used:"log-shipping runbook" doc:"Name of the Agent copy job; <primary> is the primary's server name, like ATL-SQL-01\\PCHAT."`
	RestoreJobName        string   `toml:"restore_job_name" defaultdoc:"LSRestore_<primary>_mgc" syntax:"job-name" maxlen:"128" used:"log-shipping runbook" doc:"Name of the Agent restore job."`
	BackupScheduleName    string   `toml:"backup_schedule_name" defaultdoc:"LSBackupSchedule_<server>_mgc" syntax:"schedule-name" maxlen:"128" used:"log-shipping" doc:"Name of the backup job's schedule; <server> is the server name of the instance that runs it."`
	CopyScheduleName      string   `toml:"copy_schedule_name" defaultdoc:"LSCopySchedule_<primary>_mgc" syntax:"schedule-name" maxlen:"128" used:"log-shipping" doc:"Name of the copy job's schedule."`
	RestoreScheduleName   string   `toml:"restore_schedule_name" defaultdoc:"LSRestoreSchedule_<primary>_mgc" syntax:"schedule-name" maxlen:"128" used:"log-shipping" doc:"Name of the restore job's schedule."`
	ReinitializeSecondary bool     `toml:"reinitialize_secondary" default:"false" used:"log-shipping" doc:"true lets the scripts re-initialize the secondary: take a new full backup and restore it over a backup database that is online or already log shipping (as failback does); false stops them instead."`
	Monitor               *Monitor `toml:"monitor" used:"log-shipping runbook" doc:"Optional monitor server for log shipping, reached with Windows authentication; it can only be set when log shipping is first created. Without it every instance runs its own alert job."`
}

// Monitor is an optional log-shipping monitor instance, reached with
// Windows authentication (a SQL login would put a secret in the outputs).
type Monitor struct {
	FQDN        string `toml:"fqdn" required:"true" syntax:"fqdn" maxlen:"253" used:"log-shipping runbook" doc:"Host FQDN of the monitor instance; not the primary, its mirror or the backup."`
	Instance    string `toml:"instance" syntax:"instance" maxlen:"16" used:"log-shipping runbook" doc:"Instance name; leave it out for the default instance."`
	NetBIOSName string `toml:"netbios_name" syntax:"netbios" maxlen:"15" used:"log-shipping runbook" doc:"The computer's NetBIOS name, when the host label of fqdn is longer than 15 characters or differs from it."`
}

// AsInstance views the monitor as an instance for naming and guards.
func (m *Monitor) AsInstance() *Instance {
	return &Instance{FQDN: m.FQDN, Instance: m.Instance, NetBIOSName: m.NetBIOSName}
}
