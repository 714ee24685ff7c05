package model

import "testing"

// A seed stays usable until the log is truncated: a full backup or a
// COPY_ONLY log backup after it truncates nothing, a log backup that is
// not COPY_ONLY (the log-shipping or log backup job) does (DBA review 4,
// finding 5: a nightly full backup forced a needless re-seed). The log
// backup must go with the newest full backup to the seed's .bak, and a
// restore replaces the database (DBA review of stop 16, finding 2: times
// let an older .trn qualify after a new .bak whose log backup failed).
func TestSeedUsableUntilTheLogIsTruncated(t *testing.T) {
	m := &Model{Site: NewSite(planOf(t, "example"))}
	s := m.Site.Fresh()
	i := m.Site.Index["primary"]
	share := m.Site.Plan.Site.Shares.MirroringSeed
	bak, trn := share+`\mgc.bak`, share+`\mgc.trn`
	in := s.Inst[i]
	usable := func() bool { return seedUsable(s.Hist, in, "mgc", trn) }
	must := func(err error) {
		t.Helper()
		if err != nil {
			t.Fatal(err)
		}
	}
	in.DBs["mgc"].Full = true
	if usable() {
		t.Fatal("usable with no seed taken")
	}
	must(s.BackupDatabase(i, "mgc", bak, false))
	s.logRecord(i, "mgc", true)
	must(s.BackupLog(i, "mgc", trn, false, true))
	if !usable() {
		t.Fatal("the seed just taken is not usable")
	}
	s.logRecord(i, "mgc", true)
	must(s.BackupDatabase(i, "mgc", share+`\nightly.bak`, false))
	must(s.BackupLog(i, "mgc", share+`\adhoc.trn`, false, true))
	if !usable() {
		t.Error("a full backup or a COPY_ONLY log backup after the seed made it unusable")
	}
	must(s.BackupLog(i, "mgc", share+`\mgc_5.trn`, false, false))
	if usable() {
		t.Error("a log backup that truncates the log did not make the seed unusable")
	}
	must(s.BackupDatabase(i, "mgc", bak, true))
	must(s.BackupLog(i, "mgc", trn, false, true))
	if !usable() {
		t.Error("a new seed after the log backup is not usable")
	}
	s.logRecord(i, "mgc", true)
	must(s.BackupDatabase(i, "mgc", bak, true))
	if usable() {
		t.Error("an older seed log backup goes with a newer full backup of the seed")
	}
	must(s.BackupLog(i, "mgc", trn, false, true))
	if !usable() {
		t.Error("the seed taken again is not usable")
	}
	must(s.RestoreDatabase(i, "mgc", share+`\nightly.bak`, true, true))
	if usable() {
		t.Error("a seed taken before a restore is still usable")
	}
}
