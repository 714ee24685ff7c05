package collect

// LogShipping is an instance's msdb log-shipping configuration: the
// primary side (log_shipping_primary_databases and its monitor and
// secondaries tables) and the secondary side (log_shipping_secondary and
// log_shipping_secondary_databases), each with its Agent jobs.
type LogShipping struct {
	Primaries   []LSPrimary   `json:"primaries" required:"true" doc:"One entry per log_shipping_primary_databases row."`
	Secondaries []LSSecondary `json:"secondaries" required:"true" doc:"One entry per log_shipping_secondary row."`
}

// LSPrimary is a primary database of a log-shipping configuration.
type LSPrimary struct {
	Database              string          `json:"primary_database" required:"true" doc:"log_shipping_primary_databases primary_database."`
	BackupDirectory       string          `json:"backup_directory" null:"true" doc:"backup_directory: the folder the backup job writes to."`
	BackupShare           string          `json:"backup_share" null:"true" doc:"backup_share: the UNC path of that folder, which the copy jobs read."`
	BackupRetention       int             `json:"backup_retention_period" required:"true" doc:"backup_retention_period, minutes."`
	BackupCompression     int             `json:"backup_compression" null:"true" doc:"backup_compression: 0 off, 1 on, 2 the server's default."`
	MonitorServer         string          `json:"monitor_server" null:"true" doc:"monitor_server: the monitor instance, null without one."`
	MonitorSecurityMode   int             `json:"monitor_server_security_mode" null:"true" doc:"monitor_server_security_mode: 1 Windows authentication, 0 SQL Server authentication (whose login is never collected)."`
	LastBackupFile        string          `json:"last_backup_file" null:"true" doc:"last_backup_file."`
	LastBackupDate        string          `json:"last_backup_date" null:"true" doc:"last_backup_date, the server's local time, yyyy-mm-ddThh:mi:ss."`
	BackupThreshold       int             `json:"backup_threshold" null:"true" doc:"log_shipping_monitor_primary backup_threshold, minutes."`
	ThresholdAlertEnabled bool            `json:"threshold_alert_enabled" null:"true" doc:"log_shipping_monitor_primary threshold_alert_enabled."`
	HistoryRetention      int             `json:"history_retention_period" null:"true" doc:"log_shipping_monitor_primary history_retention_period, minutes."`
	BackupJob             *Job            `json:"backup_job" null:"true" doc:"The Agent job of backup_job_id; null when the job is gone."`
	Secondaries           []LSSecondaryOf `json:"secondaries" required:"true" doc:"log_shipping_primary_secondaries rows of this primary database."`
}

// LSSecondaryOf is a secondary a primary database ships to.
type LSSecondaryOf struct {
	Server   string `json:"secondary_server" required:"true" doc:"secondary_server."`
	Database string `json:"secondary_database" required:"true" doc:"secondary_database."`
}

// LSSecondary is the secondary side of one primary database: its copy and
// restore jobs and the databases restored from it.
type LSSecondary struct {
	PrimaryServer        string       `json:"primary_server" required:"true" doc:"log_shipping_secondary primary_server: the primary's server name as it was registered."`
	PrimaryDatabase      string       `json:"primary_database" required:"true" doc:"primary_database."`
	SourceDirectory      string       `json:"backup_source_directory" null:"true" doc:"backup_source_directory: the share the copy job reads."`
	DestinationDirectory string       `json:"backup_destination_directory" null:"true" doc:"backup_destination_directory: the local folder the copy job writes to."`
	FileRetention        int          `json:"file_retention_period" null:"true" doc:"file_retention_period, minutes."`
	MonitorServer        string       `json:"monitor_server" null:"true" doc:"monitor_server."`
	LastCopiedFile       string       `json:"last_copied_file" null:"true" doc:"last_copied_file."`
	LastCopiedDate       string       `json:"last_copied_date" null:"true" doc:"last_copied_date, the server's local time."`
	CopyJob              *Job         `json:"copy_job" null:"true" doc:"The Agent job of copy_job_id."`
	RestoreJob           *Job         `json:"restore_job" null:"true" doc:"The Agent job of restore_job_id."`
	Databases            []LSDatabase `json:"databases" required:"true" doc:"log_shipping_secondary_databases rows, with their log_shipping_monitor_secondary values."`
}

// LSDatabase is one secondary database.
type LSDatabase struct {
	Database              string `json:"secondary_database" required:"true" doc:"secondary_database."`
	RestoreDelay          int    `json:"restore_delay" null:"true" doc:"restore_delay, minutes (Lync requires 0)."`
	RestoreAll            bool   `json:"restore_all" null:"true" doc:"restore_all."`
	RestoreMode           int    `json:"restore_mode" null:"true" doc:"restore_mode: 0 NORECOVERY (Lync requires it), 1 STANDBY."`
	DisconnectUsers       bool   `json:"disconnect_users" null:"true" doc:"disconnect_users."`
	LastRestoredFile      string `json:"last_restored_file" null:"true" doc:"last_restored_file."`
	LastRestoredDate      string `json:"last_restored_date" null:"true" doc:"last_restored_date, the server's local time."`
	RestoreThreshold      int    `json:"restore_threshold" null:"true" doc:"log_shipping_monitor_secondary restore_threshold, minutes."`
	ThresholdAlertEnabled bool   `json:"threshold_alert_enabled" null:"true" doc:"log_shipping_monitor_secondary threshold_alert_enabled."`
	HistoryRetention      int    `json:"history_retention_period" null:"true" doc:"log_shipping_monitor_secondary history_retention_period, minutes."`
}

// Job is an Agent job (msdb.dbo.sysjobs) and its schedules.
type Job struct {
	Name      string     `json:"name" required:"true" doc:"sysjobs name."`
	Enabled   bool       `json:"enabled" required:"true" doc:"sysjobs enabled."`
	Schedules []Schedule `json:"schedules" required:"true" doc:"sysschedules rows attached to the job through sysjobschedules."`
}

// Schedule is one sysschedules row.
type Schedule struct {
	Name               string `json:"name" required:"true" doc:"name."`
	Enabled            bool   `json:"enabled" required:"true" doc:"enabled."`
	FreqType           int    `json:"freq_type" required:"true" doc:"freq_type: 4 daily."`
	FreqInterval       int    `json:"freq_interval" required:"true" doc:"freq_interval: every n days when daily."`
	FreqSubdayType     int    `json:"freq_subday_type" required:"true" doc:"freq_subday_type: 1 once, 2 seconds, 4 minutes, 8 hours."`
	FreqSubdayInterval int    `json:"freq_subday_interval" required:"true" doc:"freq_subday_interval: periods of freq_subday_type between runs."`
}

// IntervalMinutes is how often a daily schedule runs, in minutes, when it
// repeats in minutes or hours during the day; 0 for any other schedule.
func (s Schedule) IntervalMinutes() int {
	if s.FreqType != 4 || s.FreqSubdayInterval <= 0 {
		return 0
	}
	switch s.FreqSubdayType {
	case 4:
		return s.FreqSubdayInterval
	case 8:
		return 60 * s.FreqSubdayInterval
	}
	return 0
}
