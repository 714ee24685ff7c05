package render_test

import (
	"sort"
	"testing"
	"time"

	"pchat-hadr/generator/pipeline"
	"pchat-hadr/generator/plan"
	"pchat-hadr/generator/render"
	"pchat-hadr/generator/site"
	"pchat-hadr/templates"
)

// exampleSite returns the built-in renderer and the example site,
// validated, for the benchmarks.
func exampleSite(tb testing.TB) (*render.Renderer, *site.Site) {
	tb.Helper()
	r, err := render.New(templates.FS)
	if err != nil {
		tb.Fatal(err)
	}
	ex, err := templates.FS.ReadFile(templates.ExampleSite)
	if err != nil {
		tb.Fatal(err)
	}
	loaded, probs := pipeline.Validate([]pipeline.Input{{File: "example.toml", Data: ex}})
	if len(probs.Errors()) > 0 {
		tb.Fatal(probs)
	}
	return r, &loaded[0].Site
}

// BenchmarkTemplateCost tells where a site's CPU goes (docs/performance.md):
// planning the example site, then each template over every file it
// renders in the site (execution, line ends and BOM), with the share of
// the site's render time and of its bytes:
//
//	go test ./generator/render -run '^$' -bench TemplateCost -benchtime 30x -v
//
// Each is reported as a metric of the benchmark (ms per site, % of the
// render, ns per output byte) and the whole as ns/op.
func BenchmarkTemplateCost(b *testing.B) {
	r, s := exampleSite(b)
	took := map[string]time.Duration{}
	size := map[string]int{}
	var planned time.Duration
	for b.Loop() {
		start := time.Now()
		p, err := plan.Build(s, "example.toml")
		if err != nil {
			b.Fatal(err)
		}
		planned += time.Since(start)
		run := func(path, name string, data any) {
			start := time.Now()
			out, err := render.ExecuteFile(r, path, name, data)
			if err != nil {
				b.Fatal(err)
			}
			took[name] += time.Since(start)
			size[name] += len(out)
		}
		for _, f := range p.Files {
			run(f.Path, f.Template, f.Data)
		}
		run(render.RunbookName, "runbook.md.tmpl", render.Runbook{Plan: p})
	}
	var names []string
	var total time.Duration
	var bytes int
	for n := range took {
		names = append(names, n)
		total += took[n]
		bytes += size[n]
	}
	sort.Slice(names, func(i, j int) bool { return took[names[i]] > took[names[j]] })
	perSite := func(d time.Duration) float64 { return float64(d.Microseconds()) / float64(b.N) / 1000 }
	b.ReportMetric(perSite(planned), "plan-ms/site")
	b.ReportMetric(perSite(total), "render-ms/site")
	b.ReportMetric(float64(bytes)/float64(b.N)/1024, "KB/site")
	for _, n := range names {
		b.Logf("%-44s %6.2f ms/site %5.1f%% of render %5.1f%% of bytes %5.1f ns/B",
			n, perSite(took[n]), 100*float64(took[n])/float64(total), 100*float64(size[n])/float64(bytes), float64(took[n])/float64(size[n]))
	}
}
