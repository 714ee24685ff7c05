package render

import (
	"testing"

	"pchat-hadr/generator/manifest"
)

// TestRootManifestMatchesBuildSums proves that the root MANIFEST lists
// the files in manifest.BuildSums's order, for site names that are
// prefixes of one another and a root file that sorts between folders.
func TestRootManifestMatchesBuildSums(t *testing.T) {
	sites := map[string][]File{}
	sums := map[string]string{}
	n := 0
	for _, name := range []string{"a", "a-b", "a0", "ab", "z", "site-1", "site"} {
		for _, p := range []string{"RUNBOOK.md", "MANIFEST", "sql/x.sql", "sql-b/y.sql", "a", "Z.md"} {
			n++
			sum := manifest.Sum([]byte{byte(n)})
			sites[name] = append(sites[name], File{Path: p, Sum: sum})
			sums[name+"/"+p] = sum
		}
	}
	for _, own := range []string{RolloutName, "0-first.md", "~last"} {
		f := File{Path: own, Sum: manifest.Sum([]byte(own))}
		all := map[string]string{f.Path: f.Sum}
		for k, v := range sums {
			all[k] = v
		}
		notes := []string{"template replaced: x  y"}
		got := rootManifest("7 site file(s)", f, sites, notes)
		if want := manifest.BuildSums("7 site file(s)", all, notes...); string(got) != string(want) {
			t.Errorf("root file %s:\n%s\nwant\n%s", own, got, want)
		}
	}
}
