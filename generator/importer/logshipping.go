package importer

import (
	"fmt"
	"strings"

	"pchat-hadr/generator/collect"
	"pchat-hadr/generator/site"
)

// lsPrimary is mgc's log-shipping primary row: the principal's, or the
// primary mirror's when the principal has none.
func (im *importer) lsPrimary() (*collect.LSPrimary, *member) {
	for _, role := range []string{"primary", "primary_mirror"} {
		m := im.members[role]
		if m == nil || !m.known() {
			continue
		}
		for i := range m.live.LogShipping.Primaries {
			if p := &m.live.LogShipping.Primaries[i]; strings.EqualFold(p.Database, "mgc") {
				return p, m
			}
		}
	}
	return nil, nil
}

// lsSecondary is the backup's secondary configuration of mgc.
func (im *importer) lsSecondary() (*collect.LSSecondary, *collect.LSDatabase) {
	m := im.members["backup"]
	if m == nil || !m.known() {
		return nil, nil
	}
	for i := range m.live.LogShipping.Secondaries {
		s := &m.live.LogShipping.Secondaries[i]
		for j := range s.Databases {
			if strings.EqualFold(s.Databases[j].Database, "mgc") {
				return s, &s.Databases[j]
			}
		}
	}
	return nil, nil
}

func (im *importer) shares() {
	t := im.add("[shares]")
	const seed = "Not in a deployment: a seed share is used only while mirroring is set up."
	t.todo("mirroring_seed", `the UNC share for the mirroring seed backups, such as \\fs01.contoso.com\pchat-seed`, seed)
	t.todo("backup_mirroring_seed", "the UNC share in the backup data center for seeding the backup's mirror after a DR failover", seed)
	if p, m := im.lsPrimary(); p != nil && p.BackupShare != "" {
		share, ok := cutFolder(p.BackupShare, "mgc")
		from := fmt.Sprintf("log_shipping_primary_databases backup_share on %s (%s), without its folder mgc.", m.store.Server(), p.BackupShare)
		if !ok {
			from = fmt.Sprintf("log_shipping_primary_databases backup_share on %s. The scripts ship to its folder mgc, but this configuration ships to the share itself.", m.store.Server())
		}
		t.set("log_shipping", share, from)
	} else {
		t.todo("log_shipping", "the UNC share the log-shipping backup jobs write to", "Log shipping of mgc is not configured yet.")
	}
	if s, _ := im.lsSecondary(); s != nil && s.DestinationDirectory != "" {
		t.set("copy_destination", s.DestinationDirectory, "log_shipping_secondary backup_destination_directory on the backup.")
	} else {
		t.todo("copy_destination", "the local folder on the backup instance that the copy job writes to", "Log shipping of mgc is not configured on the backup yet.")
	}
	t.todo("log_shipping_data_center", "primary or backup: the data center of the log-shipping share's server", "Which data center holds the share is not in a deployment; the runbook's picture and the warning for a share in the primary data center need it.")
}

// cutFolder removes a trailing \folder from a path.
func cutFolder(path, folder string) (string, bool) {
	p := strings.TrimRight(path, `\`)
	if i := strings.LastIndex(p, `\`); i > 0 && strings.EqualFold(p[i+1:], folder) {
		return p[:i], true
	}
	return path, false
}

func (im *importer) logShipping() {
	t := im.add("[log_shipping]")
	p, pm := im.lsPrimary()
	if p == nil {
		t.note("Log shipping of mgc is not configured yet: SSMS's defaults apply.")
		t.set("reinitialize_secondary", false, "A choice, not in a deployment: false stops the scripts from re-initializing a secondary (the safe default).")
		return
	}
	s, sd := im.lsSecondary()
	on := " on " + pm.store.Server()
	im.interval(t, "backup_interval", p.BackupJob, "the backup job"+on)
	if s != nil {
		im.interval(t, "copy_interval", s.CopyJob, "the copy job on the backup")
		im.interval(t, "restore_interval", s.RestoreJob, "the restore job on the backup")
	}
	t.set("backup_retention", p.BackupRetention, "log_shipping_primary_databases backup_retention_period"+on+".")
	if s != nil {
		t.set("copy_retention", s.FileRetention, "log_shipping_secondary file_retention_period on the backup.")
	}
	t.set("backup_alert_threshold", p.BackupThreshold, "log_shipping_monitor_primary backup_threshold"+on+".")
	if sd != nil {
		t.set("restore_alert_threshold", sd.RestoreThreshold, "log_shipping_monitor_secondary restore_threshold on the backup.")
	}
	from := "log_shipping_monitor_primary history_retention_period" + on + "."
	if sd != nil && sd.HistoryRetention != p.HistoryRetention {
		from += fmt.Sprintf(" The backup keeps %d minutes; the scripts use one value for both.", sd.HistoryRetention)
	}
	t.set("history_retention", p.HistoryRetention, from)
	if c, ok := compressions[p.BackupCompression]; ok {
		t.set("compression", c, fmt.Sprintf("log_shipping_primary_databases backup_compression %d%s.", p.BackupCompression, on))
	}
	im.jobNames(t, p, s)
	t.set("reinitialize_secondary", false, "A choice, not in a deployment: false stops the scripts from re-initializing a secondary (the safe default).")
	im.monitor(p)
}

var compressions = map[int]string{0: "off", 1: "on", 2: "server-default"}

// interval reads the minutes between runs of a job from its schedule.
func (im *importer) interval(t *table, key string, job *collect.Job, what string) {
	if job == nil {
		t.note(key + ": " + what + " is gone; the default applies.")
		return
	}
	for _, sc := range job.Schedules {
		if n := sc.IntervalMinutes(); n > 0 {
			t.set(key, n, fmt.Sprintf("sysschedules freq_subday_interval of %s, the schedule of %s (%s).", sc.Name, what, job.Name))
			return
		}
	}
	t.note(key + ": " + what + " " + job.Name + " has no daily schedule that repeats during the day; the default applies.")
}

// jobNames writes the job and schedule names that differ from the
// defaults the scripts would use.
func (im *importer) jobNames(t *table, p *collect.LSPrimary, s *collect.LSSecondary) {
	primary := sqlName(im.members["primary"])
	type jobName struct {
		key, def string
		job      *collect.Job
		schedule bool // the name of the job's schedule, not of the job
	}
	names := []jobName{
		{"backup_job_name", site.DefaultBackupJobName, p.BackupJob, false},
		{"backup_schedule_name", fmt.Sprintf(site.DefaultBackupScheduleName, primary), p.BackupJob, true},
	}
	if s != nil {
		names = append(names,
			jobName{"copy_job_name", fmt.Sprintf(site.DefaultCopyJobName, primary), s.CopyJob, false},
			jobName{"restore_job_name", fmt.Sprintf(site.DefaultRestoreJobName, primary), s.RestoreJob, false},
			jobName{"copy_schedule_name", fmt.Sprintf(site.DefaultCopyScheduleName, primary), s.CopyJob, true},
			jobName{"restore_schedule_name", fmt.Sprintf(site.DefaultRestoreSchedule, primary), s.RestoreJob, true})
	}
	for _, n := range names {
		if n.job == nil {
			continue
		}
		name, from := n.job.Name, "sysjobs name."
		if n.schedule {
			if len(n.job.Schedules) == 0 {
				continue
			}
			name, from = n.job.Schedules[0].Name, "sysschedules name of the job "+n.job.Name+"."
		}
		if name != n.def {
			t.set(n.key, name, from+" The default would be "+n.def+".")
		}
	}
}

// sqlName is the name SQL Server knows an instance by, as the default job
// names spell it: MACHINE or MACHINE\INSTANCE, upper case.
func sqlName(m *member) string {
	if m == nil {
		return ""
	}
	machine := site.HostLabel(m.store.FQDN)
	if m.known() && m.live.Properties.MachineName != "" {
		machine = m.live.Properties.MachineName
	}
	name := strings.ToUpper(machine)
	if m.store.Instance != "" && !strings.EqualFold(m.store.Instance, site.DefaultInstanceName) {
		name += `\` + strings.ToUpper(m.store.Instance)
	}
	return name
}

// monitorName is the log-shipping monitor the primary side names.
func (im *importer) monitorName() string {
	if p, _ := im.lsPrimary(); p != nil {
		return p.MonitorServer
	}
	return ""
}

// monitor writes [log_shipping.monitor] from the monitor's server name
// and, when it was read, the instance itself.
func (im *importer) monitor(p *collect.LSPrimary) {
	if p.MonitorServer == "" {
		return
	}
	t := im.add("[log_shipping.monitor]", "The log-shipping monitor: log_shipping_primary_databases monitor_server "+p.MonitorServer+".")
	_, inst, _ := strings.Cut(p.MonitorServer, `\`)
	var live *collect.Instance
	for i := range im.doc.Instances {
		if im.isMonitor(&im.doc.Instances[i]) && im.doc.Instances[i].Error == "" {
			live = &im.doc.Instances[i]
		}
	}
	if live == nil {
		t.todo("fqdn", "the host FQDN of "+p.MonitorServer, "The monitor was not read; name it with -AlsoInstance.")
		if inst != "" {
			t.set("instance", inst, "The instance part of monitor_server.")
		}
		return
	}
	m := &member{role: "monitor", store: storeOf(live.Server), live: live}
	t.set("fqdn", m.store.FQDN, "The monitor as named with -AlsoInstance ("+live.Server+").")
	if m.store.Instance != "" {
		t.set("instance", m.store.Instance, "The instance it was read as.")
	}
	im.netbios(t, m)
}
