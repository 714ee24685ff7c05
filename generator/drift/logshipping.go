package drift

import (
	"fmt"
	"strings"

	"pchat-hadr/generator/collect"
	"pchat-hadr/generator/plan"
	"pchat-hadr/generator/quote"
	"pchat-hadr/generator/site"
)

// logShipping compares mgc's log shipping from the principal and its
// mirror (P3, P4) to the backup with the plan's configuration.
func (c *comparer) logShipping() {
	ls := c.p.LogShip
	mirrorSchedule := c.p.Site.LogShipping.BackupScheduleName
	if mirrorSchedule == "" {
		mirrorSchedule = fmt.Sprintf(site.DefaultBackupScheduleName, ls.Mirror.SQLName())
	}
	c.primary(ls.Primary, ls.BackupSchedule, c.script("log-shipping"))
	c.primary(ls.Mirror, plan.Schedule{Name: mirrorSchedule, Interval: ls.BackupSchedule.Interval}, c.script("mirror-log-shipping"))
	c.secondary()
}

func (c *comparer) primary(t plan.Target, schedule plan.Schedule, script string) {
	ls := c.p.LogShip
	live := c.doc.Instance(t.Server)
	if live == nil || live.Error != "" {
		return
	}
	var row *collect.LSPrimary
	for i := range live.LogShipping.Primaries {
		if strings.EqualFold(live.LogShipping.Primaries[i].Database, "mgc") {
			row = &live.LogShipping.Primaries[i]
		}
	}
	where := " on " + t.Server
	if row == nil {
		c.add("log_shipping"+where, "mgc shipped to "+ls.Secondary.Server, "not configured", "set up this log-shipping primary", script)
		return
	}
	change := "edit the site file, or set it back with sp_change_log_shipping_primary_database" + where
	c.same("shares.log_shipping"+where, ls.BackupShare, row.BackupShare, "the backup jobs write elsewhere: edit the site file (the scripts use <share>\\mgc), or reconfigure log shipping", true)
	c.sameInt("log_shipping.backup_retention"+where, ls.BackupRetention, row.BackupRetention, change)
	c.sameInt("log_shipping.backup_alert_threshold"+where, ls.BackupThreshold, row.BackupThreshold, change)
	c.sameInt("log_shipping.history_retention"+where, ls.History, row.HistoryRetention, change)
	c.sameInt("log_shipping.compression"+where, ls.Compression, row.BackupCompression, change+" (0 off, 1 on, 2 the server's default)")
	monitor := ""
	if ls.Monitor != nil {
		monitor = ls.Monitor.SQLName()
	}
	c.same("log_shipping.monitor"+where, monitor, row.MonitorServer, "a monitor can only be set when log shipping is created: edit the site file, or remove and set up log shipping again", true)
	c.job("log_shipping.backup", t.Server, row.BackupJob, ls.BackupJob, schedule, script)
}

func (c *comparer) secondary() {
	ls := c.p.LogShip
	live := c.doc.Instance(ls.Secondary.Server)
	if live == nil || live.Error != "" {
		return
	}
	script := c.script("log-shipping")
	var sec *collect.LSSecondary
	var db *collect.LSDatabase
	for i := range live.LogShipping.Secondaries {
		for j := range live.LogShipping.Secondaries[i].Databases {
			if strings.EqualFold(live.LogShipping.Secondaries[i].Databases[j].Database, "mgc") {
				sec, db = &live.LogShipping.Secondaries[i], &live.LogShipping.Secondaries[i].Databases[j]
			}
		}
	}
	where := " on " + ls.Secondary.Server
	if sec == nil {
		c.add("log_shipping"+where, "mgc restored from "+ls.OriginalPrimary.SQLName(), "not configured", "set up the log-shipping secondary", script)
		return
	}
	change := "edit the site file, or set it back with sp_change_log_shipping_secondary_primary" + where
	c.same("sql.primary (log-shipping primary_server)"+where, ls.OriginalPrimary.SQLName(), sec.PrimaryServer, "the secondary restores from another primary: edit sql.primary, or set log shipping up again", true)
	c.same("shares.log_shipping (copy source)"+where, ls.BackupShare, sec.SourceDirectory, change, true)
	c.same("shares.copy_destination"+where, ls.CopyDestination, sec.DestinationDirectory, change, true)
	c.sameInt("log_shipping.copy_retention"+where, ls.CopyRetention, sec.FileRetention, change)
	change = "edit the site file, or set it back with sp_change_log_shipping_secondary_database" + where
	c.sameInt("log_shipping.restore_alert_threshold"+where, ls.RestoreThresh, db.RestoreThreshold, change)
	if db.RestoreDelay != 0 || db.RestoreMode != 0 {
		c.add("restore delay and mode"+where, "0, NORECOVERY", fmt.Sprintf("%d, %s", db.RestoreDelay, map[int]string{0: "NORECOVERY", 1: "STANDBY"}[db.RestoreMode]),
			"Lync requires a restore delay of 0 and NORECOVERY: sp_change_log_shipping_secondary_database @secondary_database = N'mgc', @restore_delay = 0, @restore_mode = 0"+where, "")
	}
	c.job("log_shipping.copy", ls.Secondary.Server, sec.CopyJob, ls.CopyJob, ls.CopySchedule, script)
	c.job("log_shipping.restore", ls.Secondary.Server, sec.RestoreJob, ls.RestoreJob, ls.RestoreSchedule, script)
}

// job compares an Agent job and its schedule with the plan's.
func (c *comparer) job(prefix, server string, live *collect.Job, name string, schedule plan.Schedule, script string) {
	where := " on " + server
	if live == nil {
		c.add(prefix+"_job_name"+where, name, "no job", "the job is gone: set log shipping up again", script)
		return
	}
	c.same(prefix+"_job_name"+where, name, live.Name, "edit the site file", false)
	lit, _ := quote.SQLString(live.Name)
	if !live.Enabled {
		c.add(prefix+" job"+where, "enabled", "disabled", "enable it: EXEC msdb.dbo.sp_update_job @job_name = "+lit+", @enabled = 1;", "")
	}
	if len(live.Schedules) == 0 {
		c.add(prefix+"_schedule_name"+where, schedule.Name, "no schedule", "the job never runs: set log shipping up again (the script attaches the schedule)", script)
		return
	}
	sc := live.Schedules[0]
	c.same(prefix+"_schedule_name"+where, schedule.Name, sc.Name, "edit the site file", false)
	if !sc.Enabled {
		c.add(prefix+" schedule"+where, "enabled", "disabled", "enable it: EXEC msdb.dbo.sp_update_schedule @name = "+quoted(sc.Name)+", @enabled = 1;", "")
	}
	if got := sc.IntervalMinutes(); got != schedule.Interval {
		live := fmt.Sprintf("%d minutes", got)
		if got == 0 {
			live = "not every few minutes of every day"
		}
		c.add(prefix+"_interval"+where, fmt.Sprintf("%d minutes", schedule.Interval), live,
			"edit the site file to the live interval, or set the schedule back with msdb.dbo.sp_update_schedule", "")
	}
}

func quoted(s string) string {
	lit, _ := quote.SQLString(s)
	return lit
}

// same compares text; fold compares it case-insensitively (paths and
// server names, which Windows and SQL Server compare so).
func (c *comparer) same(key, want, got, do string, fold bool) {
	if want == got || fold && strings.EqualFold(want, got) {
		return
	}
	c.add(key, want, got, do, "")
}

func (c *comparer) sameInt(key string, want, got int, do string) {
	if want != got {
		c.add(key, fmt.Sprint(want), fmt.Sprint(got), do, "")
	}
}
