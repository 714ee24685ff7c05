package render_test

import (
	"bytes"
	"strconv"
	"testing"

	"pchat-hadr/generator/plan"
	"pchat-hadr/generator/quote"
	"pchat-hadr/generator/render"
)

// The step tables' predicate lines ("ps.preds" in ps/operation.ps1.tmpl)
// are the largest part of a site's output (about a fifth of its bytes).
// predsInGo writes the same bytes as that template with hand-written Go:
// what executing the built-in templates as compiled code would cost at
// best, for docs/performance.md. It is a measurement, not a second
// renderer: nothing but these tests calls it.
func predsInGo(w *bytes.Buffer, ps []plan.EPred) {
	str := func(s string) {
		if quote.PSStringTo(w, s) != nil {
			panic(s)
		}
	}
	for i, p := range ps {
		if i > 0 {
			w.WriteByte(',')
		}
		w.WriteString("\n                    @{ Key = ")
		str(p.Key)
		w.WriteString("; Kind = ")
		str(p.Kind)
		w.WriteString("; Server = ")
		str(p.Server)
		w.WriteString("; Db = ")
		str(p.DB)
		w.WriteString("; A1 = ")
		str(p.A1)
		w.WriteString("; A2 = ")
		str(p.A2)
		w.WriteString("; Want = @(")
		for j, v := range p.Want {
			if j > 0 {
				w.WriteString(", ")
			}
			str(v)
		}
		w.WriteString("); Unless = ")
		str(p.Unless)
		w.WriteString("; Fix = ")
		str(p.Fix)
		w.WriteString("; Text = ")
		str(p.Text)
		w.WriteString("; File = ")
		str(p.File)
		w.WriteString("; Writes = $")
		w.WriteString(strconv.FormatBool(p.Writes))
		w.WriteString("; Subject = ")
		str(p.Subject)
		if p.When != "" {
			w.WriteString("; When = ")
			str(p.When)
		}
		if p.Only != "" {
			w.WriteString("; Only = ")
			str(p.Only)
		}
		if p.FixStep != 0 {
			w.WriteString("; FixStep = ")
			w.WriteString(strconv.Itoa(p.FixStep))
			w.WriteString("; Alt = ")
			str(p.Alt)
		}
		w.WriteString(" }")
	}
}

// predLists returns every list of predicates the example site's
// orchestrators print through "ps.preds".
func predLists(tb testing.TB) (*render.Renderer, [][]plan.EPred) {
	r, s := exampleSite(tb)
	p, err := plan.Build(s, "example.toml")
	if err != nil {
		tb.Fatal(err)
	}
	var lists [][]plan.EPred
	for _, f := range p.Files {
		d := f.Data
		if d.Engine == nil {
			continue
		}
		for _, t := range d.Engine.Tables {
			lists = append(lists, t.Preflight, t.Ends)
			for _, st := range t.Steps {
				lists = append(lists, st.Requires, st.Ensures)
				lists = append(lists, st.Unneeded...)
			}
		}
	}
	if len(lists) == 0 {
		tb.Fatal("no orchestrator in the example's plan")
	}
	return r, lists
}

// TestPredsInGoMatchesTemplate holds the benchmark below to the template:
// both write the same bytes for every list of the example.
func TestPredsInGoMatchesTemplate(t *testing.T) {
	r, lists := predLists(t)
	for i, l := range lists {
		var w bytes.Buffer
		if !render.ExecuteFast(r, &w, "ps.preds", l) {
			t.Fatalf("list %d: the fast executor gave up", i)
		}
		var got bytes.Buffer
		predsInGo(&got, l)
		if !bytes.Equal(got.Bytes(), w.Bytes()) {
			t.Fatalf("list %d differs:\n got %q\nwant %q", i, got.Bytes(), w.Bytes())
		}
	}
}

// BenchmarkPredsCompiled compares the fast executor with hand-written Go
// on the predicate lines of one site, alternately in one run:
//
//	go test ./generator/render -run '^$' -bench PredsCompiled -benchtime 200x
//
// It reports each one's time per site and their ratio.
func BenchmarkPredsCompiled(b *testing.B) {
	r, lists := predLists(b)
	var buf bytes.Buffer
	var tmpl, code, size float64
	for b.Loop() {
		start := b.Elapsed()
		for _, l := range lists {
			buf.Reset()
			render.ExecuteFast(r, &buf, "ps.preds", l)
			size += float64(buf.Len())
		}
		mid := b.Elapsed()
		for _, l := range lists {
			buf.Reset()
			predsInGo(&buf, l)
		}
		tmpl += float64(mid - start)
		code += float64(b.Elapsed() - mid)
	}
	n := float64(b.N)
	b.ReportMetric(tmpl/n/1e6, "template-ms/site")
	b.ReportMetric(code/n/1e6, "go-ms/site")
	b.ReportMetric(tmpl/code, "ratio")
	b.ReportMetric(size/n/1024, "KB/site")
	b.ReportMetric(tmpl/size, "template-ns/B")
	b.ReportMetric(code/size, "go-ns/B")
}
