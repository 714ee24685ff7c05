package plan

import (
	"testing"

	"pchat-hadr/generator/site"
	"pchat-hadr/templates"
)

// BenchmarkBuild plans the example site, as a run of one site does before
// it renders (docs/performance.md, fifth round): with -benchmem, the bytes
// a plan allocates, each of them a fresh page's worth in a run that never
// collects.
func BenchmarkBuild(b *testing.B) {
	data, err := templates.FS.ReadFile(templates.ExampleSite)
	if err != nil {
		b.Fatal(err)
	}
	l, probs := site.Load("example.toml", data, nil)
	if l == nil {
		b.Fatal(probs)
	}
	l.ApplyDefaults()
	for b.Loop() {
		if _, err := Build(&l.Site, "example.toml"); err != nil {
			b.Fatal(err)
		}
	}
}
