package e2e

import (
	"path"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
)

// scriptRef finds the file names a PowerShell script quotes: the .sql and
// .ps1 files it runs, relative to its own folder ($PSScriptRoot), and the
// commands it names for the operator, which start with .\ and are
// relative to the site folder (the runbook runs everything from there).
var scriptRef = regexp.MustCompile(`'([^'\s]+\.(?:sql|ps1))'`)

// TestScriptsFindTheirFiles requires every .sql or .ps1 file that a
// generated orchestrator names to exist where the orchestrator will look
// for it, in every golden tree: a wrong relative path only shows on the day
// the script is run.
func TestScriptsFindTheirFiles(t *testing.T) {
	trees, _ := filepath.Glob("golden/*/MANIFEST")
	for _, m := range trees {
		files := readTree(t, filepath.Dir(m))
		for name, data := range files {
			if path.Ext(name) != ".ps1" {
				continue
			}
			for _, ref := range scriptRef.FindAllStringSubmatch(string(data), -1) {
				ref1 := strings.ReplaceAll(ref[1], `\`, "/")
				target := path.Clean(path.Join(path.Dir(name), ref1))
				if strings.HasPrefix(ref1, "./") {
					// The site folder holds the family folder the script is in.
					target = path.Clean(path.Join(path.Dir(path.Dir(name)), ref1))
				}
				if _, ok := files[target]; !ok {
					t.Errorf("%s/%s names %s, which is not at %s", filepath.Dir(m), name, ref[1], target)
				}
			}
		}
	}
}
