package validate

import (
	"strings"

	"pchat-hadr/generator/diag"
	"pchat-hadr/generator/site"
)

const (
	maxIntervalMinutes = 1440 // a daily schedule repeating within the day
	dayMinutes         = 1440
	// The longest file name log shipping writes: <db>_<yyyyMMddHHmmss>.trn.
	lsFileSuffix = "_yyyyMMddHHmmss.trn"
)

// logShipping checks the [log_shipping] settings after defaults were
// applied: intervals, retention and thresholds that make sense together,
// names SQL Server accepts, and paths that fit the backup file names.
func (v *checker) logShipping() {
	ls := v.s.LogShipping
	for _, iv := range []struct {
		key string
		val int
	}{{"backup_interval", ls.BackupInterval}, {"copy_interval", ls.CopyInterval}, {"restore_interval", ls.RestoreInterval}} {
		if iv.val < 1 || iv.val > maxIntervalMinutes {
			v.errorf("log_shipping."+iv.key, "%d minutes is out of range 1-%d", iv.val, maxIntervalMinutes)
		}
	}
	v.threshold("backup_alert_threshold", ls.BackupAlertThreshold, "backup_interval", ls.BackupInterval)
	v.threshold("restore_alert_threshold", ls.RestoreAlertThreshold, "restore_interval", ls.RestoreInterval)
	if sum := ls.BackupInterval + ls.CopyInterval + ls.RestoreInterval; ls.RestoreAlertThreshold >= ls.RestoreInterval && ls.RestoreAlertThreshold < sum {
		v.warnf("log_shipping.restore_alert_threshold", "%d minutes is less than a backup, a copy and a restore interval together (%d minutes): the restore alert may fire in normal operation", ls.RestoreAlertThreshold, sum)
	}
	v.retention("backup_retention", ls.BackupRetention)
	v.retention("copy_retention", ls.CopyRetention)
	if ls.HistoryRetention < 1 {
		v.errorf("log_shipping.history_retention", "%d minutes must be at least 1", ls.HistoryRetention)
	}
	for _, iv := range []struct {
		key string
		val int
	}{{"copy_interval", ls.CopyInterval}, {"restore_interval", ls.RestoreInterval}} {
		inRange := iv.val >= 1 && iv.val <= maxIntervalMinutes && ls.BackupInterval >= 1 && ls.BackupInterval <= maxIntervalMinutes
		if inRange && (iv.val > 2*ls.BackupInterval || 2*iv.val < ls.BackupInterval) {
			v.warnf("log_shipping."+iv.key, "%d minutes is far from backup_interval (%d minutes); they are usually equal", iv.val, ls.BackupInterval)
		}
	}
	if _, ok := site.Compressions[ls.Compression]; !ok {
		v.errorf("log_shipping.compression", "%s is not allowed; use server-default, on or off", diag.Quote(ls.Compression))
	}
	v.lsNames()
	v.monitor()
	v.lsPaths()
}

func (v *checker) threshold(key string, val int, intervalKey string, interval int) {
	if val < interval {
		v.errorf("log_shipping."+key, "%d minutes is shorter than %s (%d minutes): the alert would fire between two runs", val, intervalKey, interval)
	}
}

func (v *checker) retention(key string, val int) {
	if val < dayMinutes {
		v.errorf("log_shipping."+key, "%d minutes keeps less than a day of log backups; use at least %d", val, dayMinutes)
	}
}

// lsNames checks job and schedule names, given or derived: sysname, no %
// (job names), and not ALL (schedule names).
func (v *checker) lsNames() {
	if v.s.SQL.Primary == nil || v.s.SQL.Primary.FQDN == "" {
		return
	}
	ls := v.s.LogShipping
	for _, n := range []struct{ key, given string }{
		{"backup_job_name", ls.BackupJobName}, {"copy_job_name", ls.CopyJobName}, {"restore_job_name", ls.RestoreJobName},
		{"backup_schedule_name", ls.BackupScheduleName}, {"copy_schedule_name", ls.CopyScheduleName}, {"restore_schedule_name", ls.RestoreScheduleName},
	} {
		if n.given == "" && !v.l.Defined("log_shipping", n.key) {
			continue
		}
		path := "log_shipping." + n.key
		if !v.check(path, checkSysname(n.given)) {
			continue
		}
		if strings.HasSuffix(n.key, "_job_name") && strings.Contains(n.given, "%") {
			v.errorf(path, "%s contains %%, which SQL Server Agent job names may not", diag.Quote(n.given))
		}
		if strings.EqualFold(n.given, "ALL") {
			v.errorf(path, "%s is reserved; choose another name", diag.Quote(n.given))
		}
	}
}

func (v *checker) monitor() {
	m := v.s.LogShipping.Monitor
	if m == nil {
		return
	}
	const p = "log_shipping.monitor"
	if v.required(p+".fqdn", m.FQDN, "the monitor server's host FQDN") && v.check(p+".fqdn", checkFQDN(m.FQDN)) {
		in := m.AsInstance()
		if m.Instance != "" {
			v.check(p+".instance", checkInstanceName(m.Instance))
		}
		v.netbios(p, in)
		for _, r := range site.Roles {
			if o := v.s.SQL.Instance(r.Key); o != nil && o.Key() == in.Key() && (r.Key == "primary" || r.Key == "primary_mirror" || r.Key == "backup") {
				v.errorf(p+".fqdn", "%s is also sql.%s; a log-shipping monitor belongs on an instance that is neither primary nor secondary", in.ServerName(), r.Key)
			}
		}
	}
}

// lsPaths checks that the longest log backup file name fits MAX_PATH in
// the share folder and the copy folder (physical_device_name is
// nvarchar(260)), and where the share lives.
func (v *checker) lsPaths() {
	sh := v.s.Shares
	if sh.LogShipping != "" && checkUNC(sh.LogShipping, maxLSPath) == nil {
		dir := sh.LogShipping + `\mgc`
		for _, f := range []string{dir + `\mgc` + lsFileSuffix, dir + `\mgc_init.bak`} {
			if len(f) > maxDevicePath {
				v.errorf("shares.log_shipping", "log backups would be written as %s (%d characters); backup file paths are limited to %d", diag.Quote(f), len(f), maxDevicePath)
				break
			}
		}
	}
	if sh.CopyDestination != "" && checkLocalPath(sh.CopyDestination, maxLSPath) == nil {
		if f := sh.CopyDestination + `\mgc` + lsFileSuffix; len(f) > maxDevicePath {
			v.errorf("shares.copy_destination", "copied log backups would be %s (%d characters); file paths are limited to %d", diag.Quote(f), len(f), maxDevicePath)
		}
	}
	switch dc := sh.LogShippingDataCenter; dc {
	case "":
	case "primary":
		v.warnf("shares.log_shipping_data_center", "the log-shipping share is in the primary data center: if it is lost with the data center, the last log backups are lost with it. The SQL Server documentation advises a separate server; keep it in the backup data center")
	case "backup":
	default:
		v.errorf("shares.log_shipping_data_center", "%s is not allowed; write primary or backup", diag.Quote(dc))
	}
}
