package render_test

import (
	"errors"
	"io/fs"
	"os"
	"strings"
	"testing"
	"testing/fstest"

	"pchat-hadr/generator/plan"
	"pchat-hadr/generator/render"
	"pchat-hadr/templates"
)

// TestRenderWithMatchesRender renders the example and every valid fixture
// with one file at a time and with several, and requires the same files
// in the same order, byte for byte, MANIFEST included.
func TestRenderWithMatchesRender(t *testing.T) {
	builtin, err := render.New(templates.FS)
	if err != nil {
		t.Fatal(err)
	}
	for _, c := range fixtureRuns(t) {
		r := builtin
		if c.templates != "" {
			if r, err = render.NewWithOverrides(templates.FS, c.templates, os.DirFS(c.templates)); err != nil {
				t.Fatal(err)
			}
		}
		plans, _ := buildPlans(t, c.inputs)
		for _, p := range plans {
			want, err := r.Render(p)
			if err != nil {
				t.Fatalf("%s: %v", c.name, err)
			}
			for _, workers := range []int{2, 3, 64} {
				got, err := r.RenderWith(p, workers)
				if err != nil {
					t.Fatalf("%s, %d at once: %v", c.name, workers, err)
				}
				sameFiles(t, c.name, got, want)
			}
		}
	}
}

// TestBuildWithMatchesBuild plans every site of the example and the valid
// fixtures serially and with several workers, and requires the rendered
// files to be the same, byte for byte (go test -race also checks that the
// workers only read what they share).
func TestBuildWithMatchesBuild(t *testing.T) {
	r, err := render.New(templates.FS)
	if err != nil {
		t.Fatal(err)
	}
	for _, c := range fixtureRuns(t) {
		if c.templates != "" {
			continue // the plan does not depend on the templates
		}
		serial, _ := buildPlans(t, c.inputs)
		for i, s := range serial {
			want, err := r.Render(s)
			if err != nil {
				t.Fatal(err)
			}
			for _, workers := range []int{2, 8} {
				p, err := plan.BuildWith(s.Site, s.Source, workers)
				if err != nil {
					t.Fatalf("%s, site %d: %v", c.name, i, err)
				}
				got, err := r.Render(p)
				if err != nil {
					t.Fatal(err)
				}
				sameFiles(t, c.name, got, want)
			}
		}
	}
}

// TestRenderWithFirstError: when several files fail, every number of
// workers reports the failure of the first of them in plan order, the one
// a serial run stops at.
func TestRenderWithFirstError(t *testing.T) {
	plans, _ := buildPlans(t, fixtureRuns(t)[0].inputs)
	first, last := plans[0].Files[0], plans[0].Files[len(plans[0].Files)-1]
	if first.Template == last.Template {
		t.Fatal("the example's first and last files share a template")
	}
	// The first file fails last: it spins through 40,000 template calls
	// first, so that an error taken in the order files finish is "last".
	spin := `{{ define "spin" }}{{ if lt . 4000 }}{{ template "spin" (add . 1) }}{{ end }}{{ end }}`
	overlay := fstest.MapFS{
		first.Template: {Data: []byte(spin + strings.Repeat(`{{ template "spin" 0 }}`, 10) + `{{ fail "first" }}`)},
		last.Template:  {Data: []byte(`{{ fail "last" }}`)},
	}
	r, err := render.NewWithOverrides(templates.FS, "my-templates", overlay)
	if err != nil {
		t.Fatal(err)
	}
	_, want := r.Render(plans[0])
	if want == nil || !strings.Contains(want.Error(), "first") {
		t.Fatalf("serial render: %v, want the first file's error", want)
	}
	for _, workers := range []int{2, 8, 64} {
		for range 3 {
			if _, err := r.RenderWith(plans[0], workers); err == nil || err.Error() != want.Error() {
				t.Fatalf("%d at once: %v, want %v", workers, err, want)
			}
		}
	}
}

// TestPlannedTwiceAfterEarlierErrors: a template added under a path the
// plan already has (RUNBOOK.md) fails where a serial render reaches it,
// so an earlier file's error is the one reported, for any workers.
func TestPlannedTwiceAfterEarlierErrors(t *testing.T) {
	plans, _ := buildPlans(t, fixtureRuns(t)[0].inputs)
	overlay := fstest.MapFS{
		plans[0].Files[0].Template:   {Data: []byte(`{{ fail "first" }}`)},
		render.RunbookName + ".tmpl": {Data: []byte(`again`)},
	}
	r, err := render.NewWithOverrides(templates.FS, "my-templates", overlay)
	if err != nil {
		t.Fatal(err)
	}
	for _, workers := range []int{1, 2, 8} {
		if _, err := r.RenderWith(plans[0], workers); err == nil || !strings.Contains(err.Error(), "first") {
			t.Errorf("%d at once: %v, want the first file's error", workers, err)
		}
	}
	overlay[plans[0].Files[0].Template] = &fstest.MapFile{Data: []byte(`fine`)}
	if r, err = render.NewWithOverrides(templates.FS, "my-templates", overlay); err != nil {
		t.Fatal(err)
	}
	for _, workers := range []int{1, 2, 8} {
		if _, err := r.RenderWith(plans[0], workers); err == nil || err.Error() != "RUNBOOK.md: planned twice" {
			t.Errorf("%d at once: %v, want RUNBOOK.md: planned twice", workers, err)
		}
	}
}

// TestNewInBackgroundParseError: templates that do not parse fail every
// render with the parse error, naming the file.
func TestNewInBackgroundParseError(t *testing.T) {
	plans, _ := buildPlans(t, fixtureRuns(t)[0].inputs)
	r := render.NewInBackground(fstest.MapFS{"broken.tmpl": {Data: []byte(`{{ if }}`)}})
	for _, workers := range []int{1, 4} {
		if _, err := r.RenderWith(plans[0], workers); err == nil || !strings.Contains(err.Error(), "templates/broken.tmpl") {
			t.Errorf("%d at once: %v, want the parse error of templates/broken.tmpl", workers, err)
		}
	}
}

// TestNewInBackground: a renderer whose templates parse while the caller
// plans renders what New's does, under the same fingerprint, and can be
// used from many goroutines as soon as it is returned.
func TestNewInBackground(t *testing.T) {
	plans, _ := buildPlans(t, fixtureRuns(t)[0].inputs)
	r, err := render.New(templates.FS)
	if err != nil {
		t.Fatal(err)
	}
	want, err := r.Render(plans[0])
	if err != nil {
		t.Fatal(err)
	}
	bg := render.NewInBackground(templates.FS)
	got := make(chan []render.File)
	fingerprint := make(chan string)
	go func() { fingerprint <- bg.Fingerprint() }()
	for range 4 {
		go func() {
			files, err := bg.RenderWith(plans[0], 2)
			if err != nil {
				t.Error(err)
			}
			got <- files
		}()
	}
	if fp := <-fingerprint; fp != r.Fingerprint() {
		t.Errorf("fingerprint %s, New's %s", fp, r.Fingerprint())
	}
	for range 4 {
		sameFiles(t, "example", <-got, want)
	}
}

// unreadable is a template tree whose one template cannot be read.
type unreadable struct{ fstest.MapFS }

func (u unreadable) ReadFile(name string) ([]byte, error) {
	if name == "gone.tmpl" {
		return nil, &fs.PathError{Op: "open", Path: name, Err: fs.ErrPermission}
	}
	return u.MapFS.ReadFile(name)
}

// TestNewInBackgroundReadError: templates that cannot be read (read on
// another goroutine, after NewInBackground returned) fail every render
// with the read error, and the renderer still answers Fingerprint.
func TestNewInBackgroundReadError(t *testing.T) {
	plans, _ := buildPlans(t, fixtureRuns(t)[0].inputs)
	r := render.NewInBackground(unreadable{fstest.MapFS{"gone.tmpl": {Data: []byte(`x`)}}})
	for _, workers := range []int{1, 4} {
		if _, err := r.RenderWith(plans[0], workers); err == nil || !strings.Contains(err.Error(), "gone.tmpl") || !errors.Is(err, fs.ErrPermission) {
			t.Errorf("%d at once: %v, want the read error of gone.tmpl", workers, err)
		}
	}
	if _, err := r.RenderRoot(plan.Rollout{}, nil); err == nil || !strings.Contains(err.Error(), "gone.tmpl") {
		t.Errorf("RenderRoot: %v, want the read error of gone.tmpl", err)
	}
	r.Fingerprint() // returns: the read is over
}

// TestFingerprintFollowsTheTemplates: the fingerprint, which keys the
// cache, changes with any template's text, with a template added, and
// with the folder an override comes from; the same templates give the
// same fingerprint.
func TestFingerprintFollowsTheTemplates(t *testing.T) {
	fingerprint := func(dir string, overlay fstest.MapFS) string {
		t.Helper()
		var r *render.Renderer
		var err error
		if overlay == nil {
			r, err = render.New(templates.FS)
		} else {
			r, err = render.NewWithOverrides(templates.FS, dir, overlay)
		}
		if err != nil {
			t.Fatal(err)
		}
		return r.Fingerprint()
	}
	runbook := "runbook.md.tmpl"
	text, err := templates.FS.ReadFile(runbook)
	if err != nil {
		t.Fatal(err)
	}
	seen := map[string]string{}
	for _, c := range []struct {
		name, dir string
		overlay   fstest.MapFS
	}{
		{"built-in", "", nil},
		{"runbook as built in, from a folder", "mine", fstest.MapFS{runbook: {Data: text}}},
		{"runbook as built in, from another folder", "theirs", fstest.MapFS{runbook: {Data: text}}},
		{"runbook with a byte more", "mine", fstest.MapFS{runbook: {Data: append(append([]byte(nil), text...), ' ')}}},
		{"a template added", "mine", fstest.MapFS{"extra.txt.tmpl": {Data: []byte("x")}}},
		{"another template added", "mine", fstest.MapFS{"extra.txt.tmpl": {Data: []byte("y")}}},
	} {
		fp := fingerprint(c.dir, c.overlay)
		if other, ok := seen[fp]; ok {
			t.Errorf("%s: same fingerprint as %s", c.name, other)
		}
		seen[fp] = c.name
		if again := fingerprint(c.dir, c.overlay); again != fp {
			t.Errorf("%s: fingerprint %s, then %s", c.name, fp, again)
		}
	}
}
