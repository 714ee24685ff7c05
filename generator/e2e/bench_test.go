package e2e

import (
	"fmt"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"pchat-hadr/generator/output"
	"pchat-hadr/generator/pipeline"
	"pchat-hadr/generator/render"
	"pchat-hadr/templates"
)

// siteInputs makes n distinct sites from the example: same topology,
// different names, pools, instances and shares (each site's hosts live in
// a DNS subdomain of its own), as a rollout of many sites would look.
func siteInputs(tb testing.TB, n int) []pipeline.Input {
	tb.Helper()
	ex, err := templates.FS.ReadFile(templates.ExampleSite)
	if err != nil {
		tb.Fatal(err)
	}
	inputs := make([]pipeline.Input, n)
	for i := range inputs {
		name := fmt.Sprintf("site-%04d", i)
		text := strings.Replace(string(ex), `name = "contoso-na"`, `name = "`+name+`"`, 1)
		text = strings.ReplaceAll(text, ".contoso.com", "."+name+".contoso.com")
		inputs[i] = pipeline.Input{File: name + ".toml", Data: []byte(text)}
	}
	return inputs
}

func renderRun(tb testing.TB, r *render.Renderer, inputs []pipeline.Input) ([]pipeline.Result, []render.File) {
	results, probs, err := pipeline.Render(inputs, r)
	if err != nil || len(probs.Errors()) > 0 {
		tb.Fatalf("render: %v %v", err, probs)
	}
	root, err := pipeline.Root(results, r)
	if err != nil {
		tb.Fatal(err)
	}
	return results, root
}

// BenchmarkRender measures load, validate, plan and render, in memory, for
// a run of 1, 100 and 1,000 sites. Templates are parsed once, outside.
func BenchmarkRender(b *testing.B) {
	r, err := render.New(templates.FS)
	if err != nil {
		b.Fatal(err)
	}
	for _, n := range []int{1, 100, 1000} {
		inputs := siteInputs(b, n)
		b.Run(fmt.Sprintf("sites=%d", n), func(b *testing.B) {
			b.ReportAllocs()
			for b.Loop() {
				renderRun(b, r, inputs)
			}
		})
	}
}

// BenchmarkRenderWrite adds writing the tree to an empty folder, the way
// generate does: each site staged as soon as it is rendered, then
// committed.
func BenchmarkRenderWrite(b *testing.B) {
	r, err := render.New(templates.FS)
	if err != nil {
		b.Fatal(err)
	}
	for _, n := range []int{1, 100, 1000} {
		inputs := siteInputs(b, n)
		b.Run(fmt.Sprintf("sites=%d", n), func(b *testing.B) {
			b.ReportAllocs()
			for b.Loop() {
				b.StopTimer()
				out := b.TempDir()
				b.StartTimer()
				writeRun(b, r, inputs, out)
			}
		})
	}
}

func writeRun(tb testing.TB, r *render.Renderer, inputs []pipeline.Input, out string) {
	st := output.NewStager(false)
	results, probs, err := pipeline.Stream(inputs, r, func(res pipeline.Result) error {
		return st.Add(output.Site{Dir: filepath.Join(out, res.Name), Files: res.Files})
	})
	if err != nil || len(probs.Errors()) > 0 {
		tb.Fatalf("render: %v %v", err, probs)
	}
	root, err := pipeline.Root(results, r)
	if err == nil {
		err = st.Add(output.Site{Dir: out, Files: root, Shallow: true})
	}
	if err == nil {
		err = st.Err()
	}
	if err == nil {
		err = st.Commit()
	}
	if err != nil {
		tb.Fatal(err)
	}
}

// BenchmarkProcessOneSite measures one site end to end as a user runs it:
// process start, render of the example, write to an empty folder, exit.
func BenchmarkProcessOneSite(b *testing.B) {
	bin := filepath.Join(b.TempDir(), "pchat-hadr")
	if out, err := exec.Command("go", "build", "-o", bin, ".").CombinedOutput(); err != nil {
		b.Fatalf("go build: %v\n%s", err, out)
	}
	for b.Loop() {
		b.StopTimer()
		out := b.TempDir()
		b.StartTimer()
		if msg, err := exec.Command(bin, "generate", "--out", out, "--example").CombinedOutput(); err != nil {
			b.Fatalf("%v\n%s", err, msg)
		}
	}
}
