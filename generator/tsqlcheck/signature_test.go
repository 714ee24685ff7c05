package tsqlcheck

import (
	"os"
	"strings"
	"testing"
)

func loadCatalogue(t *testing.T) Catalogue {
	t.Helper()
	data, err := os.ReadFile("testdata/signatures.txt")
	if err != nil {
		t.Fatal(err)
	}
	cat, err := ParseCatalogue(data)
	if err != nil {
		t.Fatal(err)
	}
	return cat
}

// TestCatalogueCoverage keeps the catalogue to the procedures the brief
// and the domain reference name, with the internal parameters refused.
func TestCatalogueCoverage(t *testing.T) {
	cat := loadCatalogue(t)
	for _, p := range strings.Fields(`sp_add_log_shipping_primary_database sp_add_log_shipping_primary_secondary
		sp_add_log_shipping_secondary_primary sp_add_log_shipping_secondary_database
		sp_change_log_shipping_primary_database sp_change_log_shipping_secondary_primary
		sp_change_log_shipping_secondary_database sp_add_log_shipping_alert_job
		sp_delete_log_shipping_primary_secondary sp_delete_log_shipping_primary_database
		sp_delete_log_shipping_secondary_database sp_delete_log_shipping_secondary_primary
		sp_add_schedule sp_update_schedule sp_attach_schedule sp_update_job sp_start_job`) {
		if cat.Procs[p] == nil {
			t.Errorf("%s is not catalogued", p)
		}
	}
	if cat.Refused["@overwrite"] == "" || cat.Refused["@ignoreremotemonitor"] == "" {
		t.Error("@overwrite and @ignoreremotemonitor must be refused")
	}
}

// TestCheckSignatures proves each signature rule fires on a broken call and
// stays quiet on a correct one (want empty).
func TestCheckSignatures(t *testing.T) {
	cat := loadCatalogue(t)
	const sched = "EXEC @rc = msdb.dbo.sp_add_schedule\n    @schedule_name = N'LSBackupSchedule_X_mgc',\n    @enabled = 1,\n    @freq_type = 4,\n    @freq_interval = 1,\n    @freq_subday_type = 4,\n    @freq_subday_interval = 15,\n    @freq_relative_interval = 0,\n    @freq_recurrence_factor = 0,\n    @active_start_date = 20000101,\n    @active_end_date = 99991231,\n    @active_start_time = 0,\n    @active_end_time = 235900,\n    @schedule_id = @sid OUTPUT;"
	const ps = "EXEC @rc = master.dbo.sp_add_log_shipping_primary_secondary @primary_database = N'mgc', @secondary_server = N'SQL03\\RTC'"
	cases := []struct{ name, src, want, pos string }{
		{"sp_add_schedule as generated", sched, "", ""},
		{"alert job without arguments", "EXEC @rc = master.dbo.sp_add_log_shipping_alert_job;", "", ""},
		{"uncatalogued procedure", "EXEC dbo.whatever 1, 2;", "", ""},
		{"dynamic EXEC", "EXEC (@sql);", "", ""},
		{"unknown parameter on sp_add_schedule", "EXEC msdb.dbo.sp_add_schedule @schedule_name = N'x', @freq_typ = 4;", "sp_add_schedule has no parameter @freq_typ", "1:54"},
		{"missing required Agent parameter", "EXEC msdb.dbo.sp_add_schedule @enabled = 1;", "sp_add_schedule needs @schedule_name", "1:6"},
		{"missing required log-shipping parameter", ps + ";", "sp_add_log_shipping_primary_secondary needs @secondary_database", "1:12"},
		{"log-shipping call complete", ps + ", @secondary_database = N'mgc';", "", ""},
		{"@overwrite = 1 refused", ps + ", @secondary_database = N'mgc', @overwrite = 1;", "@overwrite must not be passed to sp_add_log_shipping_primary_secondary: internal and unsupported", "1:153"},
		{"@ignoreremotemonitor refused", "EXEC master.dbo.sp_delete_log_shipping_primary_database @database = N'mgc', @ignoreremotemonitor = 1;", "@ignoreremotemonitor must not be passed", "1:77"},
		{"positional argument", "EXEC msdb.dbo.sp_start_job N'LSCopy_X_mgc';", "argument 1 of sp_start_job is passed by position", "1:28"},
		{"positional argument leaves required missing", "EXEC msdb.dbo.sp_start_job N'LSCopy_X_mgc';", "sp_start_job needs @job_id or @job_name", "1:6"},
		{"parameter passed twice", "EXEC msdb.dbo.sp_update_job @job_id = @job, @enabled = 1, @enabled = 0;", "@enabled is passed twice to sp_update_job", "1:59"},
		{"either/or both passed", "EXEC msdb.dbo.sp_attach_schedule @job_id = @job, @job_name = N'j', @schedule_id = @sid;", "@job_id and @job_name exclude each other", "1:50"},
		{"msdb procedure unqualified", "EXEC sp_update_job @job_id = @job, @enabled = 1;", "call sp_update_job as msdb.dbo.sp_update_job: it lives in msdb", "1:6"},
		{"parameter case", "EXEC msdb.dbo.sp_update_job @Job_Id = @job, @enabled = 1;", "write @Job_Id as @job_id", "1:29"},
		{"SQL Server 2025 parameter", "EXEC master.dbo.sp_delete_log_shipping_secondary_primary @primary_server = N'S', @primary_database = N'mgc', @secondary_connection_options = N'x';", "has no parameter @secondary_connection_options", "1:110"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			probs := CheckSignatures("t.sql", crlf(c.src), cat)
			if c.want == "" {
				if len(probs) > 0 {
					t.Fatalf("want no problem, got:\n%s", ProblemList(probs).Error())
				}
				return
			}
			want := "t.sql:" + c.pos + ": "
			for _, p := range probs {
				if strings.HasPrefix(p.String(), want) && strings.Contains(p.Message, c.want) {
					return
				}
			}
			t.Fatalf("want %s...%s, got:\n%s", want, c.want, ProblemList(probs).Error())
		})
	}
}

func TestParseCatalogueErrors(t *testing.T) {
	for src, want := range map[string]string{
		"msdb.dbo.sp_x schedule_name!":    `line 1: "schedule_name" is not a parameter name`,
		"msdb.dbo.sp_x @a\ndbo.sp_x @b":   "line 2: sp_x is catalogued twice",
		"# c\nrefuse @overwrite internal": `line 2: refuse needs ": reason"`,
	} {
		if _, err := ParseCatalogue([]byte(src)); err == nil || err.Error() != want {
			t.Errorf("%q: got %v, want %s", src, err, want)
		}
	}
}
