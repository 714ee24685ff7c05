package plan

import "testing"

// TestSameSubjectIsSubjectEquality holds the allocation-free comparison to
// the joined strings it replaces, including parts that hold the separator.
func TestSameSubjectIsSubjectEquality(t *testing.T) {
	pri, mir := &Target{Role: "primary"}, &Target{Role: "mirror"}
	preds := []Pred{
		{Kind: "k"}, {Kind: "k", On: pri}, {Kind: "k", On: mir}, {Kind: "k", DB: "mgc"},
		{Kind: "k", DB: "a/b"}, {Kind: "k", DB: "a", Arg: "b"}, {Kind: "k", DB: "a", Arg: "b/"},
		{Kind: "k", DB: "a/", Arg: "b"}, {Kind: "k", DB: "a", Arg: "/b"}, {Kind: "k/shell"},
		{Kind: "k", Arg: "x", Arg2: "y"}, {Kind: "k", Arg: "x/y"}, {Kind: "k", Arg: "x", Arg2: "y", Want: []string{"w"}},
		{Kind: "j", DB: "mgc"}, {Kind: "k", On: pri, DB: "mgc", Arg: `\\share\x`, Arg2: "restored"},
	}
	for _, p := range preds {
		for _, q := range preds {
			if got, want := sameSubject(p, q), p.Subject() == q.Subject(); got != want {
				t.Errorf("sameSubject(%q, %q) = %v, want %v", p.Subject(), q.Subject(), got, want)
			}
		}
	}
}
