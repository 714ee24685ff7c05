package model

import "testing"

// A seed stays usable until the log is truncated: a full backup or a
// COPY_ONLY log backup after it truncates nothing, a log backup that is
// not COPY_ONLY (the log-shipping or log backup job) does, and a restore
// replaces the database (DBA review 4, finding 5: a nightly full backup
// forced a needless re-seed).
func TestSeedUsableUntilTheLogIsTruncated(t *testing.T) {
	const seed = `\\fs\seed\mgc.trn`
	in := &Instance{}
	add := func(kind, path string, copyOnly bool, at int) {
		in.Backups = append(in.Backups, BackupRecord{DB: "mgc", Kind: kind, Path: path, Time: at, CopyOnly: copyOnly})
	}
	if seedUsable(in, "mgc", seed) {
		t.Fatal("usable with no seed taken")
	}
	add("D", `\\fs\seed\mgc.bak`, true, 1)
	add("L", seed, true, 2)
	if !seedUsable(in, "mgc", seed) {
		t.Fatal("the seed just taken is not usable")
	}
	add("D", `\\nightly\mgc.bak`, false, 3)
	add("L", `\\adhoc\mgc.trn`, true, 4)
	if !seedUsable(in, "mgc", seed) {
		t.Error("a full backup or a COPY_ONLY log backup after the seed made it unusable")
	}
	add("L", `\\logship\mgc_5.trn`, false, 5)
	if seedUsable(in, "mgc", seed) {
		t.Error("a log backup that truncates the log did not make the seed unusable")
	}
	add("L", seed, true, 6)
	if !seedUsable(in, "mgc", seed) {
		t.Error("a new seed after the log backup is not usable")
	}
	in.Restores = append(in.Restores, RestoreRecord{DB: "mgc", Kind: "D", Path: `\\x.bak`, Time: 7})
	if seedUsable(in, "mgc", seed) {
		t.Error("a seed taken before a restore is still usable")
	}
}
