// Package pipeline runs the stages for a set of site files: load, validate,
// plan and render. It writes nothing and reads only through its callers'
// functions (Input.Read for a site file and the files it extends,
// Options.Reuse for a folder on disk); outputs are files in memory.
package pipeline

import (
	"fmt"
	"path/filepath"
	"sync/atomic"

	"pchat-hadr/generator/diag"
	"pchat-hadr/generator/manifest"
	"pchat-hadr/generator/plan"
	"pchat-hadr/generator/render"
	"pchat-hadr/generator/site"
	"pchat-hadr/generator/validate"
)

// Input is one site file as read from disk.
type Input struct {
	File string // path as the user named it
	// Data is the file's bytes; nil, they are read with Read when the site
	// is loaded, so that a large run does not hold every file at once.
	Data []byte
	// Read reads the files a site extends; nil refuses extends.
	Read site.Reader
	// Stray marks a file found in a folder that names no site and that no
	// site of the run extends: an error, reported with its own problems.
	Stray bool
	// Once lets validation drop Data as soon as it is parsed: the caller
	// will not use the inputs again.
	Once bool
}

// Result is one rendered site.
type Result struct {
	Input
	Name  string // site.name: the output folder
	Site  *site.Site
	Files []render.File
	// Key hashes everything the site's files depend on (see Key); empty
	// without Options.Salt.
	Key string
	// Reused marks files that Options.Reuse vouched for: they have paths
	// and sums, no bytes, and were not rendered.
	Reused bool
	// Count is the number of files, Manifest the sha256 of the site's
	// MANIFEST: what the output root needs of a site, kept when Files is
	// dropped.
	Count    int
	Manifest string
}

// Validate loads and validates every input. It returns the loaded sites
// (nil for invalid ones) and all problems, warnings included, in order.
// The sites keep their merged documents, for show.
func Validate(inputs []Input) ([]*site.Loaded, diag.List) {
	loaded, _, probs := validateAll(inputs, true, false)
	return loaded, probs
}

// ValidateLean is Validate for runs that need only the sites: each site's
// document (the merged TOML and its key positions) is dropped as soon as
// the site is validated, where a large run would otherwise hold every
// document until the last site is done (150 KB a site).
func ValidateLean(inputs []Input) ([]*site.Loaded, diag.List) {
	loaded, _, probs := validateAll(inputs, false, false)
	return loaded, probs
}

// validateAll validates every input. With drop, the valid sites past the
// first HoldSites that can be read again are dropped: their loaded entry
// is nil and dropped holds the sum of their files, for reload.
func validateAll(inputs []Input, keep, drop bool) (loaded []*site.Loaded, dropped []*sources, all diag.List) {
	loaded = make([]*site.Loaded, len(inputs)) // only the valid ones
	dropped = make([]*sources, len(inputs))
	held := make([][]heldClaim, len(inputs)) // of every site that decoded
	perSite := make([]diag.List, len(inputs))
	each(len(inputs), func(i int) {
		in := inputs[i]
		dropping := drop && droppable(in, i)
		if in.Data == nil && in.Read != nil {
			data, err := in.Read(in.File)
			if err != nil {
				perSite[i] = diag.List{{File: in.File, Message: "cannot read the site file: " + diag.Cause(err)}}
				return
			}
			in.Data = data
		}
		var l *site.Loaded
		var probs diag.List
		var sum sources
		if dropping {
			l, probs, sum = loadWithSum(in.File, in.Data, in.Read)
		} else {
			l, probs = site.Load(in.File, in.Data, in.Read)
		}
		if in.Once {
			inputs[i].Data = nil // parsed: at 10,000 sites the files are 120 MB
		}
		if in.Stray {
			perSite[i] = append(probs, stray(in, l))
			return
		}
		if l != nil {
			l.ApplyDefaults()
			probs = append(probs, validate.Site(l)...)
			held[i] = siteClaims(l)
			if len(probs.Errors()) == 0 {
				switch {
				case dropping:
					dropped[i] = &sum
				case keep:
					loaded[i] = l
				default:
					loaded[i] = l
					l.Compact()
				}
			}
		}
		perSite[i] = probs
	})
	// Sites are compared in input order, so the second of two sites with
	// one name (pool, instance, share) is the one reported.
	across := acrossSites(inputs, held)
	for i, probs := range perSite {
		if len(across[i]) > 0 {
			probs = append(probs, across[i]...)
			loaded[i], dropped[i] = nil, nil
		}
		probs.Sort()
		all = append(all, probs...)
	}
	return loaded, dropped, unique(all)
}

// unique drops repeated problems: one in a defaults file that many sites
// extend is reported once, not once per site.
func unique(list diag.List) diag.List {
	seen := make(map[diag.Problem]bool, len(list))
	out := list[:0]
	for _, p := range list {
		if !seen[p] {
			seen[p] = true
			out = append(out, p)
		}
	}
	return out
}

// stray is the error of a file that is neither a site nor a defaults
// file, placed at its [site] table when it has one.
func stray(in Input, l *site.Loaded) diag.Problem {
	p := diag.Problem{File: in.File, Key: "site.name"}
	if l != nil {
		p = l.Problem("site.name", "")
	}
	p.Message = "missing: the file names no site, and no site of this run extends it, so it is neither a site nor a defaults file; give it [site] name = \"...\", or extend it from a site"
	return p
}

// Render validates and renders every input. When any input has an error it
// renders nothing and returns every problem.
func Render(inputs []Input, r *render.Renderer) ([]Result, diag.List, error) {
	return Stream(inputs, r, nil)
}

// Stream is Render for runs too large to hold in memory: it hands each
// rendered site to visit (from several goroutines at once) and, when visit
// is given, returns the results without their files (Count and Manifest
// remain, for the output root). The first error visit returns ends the run.
func Stream(inputs []Input, r *render.Renderer, visit func(Result) error) ([]Result, diag.List, error) {
	return StreamWith(inputs, r, Options{}, visit)
}

// Options lets a run skip rendering the sites whose output it can vouch for.
type Options struct {
	// Salt returns what identifies everything besides a site that its
	// files depend on: the binary and the renderer's templates
	// (render.Renderer.Fingerprint, which waits for the templates to be
	// read: so it is asked once a site is valid, not before validation).
	// Nil, no site gets a Key and Reuse is not asked. Called from several
	// goroutines at once.
	Salt func() string
	// Reuse is asked, before a site is planned, for the files of the site
	// named name whose inputs hash to key: it returns them (paths and sums,
	// no bytes) and true when it can vouch that they are what rendering
	// would give, for example because a cache maps key to the sum of the
	// MANIFEST on disk and every file matches that MANIFEST. Called from
	// several goroutines at once.
	Reuse func(name, key string) ([]render.File, bool)
}

// StreamWith is Stream with Options: a site that opts.Reuse vouches for is
// handed to visit with Reused set and the files Reuse gave. Sites past the
// first HoldSites are not kept from validation to rendering but loaded
// again from their files, which must not have changed (see reload).
func StreamWith(inputs []Input, r *render.Renderer, opts Options, visit func(Result) error) ([]Result, diag.List, error) {
	loaded, dropped, probs := validateAll(inputs, false, true)
	if len(probs.Errors()) > 0 {
		return nil, probs, nil
	}
	out := make([]Result, len(inputs))
	errs := make([]error, len(inputs))
	var failed atomic.Bool // once one site fails, the others are not rendered
	workers := FilesAtOnce(len(loaded))
	each(len(loaded), func(i int) {
		if failed.Load() {
			return
		}
		defer func() {
			if errs[i] != nil {
				failed.Store(true)
			}
		}()
		l := loaded[i]
		if l == nil {
			if l, errs[i] = reload(inputs[i], *dropped[i]); errs[i] != nil {
				return
			}
		}
		source := filepath.Base(inputs[i].File)
		var key string
		var files []render.File
		reused := false
		if opts.Salt != nil {
			key = Key(opts.Salt(), &l.Site, source)
			if opts.Reuse != nil && key != "" {
				files, reused = opts.Reuse(l.Site.Site.Name, key)
			}
		}
		if !reused {
			p, err := plan.BuildWith(&l.Site, source, workers)
			if err != nil {
				errs[i] = fmt.Errorf("%s: %w", inputs[i].File, err)
				return
			}
			if files, err = r.RenderWith(p, workers); err != nil {
				errs[i] = fmt.Errorf("%s: %w", inputs[i].File, err)
				return
			}
		}
		// Keep a copy of the site, not the loaded document: in a large run the
		// merged TOML and its key positions would otherwise stay in memory.
		// A streamed run keeps only what the output root is made of
		// (plan.BuildRollout): the site's identity and data centers.
		st := l.Site
		if visit != nil {
			st = site.Site{Site: l.Site.Site, DataCenters: l.Site.DataCenters}
		}
		loaded[i], dropped[i] = nil, nil
		res := Result{Input: inputs[i], Name: st.Site.Name, Site: &st, Files: files, Count: len(files), Key: key, Reused: reused}
		for _, f := range files {
			if f.Path == manifest.Name {
				res.Manifest = f.Sum
			}
		}
		if visit != nil {
			if errs[i] = visit(res); errs[i] != nil {
				return
			}
			res.Files, res.Data = nil, nil
		}
		out[i] = res
	})
	for _, err := range errs {
		if err != nil {
			return nil, probs, err
		}
	}
	return out, probs, nil
}

// Root renders the files at the root of the output for a run: ROLLOUT.md
// and the root MANIFEST (see render.RenderRoot).
func Root(results []Result, r *render.Renderer) ([]render.File, error) {
	sites := make([]*site.Site, len(results))
	names := make([]string, len(results))
	manifests := make(map[string]string, len(results))
	for i, res := range results {
		sites[i], names[i] = res.Site, displayName(res.File)
		manifests[res.Name] = res.Manifest
	}
	return r.RenderRoot(plan.BuildRollout(sites, names), manifests)
}

// displayName is how ROLLOUT.md names a site file: as given when relative,
// by base name when absolute, so that no machine's paths reach the output.
func displayName(file string) string {
	if filepath.IsAbs(file) {
		return filepath.Base(file)
	}
	return filepath.ToSlash(file)
}

// Plans validates every input and plans each valid site without rendering.
func Plans(inputs []Input) ([]*plan.Plan, diag.List, error) {
	loaded, probs := ValidateLean(inputs)
	if len(probs.Errors()) > 0 {
		return nil, probs, nil
	}
	out := make([]*plan.Plan, len(loaded))
	for i, l := range loaded {
		p, err := plan.Build(&l.Site, filepath.Base(inputs[i].File))
		if err != nil {
			return nil, probs, fmt.Errorf("%s: %w", inputs[i].File, err)
		}
		out[i] = p
	}
	return out, probs, nil
}
