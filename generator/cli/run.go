package cli

import (
	"fmt"
	"path/filepath"

	ucli "github.com/urfave/cli/v2"

	"pchat-hadr/generator/diag"
	"pchat-hadr/generator/heapfloor"
	"pchat-hadr/generator/output"
	"pchat-hadr/generator/pipeline"
)

var (
	outFlag     = &ucli.StringFlag{Name: "out", Value: "out", Usage: "output `DIR`; each site renders into DIR/<site name>/"}
	exampleFlag = &ucli.BoolFlag{Name: "example", Usage: "use the embedded example site instead of files"}
	quietFlag   = &ucli.BoolFlag{Name: "quiet", Aliases: []string{"q"}, Usage: "print nothing on success; problems and warnings still go to stderr"}
	strictFlag  = &ucli.BoolFlag{Name: "strict", Usage: "treat warnings as errors (exit 2, nothing written), for CI"}
)

// rendered is a run: each site's result and output folder (the output
// root last), and the warnings validation found.
type rendered struct {
	results  []pipeline.Result
	sites    []output.Site // folders only: files are not kept after a site is written
	files    []int         // the number of files of each of sites
	warnings diag.List
	bySite   [][]output.Action // generate's actions per site, in sites' order
}

// renderTree reads, validates and renders every site and then the output
// root, handing each to visit as soon as it is rendered so that a large run
// is never all in memory; any problem is an exit-2 error listing every
// problem of every site. The sites it returns have no files: their
// folders, and in files how many each has.
// Sites the cache vouches for (see reuse) are handed over Verified, not
// rendered; ready, when given, runs before the first site folder is read.
func renderTree(c *ucli.Context, ready func() error, visit func(output.Site) error) (*rendered, error) {
	inputs, err := readInputs(c)
	if err != nil {
		return nil, err
	}
	if len(inputs) <= smallRun {
		heapfloor.Set(heapFloor) // for the rest of the process: it ends with the command
	}
	r, err := renderer(c)
	if err != nil {
		return nil, fail(ExitBadInput, "pchat-hadr: %v", err)
	}
	if ready == nil {
		ready = func() error { return nil }
	}
	opts, store := reuse(c, r, ready)
	if store != nil {
		defer store.Save() // a cache that cannot be written only costs time
	}
	out := c.String("out")
	workers := pipeline.FilesAtOnce(len(inputs))
	prog := newProgress(c, len(inputs))
	results, probs, err := pipeline.StreamWith(inputs, r, opts, func(res pipeline.Result) error {
		defer prog.step()
		remember(store, res)
		if err := ready(); err != nil {
			return err
		}
		return visit(output.Site{Dir: filepath.Join(out, res.Name), Files: res.Files, Verified: res.Reused, Workers: workers})
	})
	if perr := problems(c, probs, len(inputs)); perr != nil {
		return nil, perr
	}
	if err != nil {
		return nil, err
	}
	root, err := pipeline.Root(results, r)
	if err != nil {
		return nil, fail(ExitBadInput, "pchat-hadr: %v", err)
	}
	if err := ready(); err != nil {
		return nil, err
	}
	rootSite := output.Site{Dir: out, Files: root, Shallow: true}
	if err := visit(rootSite); err != nil {
		return nil, err
	}
	sites := make([]output.Site, 0, len(results)+1)
	counts := make([]int, 0, len(results)+1)
	for _, res := range results {
		sites = append(sites, output.Site{Dir: filepath.Join(out, res.Name)})
		counts = append(counts, res.Count)
	}
	rootSite.Files = nil
	return &rendered{results: results, sites: append(sites, rootSite), files: append(counts, len(root)), warnings: probs.Warnings()}, nil
}

// smallRun is the most sites for which a run raises the collector's goal
// to heapFloor: enough for a change window's sites, few enough that the
// live heap (two sites a core in flight) stays near the floor, where the
// raised GOGC cannot stretch a cycle's goal far (heapfloor).
const smallRun = 8

// heapFloor is the heap goal below which a small run does not collect.
// 32 MB holds a run of one site without a collection: the example's
// generate took 57 ms instead of 77 (medians of 25, on tmpfs), and 64 MB
// was no faster (docs/performance.md, fourth round).
const heapFloor = 32 << 20

// problems reports what validation found: with errors (or, with --strict,
// warnings), every problem in file order as an exit-2 error; without, the
// warnings on stderr. A warning in a defaults file is printed once however
// many sites extend it (the pipeline reports each problem once).
func problems(c *ucli.Context, probs diag.List, sites int) error {
	errs := probs.Errors()
	strict := c.Bool("strict") && len(probs.Warnings()) > 0
	if len(errs) > 0 || strict {
		msg := probs.String() + summary(len(errs), sites)
		if strict {
			msg = probs.String() + fmt.Sprintf("%d error(s) and %d warning(s) in %d site file(s) checked; --strict treats warnings as errors; nothing was written",
				len(errs), len(probs.Warnings()), sites)
		}
		return &exitError{code: ExitBadInput, msg: msg, probs: probs}
	}
	for _, w := range probs.Warnings() {
		fmt.Fprintln(c.App.ErrWriter, w.String())
	}
	return nil
}

func summary(errs, sites int) string {
	return fmt.Sprintf("%d problem(s) in %d site file(s) checked; nothing was written", errs, sites)
}

// say prints a line of a successful run's report, unless --quiet.
func say(c *ucli.Context, format string, args ...any) {
	if !c.Bool("quiet") {
		fmt.Fprintf(c.App.Writer, format, args...)
	}
}
