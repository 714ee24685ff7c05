package render_test

import (
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"testing/fstest"
	"text/template"
	"text/template/parse"
	"time"

	"pchat-hadr/generator/pipeline"
	"pchat-hadr/generator/plan"
	"pchat-hadr/generator/render"
	"pchat-hadr/generator/site"
	"pchat-hadr/templates"
)

// TestFastMatchesTextTemplate renders the example and every valid fixture
// (folders as one run, with their templates/ override folder) through
// Render and RenderRoot twice, with the fast executor and with
// text/template alone, and proves every file of the output the same, byte
// for byte: the scripts, the runbook, the added override templates, the
// MANIFESTs and ROLLOUT.md. A built-in template the fast executor hands
// back to text/template fails the test: its output would still be right,
// but this comparison would prove nothing about it and runs would be
// slower. Every built-in template with a body must be executed by some
// fixture, so that none escapes the comparison.
func TestFastMatchesTextTemplate(t *testing.T) {
	builtin, err := render.New(templates.FS)
	if err != nil {
		t.Fatal(err)
	}
	executed := map[string]bool{}
	for _, c := range fixtureRuns(t) {
		r := builtin
		if c.templates != "" {
			if r, err = render.NewWithOverrides(templates.FS, c.templates, os.DirFS(c.templates)); err != nil {
				t.Fatal(err)
			}
		}
		slow := render.TextTemplateOnly(r)
		plans, rollout := buildPlans(t, c.inputs)
		sites := map[string]string{}
		for i, p := range plans {
			got, err := r.Render(p)
			if err != nil {
				t.Fatalf("%s: %v", c.name, err)
			}
			want, err := slow.Render(p)
			if err != nil {
				t.Fatalf("%s: text/template: %v", c.name, err)
			}
			sameFiles(t, c.name, got, want)
			sites[fmt.Sprintf("site-%d", i)] = got[len(got)-1].Sum
			for _, f := range p.Files {
				executed[f.Template] = true
			}
		}
		got, err := r.RenderRoot(rollout, sites)
		if err != nil {
			t.Fatalf("%s: %v", c.name, err)
		}
		want, err := slow.RenderRoot(rollout, sites)
		if err != nil {
			t.Fatalf("%s: text/template: %v", c.name, err)
		}
		sameFiles(t, c.name, got, want)
		// Which templates, if any, the fast executor left to text/template.
		for _, j := range jobs(t, c.inputs) {
			if _, ok, _, _ := render.ExecuteBoth(r, j.template, j.data); !ok {
				if _, over := overridden(r)[j.template]; over {
					t.Logf("%s: %s (an override): executed by text/template", c.name, j.template)
				} else {
					t.Errorf("%s: %s: the fast executor leaves this built-in template to text/template", c.name, j.template)
				}
			}
		}
	}
	executed["runbook.md.tmpl"], executed["rollout.md.tmpl"] = true, true
	// Not executed by a Renderer: package collector renders the collector
	// with text/template itself, and no plan names clean-secondary (a
	// template main carries unused since the operations were written).
	executed["ps/collector/collect.ps1.tmpl"], executed["sql/dr/clean-secondary.sql.tmpl"] = true, true
	paths, err := render.List(templates.FS)
	if err != nil {
		t.Fatal(err)
	}
	for _, p := range paths {
		if !executed[p] && hasBody(t, p) {
			t.Errorf("%s: no fixture renders this template; add one so the fast executor is compared on it", p)
		}
	}
}

// sameFiles fails unless two renders hold the same files, byte for byte.
func sameFiles(t *testing.T, name string, got, want []render.File) {
	t.Helper()
	if len(got) != len(want) {
		t.Errorf("%s: %d files with the fast executor, %d with text/template", name, len(got), len(want))
		return
	}
	for i := range got {
		if got[i].Path != want[i].Path || string(got[i].Data) != string(want[i].Data) || got[i].Sum != want[i].Sum {
			t.Errorf("%s: %s: the fast executor's output differs from text/template's", name, want[i].Path)
		}
	}
}

func overridden(r *render.Renderer) map[string]bool {
	out := map[string]bool{}
	for _, o := range r.Overrides() {
		out[o.Path] = true
	}
	return out
}

// hasBody reports whether a built-in template file prints anything of
// its own, rather than only defining partials for other templates.
func hasBody(t *testing.T, path string) bool {
	text, err := templates.FS.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	tmpl, err := template.New(path).Funcs(render.Funcs()).Parse(string(text))
	if err != nil {
		t.Fatal(err)
	}
	for _, n := range tmpl.Tree.Root.Nodes {
		if tn, ok := n.(*parse.TextNode); !ok || strings.TrimSpace(string(tn.Text)) != "" {
			return true
		}
	}
	return false
}

// TestFastErrorsAreTextTemplates: a template that fails (missingkey=error,
// a function's error) fails with text/template's message, naming the
// user's file, whichever executor started; a construct the fast executor
// does not handle is rendered by text/template.
func TestFastErrorsAreTextTemplates(t *testing.T) {
	plans, _ := buildPlans(t, fixtureRuns(t)[0].inputs)
	const target = "sql/mirroring/verify.sql.tmpl"
	cases := []struct{ name, text, wantErr string }{
		{"missing key", `{{ .NoSuchField }}`, `can't evaluate field NoSuchField`},
		{"missing key in a partial", `{{ define "mine" }}{{ .Nope }}{{ end }}{{ template "mine" . }}`, `can't evaluate field Nope`},
		{"missing key after a match", `{{ if eq 1 1 .Nope }}x{{ end }}`, `can't evaluate field Nope`},
		{"function error", `{{ fail "stopped by the override" }}`, `stopped by the override`},
		{"quoting refuses", `{{ sqlIdent "" }}`, `error calling sqlIdent`},
		{"unsupported constructs", `{{ slice "abcdef" 1 3 }} {{ 1.5 }} {{ 0x10 }} {{ html "<a>" }} {{ range 3 }}{{ . }}{{ end }}`, ""},
	}
	for _, c := range cases {
		overlay := fstest.MapFS{target: {Data: []byte(c.text)}}
		r, err := render.NewWithOverrides(templates.FS, "my-templates", overlay)
		if err != nil {
			t.Fatalf("%s: %v", c.name, err)
		}
		_, fastErr := r.Render(plans[0])
		_, slowErr := render.TextTemplateOnly(r).Render(plans[0])
		switch {
		case (fastErr == nil) != (slowErr == nil):
			t.Errorf("%s: fast executor: %v; text/template: %v", c.name, fastErr, slowErr)
		case fastErr != nil && fastErr.Error() != slowErr.Error():
			t.Errorf("%s: errors differ:\nfast executor %v\ntext/template %v", c.name, fastErr, slowErr)
		case c.wantErr != "" && (fastErr == nil || !strings.Contains(fastErr.Error(), c.wantErr) || !strings.Contains(fastErr.Error(), "my-templates/"+target)):
			t.Errorf("%s: got %v, want an error naming my-templates/%s with %q", c.name, fastErr, target, c.wantErr)
		case c.wantErr == "" && fastErr != nil:
			t.Errorf("%s: %v", c.name, fastErr)
		}
		if fastErr == nil {
			before := r.Fallbacks()
			got, _ := r.Render(plans[0])
			want, _ := render.TextTemplateOnly(r).Render(plans[0])
			sameFiles(t, c.name, got, want)
			if r.Fallbacks() == before {
				t.Errorf("%s: the fast executor did not hand the override to text/template", c.name)
			}
		}
	}
}

type fixtureRun struct {
	name      string
	inputs    []pipeline.Input
	templates string // --templates folder, if any
}

// fixtureRuns returns the example and every valid fixture, a folder of
// fixtures being one run.
func fixtureRuns(t *testing.T) []fixtureRun {
	ex, err := templates.FS.ReadFile(templates.ExampleSite)
	if err != nil {
		t.Fatal(err)
	}
	runs := []fixtureRun{{name: "example", inputs: []pipeline.Input{{File: "example.toml", Data: ex}}}}
	root := filepath.Join("..", "..", "fixtures")
	entries, err := os.ReadDir(root)
	if err != nil {
		t.Fatal(err)
	}
	for _, e := range entries {
		if strings.HasPrefix(e.Name(), "bad-") {
			continue
		}
		run := fixtureRun{name: e.Name()}
		var files []string
		if e.IsDir() {
			files, _ = filepath.Glob(filepath.Join(root, e.Name(), "*.toml"))
			more, _ := filepath.Glob(filepath.Join(root, e.Name(), "*", "*.toml"))
			files = append(files, more...)
			if info, err := os.Stat(filepath.Join(root, e.Name(), "templates")); err == nil && info.IsDir() {
				run.templates = filepath.Join(root, e.Name(), "templates")
			}
		} else if strings.HasSuffix(e.Name(), ".toml") {
			files = []string{filepath.Join(root, e.Name())}
		}
		for _, f := range files {
			data, err := os.ReadFile(f)
			if err != nil {
				t.Fatal(err)
			}
			if !site.IsDefaults(data) {
				run.inputs = append(run.inputs, pipeline.Input{File: f, Data: data, Read: os.ReadFile})
			}
		}
		if len(run.inputs) > 0 {
			runs = append(runs, run)
		}
	}
	return runs
}

// buildPlans validates a run's inputs and plans each site, with the
// rollout of the run.
func buildPlans(t *testing.T, inputs []pipeline.Input) ([]*plan.Plan, plan.Rollout) {
	loaded, probs := pipeline.Validate(inputs)
	if len(probs.Errors()) > 0 {
		t.Fatalf("%v", probs)
	}
	var plans []*plan.Plan
	var sites []*site.Site
	var names []string
	for i, l := range loaded {
		p, err := plan.Build(&l.Site, filepath.Base(inputs[i].File))
		if err != nil {
			t.Fatal(err)
		}
		plans = append(plans, p)
		sites, names = append(sites, &l.Site), append(names, inputs[i].File)
	}
	return plans, plan.BuildRollout(sites, names)
}

type job struct {
	template string
	data     any
}

// jobs lists every template execution a run makes: each site's files and
// runbook, then the rollout.
func jobs(t *testing.T, inputs []pipeline.Input) []job {
	loaded, probs := pipeline.Validate(inputs)
	if len(probs.Errors()) > 0 {
		t.Fatalf("%v", probs)
	}
	var out []job
	var sites []*site.Site
	var names []string
	for i, l := range loaded {
		p, err := plan.Build(&l.Site, filepath.Base(inputs[i].File))
		if err != nil {
			t.Fatal(err)
		}
		for _, f := range p.Files {
			out = append(out, job{f.Template, f.Data})
		}
		out = append(out, job{"runbook.md.tmpl", render.Runbook{Plan: p}})
		sites, names = append(sites, &l.Site), append(names, inputs[i].File)
	}
	return append(out, job{"rollout.md.tmpl", plan.BuildRollout(sites, names)})
}

// TestFastSemantics runs small templates through both executors: where
// the fast one finishes, its output must be text/template's, and where
// text/template fails, the fast one must give up.
func TestFastSemantics(t *testing.T) {
	type item struct {
		Name string
		N    int
		On   bool
		Tags []string
	}
	type data struct {
		S      string
		P      *item
		Nil    *item
		Items  []item
		Map    map[string]int
		Empty  []item
		NoMap  map[string]int
		Any    any
		Fn     func() string
		hidden string
	}
	d := data{S: "it's", P: &item{Name: "p", N: 2}, Items: []item{{"a", 1, true, []string{"x", "y"}}, {"b", 0, false, nil}, {"c", 3, true, []string{"z"}}},
		Map: map[string]int{"b": 2, "a": 1, "c": 3}, Any: "inside", hidden: "h"}
	cases := []string{
		`{{ .S }} {{ psString .S }} {{ .P.Name }} {{ .P.N }} {{ .Items }}`,
		`{{ range $i, $v := .Items }}{{ $i }}={{ $v.Name }}{{ if $v.On }}+{{ else }}-{{ end }}{{ end }}`,
		`{{ range .Items }}{{ if not .On }}{{ continue }}{{ end }}{{ .Name }}{{ range .Tags }}<{{ . }}>{{ if eq . "x" }}{{ break }}{{ end }}{{ end }}{{ end }}`,
		`{{ range $k, $v := .Map }}{{ $k }}:{{ $v }},{{ end }}{{ range .Map }}{{ . }}{{ end }}`,
		`{{ range .Empty }}x{{ else }}empty{{ end }}{{ range .Items }}{{ else }}no{{ end }}{{ range $k, $v := .NoMap }}{{ else }}none{{ end }}`,
		`{{ range .Nil }}x{{ end }}`,
		`{{ with .P }}{{ .Name }}{{ end }}{{ with .Nil }}x{{ else }}none{{ end }}{{ with $x := .S }}{{ $x }}{{ end }}`,
		`{{ $a := 1 }}{{ if true }}{{ $a = 2 }}{{ $b := 3 }}{{ $b }}{{ end }}{{ $a }}`,
		`{{ and .S .P.N 0 }} {{ or 0 "" .S }} {{ and 1 }} {{ or .Nil .P }}{{ not .S }} {{ len .Items }} {{ len .S }}`,
		`{{ index .Items 1 }} {{ index .Map "b" }} {{ index .Map "zz" }} {{ (index .Items 2).Name }}`,
		`{{ eq .P.N 2 }} {{ eq .S "a" "it's" }} {{ ne 1 2 }} {{ lt 1 2 }} {{ le 2 2 }} {{ gt "b" "a" }} {{ ge 1 2 }} {{ eq true true }}`,
		`{{ printf "%s-%d-%v" .S .P.N .Items }} {{ print 1 "a" .S }} {{ println .S }}{{ .S | printf "%q" }}`,
		`{{ add 1 2 }} {{ sub 5 .P.N }} {{ mul 2 3 }} {{ list 1 "a" }} {{ join "," (list "a" "b") }} {{ default "d" "" }} {{ dict "a" 1 }}`,
		`{{ upper .S }} {{ lower "AB" }} {{ trimSuffix ".x" "a.x" }} {{ replace "a" "b" "aaa" }} {{ base "a/b" }} {{ mermaid "a" "b\"" }}`,
		`{{ .S | psString }} {{ "x" | upperFirst }} {{ .Any }} {{ psString .Any }} {{ $.S }}`,
		`{{ define "p" }}[{{ . }}|{{ $ }}]{{ end }}{{ template "p" .S }}{{ template "p" }}{{ range .Items }}{{ template "p" .Name }}{{ end }}`,
		`{{ .Nil.Name }}`,
		`{{ .Missing }}`,
		`{{ eq .S "it's" .Missing }}`,
		`{{ eq .S "it's" .Map.zz }}`,
		`{{ ne .S .Missing }}`,
		`{{ printf "%s" .Missing }}`,
		`{{ .Map.zz }}`,
		`{{ .Map.a }}`,
		`{{ .hidden }}`,
		`{{ psString 1 }}`,
		`{{ psString .P.N }}`,
		`{{ fail "stop" }}`,
		`{{ .Fn }}`,
		`{{ lt true false }}`,
		`{{ eq 1 "a" }}`,
		`{{ index .Items 5 }}`,
		`{{ sqlIdent "" }}`,
		`{{ 1.5 }} {{ 0x10 }} {{ 'a' }}`,
		`{{ len .Nil }}`,
		`{{ template "nope" }}`,
	}
	for _, text := range cases {
		tmpl, err := template.New("t").Funcs(render.Funcs()).Option("missingkey=error").Parse(text)
		if err != nil {
			if !strings.Contains(text, "nope") {
				t.Errorf("%s: %v", text, err)
			}
			continue
		}
		fast, ok, slow, err := render.ExecuteTemplate(tmpl, d)
		switch {
		case err != nil && ok:
			t.Errorf("%s: text/template fails (%v) but the fast executor finished with %q", text, err, fast)
		case ok && string(fast) != string(slow):
			t.Errorf("%s:\nfast %q\ntext/template %q", text, fast, slow)
		}
	}
}

// BenchmarkExecute renders the example site's files with the fast
// executor and with text/template alone, alternately in one run: the
// ratio of the two is the fast executor's gain.
func BenchmarkExecute(b *testing.B) {
	fast, s := exampleSite(b)
	p, err := plan.Build(s, "example.toml")
	if err != nil {
		b.Fatal(err)
	}
	var took [2]time.Duration
	for b.Loop() {
		for i, r := range []*render.Renderer{fast, render.TextTemplateOnly(fast)} {
			start := time.Now()
			if _, err := r.Render(p); err != nil {
				b.Fatal(err)
			}
			took[i] += time.Since(start)
		}
	}
	b.ReportMetric(float64(took[0].Microseconds())/float64(b.N)/1000, "fast-ms/op")
	b.ReportMetric(float64(took[1].Microseconds())/float64(b.N)/1000, "text-template-ms/op")
	b.ReportMetric(float64(took[1])/float64(took[0]), "x-faster")
}
