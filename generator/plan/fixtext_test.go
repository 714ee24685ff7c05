package plan

import (
	"math/rand"
	"regexp"
	"testing"
)

// scriptPattern is the expression FixText's scan replaced: the reference
// it is held to.
var scriptPattern = regexp.MustCompile(`(^|[\s(:])([a-z0-9-]+/[0-9]{2}-[a-z0-9-]+\.ps1)\b`)

func fixTextByPattern(fix string) string {
	return scriptPattern.ReplaceAllStringFunc(fix, func(s string) string {
		m := scriptPattern.FindStringSubmatch(s)
		return m[1] + `.\` + winPath(m[2])
	})
}

// TestFixTextMatchesPattern compares the scan with the expression on the
// edge cases of each part of the pattern and on random texts made of the
// characters the pattern cares about.
func TestFixTextMatchesPattern(t *testing.T) {
	cases := []string{
		"", "run dr-failover/30-dr-failover.ps1", "dr-failover/30-dr-failover.ps1 first",
		"(mirroring/70-reseed-mirror.ps1 -From Primary)", "first: a/01-b.ps1; then c/02-d.ps1.",
		"x/a/01-b.ps1", "a/1-b.ps1", "a/01b.ps1", "a/01-.ps1", "/01-b.ps1", "a/01-b.ps1x", "a/01-b.ps1_",
		"a/01-b.ps1-", "a/01-b.ps1.", "A/01-b.ps1", "a/01-B.ps1", "a/01-b.ps1:c/02-d.ps1", "\ta/01-b.ps1\n",
		"\va/01-b.ps1", ".ps1", "a/01-b.ps1.ps1", "a/01-b/c.ps1", "Topology Builder: publish", "é a/01-b.ps1 é",
	}
	for _, c := range cases {
		if got, want := FixText(c), fixTextByPattern(c); got != want {
			t.Errorf("FixText(%q) = %q, want %q", c, got, want)
		}
	}
	alphabet := []string{"a", "z", "0", "9", "-", "/", ".ps1", "ps1", ".", " ", "(", ":", "\t", "_", "B", "x/", "01-", "é", "\\"}
	rng := rand.New(rand.NewSource(1))
	for i := 0; i < 200000; i++ {
		var b []byte
		for n := rng.Intn(12); n >= 0; n-- {
			b = append(b, alphabet[rng.Intn(len(alphabet))]...)
		}
		if got, want := FixText(string(b)), fixTextByPattern(string(b)); got != want {
			t.Fatalf("FixText(%q) = %q, want %q", b, got, want)
		}
	}
}
