package cli

import (
	"path/filepath"

	ucli "github.com/urfave/cli/v2"

	"pchat-hadr/generator/cache"
	"pchat-hadr/generator/output"
	"pchat-hadr/generator/pipeline"
	"pchat-hadr/generator/render"
)

// cacheDoc is the cache's paragraph in the help and docs/cli.md.
const cacheDoc = "Cache: generate and check remember, in a file per binary in " + cache.Env + " (default: pchat-hadr in the user's cache folder, " +
	"e.g. ~/.cache/pchat-hadr; off turns it off), the sha256 of the MANIFEST each site's inputs rendered to. " +
	"A site whose inputs (the binary, the templates, the site file's name and the site as loaded, with what it extends) are unchanged, " +
	"and whose folder holds that MANIFEST and every file it lists with the sums listed and no temporary file, is taken as rendered " +
	"without rendering it again: its files are read and hashed, as sha256sum would. Anything else renders the site and compares it as usual, " +
	"so the output and messages are the same with or without the cache; --no-cache renders every site. " +
	"The cache holds only hashes, never a site's values or files."

var noCacheFlag = &ucli.BoolFlag{Name: "no-cache", Usage: "render every site, even one whose inputs are unchanged since a run whose files are still on disk as written (see Cache in docs/cli.md)"}

// OnReuse, when set, is called with the name of every site taken from the
// cache instead of rendered. Tests set it to prove that the cache's path
// ran; it is nil otherwise.
var OnReuse func(site string)

// reuse returns the options that let generate and check skip rendering a
// site: a site whose key (pipeline.Key) the cache maps to a MANIFEST sum,
// and whose folder under out holds that MANIFEST and every file it lists
// unchanged (output.Verify), is taken as rendered. ready runs before the
// first folder is read (generate takes its lock there). The store is nil
// when the cache is off (--no-cache, PCHAT_HADR_CACHE=off, no cache
// folder, or the executable cannot be read).
func reuse(c *ucli.Context, r *render.Renderer, ready func() error) (pipeline.Options, *cache.Store) {
	if c.Bool("no-cache") {
		return pipeline.Options{}, nil
	}
	dir, ok := cache.Dir()
	if !ok {
		return pipeline.Options{}, nil
	}
	bin, err := cache.BinaryID()
	if err != nil {
		return pipeline.Options{}, nil
	}
	store := cache.Open(dir, bin)
	out := c.String("out")
	return pipeline.Options{
		Salt: func() string { return bin + " " + r.Fingerprint() },
		Reuse: func(name, key string) ([]render.File, bool) {
			sum, ok := store.Get(key)
			if !ok || ready() != nil {
				return nil, false
			}
			files, ok := output.Verify(filepath.Join(out, name), sum)
			if ok && OnReuse != nil {
				OnReuse(name)
			}
			return files, ok
		},
	}, store
}

// remember records a rendered site's MANIFEST under its key.
func remember(store *cache.Store, res pipeline.Result) {
	if store != nil && !res.Reused && res.Key != "" && res.Manifest != "" {
		store.Put(res.Key, res.Manifest)
	}
}
