package render_test

import (
	"strings"
	"testing"

	"pchat-hadr/generator/manifest"
	"pchat-hadr/generator/plan"
	"pchat-hadr/generator/render"
	"pchat-hadr/templates"
)

// TestRootManifestListsSiteManifests: the root MANIFEST lists ROLLOUT.md
// and each site's MANIFEST (in path order, with the sum given), says so in
// a note, and parses as any MANIFEST does.
func TestRootManifestListsSiteManifests(t *testing.T) {
	r, err := render.New(templates.FS)
	if err != nil {
		t.Fatal(err)
	}
	sites := map[string]string{"b": manifest.Sum([]byte("b")), "a-b": manifest.Sum([]byte("a-b")), "Z": manifest.Sum([]byte("Z"))}
	files, err := r.RenderRoot(plan.BuildRollout(nil, nil), sites)
	if err != nil {
		t.Fatal(err)
	}
	if len(files) != 2 || files[0].Path != render.RolloutName || files[1].Path != manifest.Name {
		t.Fatalf("files %v", files)
	}
	m := string(files[1].Data)
	if !strings.Contains(m, "# "+render.RootNote+"\n") {
		t.Errorf("no note on what the root MANIFEST lists:\n%s", m)
	}
	var paths []string
	for _, line := range strings.Split(m, "\n") {
		if line == "" || line[0] == '#' {
			continue
		}
		sum, p, _ := strings.Cut(line, "  ")
		paths = append(paths, p)
		if name, ok := strings.CutSuffix(p, "/"+manifest.Name); ok && sites[name] != sum {
			t.Errorf("%s: sum %s, want %s", p, sum, sites[name])
		}
	}
	if got, want := strings.Join(paths, " "), "ROLLOUT.md Z/MANIFEST a-b/MANIFEST b/MANIFEST"; got != want {
		t.Errorf("paths %s, want %s", got, want)
	}
	if parsed, err := manifest.Parse(files[1].Data); err != nil || len(parsed) != 4 {
		t.Errorf("Parse: %v, %d entries", err, len(parsed))
	}
}
