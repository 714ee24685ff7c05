package render_test

import (
	"fmt"
	"sort"
	"testing"
	"time"

	"pchat-hadr/generator/pipeline"
	"pchat-hadr/generator/render"
	"pchat-hadr/templates"
	"pchat-hadr/tools/benchsites"
)

func TestZZPerTemplate(t *testing.T) {
	r, _ := render.New(templates.FS)
	sites, _ := benchsites.Make(1)
	inputs := []pipeline.Input{{File: sites[0].File, Data: sites[0].Data}}
	plans, _, err := pipeline.Plans(inputs)
	if err != nil {
		t.Fatal(err)
	}
	p := plans[0]
	dur := map[string]time.Duration{}
	size := map[string]int{}
	cnt := map[string]int{}
	for i := 0; i < 20; i++ {
		for _, f := range p.Files {
			st := time.Now()
			b, ok, _, _ := render.ExecuteBoth(r, f.Template, f.Data)
			if !ok {
				t.Log("fallback", f.Template)
			}
			dur[f.Template] += time.Since(st)
			size[f.Template] += len(b)
			cnt[f.Template]++
		}
	}
	var ks []string
	var tot time.Duration
	for k := range dur {
		ks = append(ks, k)
		tot += dur[k]
	}
	sort.Slice(ks, func(i, j int) bool { return dur[ks[i]] > dur[ks[j]] })
	for _, k := range ks {
		fmt.Printf("%-50s %8v %5d files %8d KB\n", k, dur[k]/20, cnt[k]/20, size[k]/20/1024)
	}
	fmt.Println("total", tot/20)
}
