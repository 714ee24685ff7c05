package cli

import (
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"sort"
	"strings"

	ucli "github.com/urfave/cli/v2"

	"pchat-hadr/generator/diag"
	"pchat-hadr/generator/pipeline"
	"pchat-hadr/generator/site"
	"pchat-hadr/templates"
)

// candidate is a file of the run before it is known to be a site.
type candidate struct {
	file    string
	data    []byte // kept only for a file that cannot be read twice
	fromDir bool   // found in a folder argument rather than named
	named   bool   // has site.name
	extends string
	parses  bool
}

// readInputs reads the named site files and every site file below the
// named folders (or the embedded example), each file once. A file found in
// a folder that names no site is a defaults file when a site of the run
// extends it, and an error otherwise; named files are always sites.
func readInputs(c *ucli.Context) ([]pipeline.Input, error) {
	args, err := siteArgs(c, c.Bool("example"))
	if err != nil {
		return nil, err
	}
	return inputsFrom(c, args)
}

// inputsFrom reads the site files named by args, as readInputs does.
func inputsFrom(c *ucli.Context, args []string) ([]pipeline.Input, error) {
	var inputs []pipeline.Input
	if c.Bool("example") {
		data, err := templates.FS.ReadFile(templates.ExampleSite)
		if err != nil {
			return nil, err
		}
		inputs = append(inputs, pipeline.Input{File: ExampleFile, Data: data})
	}
	cands, probs := candidates(args)
	if len(probs) > 0 {
		return nil, failProblems(probs)
	}
	extended := extendedFiles(cands)
	for _, cd := range cands {
		in := pipeline.Input{File: cd.file, Data: cd.data, Read: os.ReadFile, Once: true}
		if cd.fromDir && cd.parses && !cd.named {
			if extended[fileID(cd.file)] {
				continue // a defaults file: loaded with the sites that extend it
			}
			in.Stray = true
		}
		inputs = append(inputs, in)
	}
	if len(inputs) == 0 {
		return nil, fail(ExitBadInput, "pchat-hadr %s: no site file found in %s", c.Command.Name, strings.Join(args, ", "))
	}
	return inputs, nil
}

// candidates reads every file the arguments name, each once even when
// named twice or also found in a named folder, in argument order.
func candidates(args []string) ([]candidate, diag.List) {
	var out []candidate
	var probs diag.List
	seen := map[string]bool{}
	for _, arg := range args {
		files, fromDir, err := expand(arg)
		if err != nil {
			probs = append(probs, diag.Problem{File: arg, Message: err.Error()})
			continue
		}
		for _, f := range files {
			id := fileID(f)
			if seen[id] {
				continue
			}
			seen[id] = true
			data, err := os.ReadFile(f)
			if err != nil {
				probs = append(probs, diag.Problem{File: f, Message: "cannot read the site file: " + diag.Cause(err)})
				continue
			}
			named, ext, ok := site.Probe(data)
			cd := candidate{file: f, fromDir: fromDir, named: named, extends: ext, parses: ok}
			// A regular file is read again when its site is loaded: 10,000
			// site files held at once were 120 MB. A pipe (/dev/stdin,
			// <(git show ...)) can be read only once: its bytes are kept.
			if info, err := os.Stat(f); err != nil || !info.Mode().IsRegular() {
				cd.data = data
			}
			out = append(out, cd)
		}
	}
	return out, probs
}

// extendedFiles returns the files (by fileID) that the sites of the run
// extend, directly or through other defaults files.
func extendedFiles(cands []candidate) map[string]bool {
	probed := map[string]candidate{}
	for _, cd := range cands {
		probed[fileID(cd.file)] = cd
	}
	out := map[string]bool{}
	for _, cd := range cands {
		if cd.fromDir && cd.parses && !cd.named {
			continue // only a site's chain makes a file a defaults file
		}
		for file, ext := cd.file, cd.extends; ext != "" && !filepath.IsAbs(ext); {
			parent := filepath.Join(filepath.Dir(file), filepath.FromSlash(ext))
			id := fileID(parent)
			if out[id] {
				break // already followed, or a cycle that loading reports
			}
			out[id] = true
			pc, ok := probed[id]
			if !ok {
				data, err := os.ReadFile(parent)
				if err != nil {
					break
				}
				pc.named, pc.extends, pc.parses = site.Probe(data)
			}
			file, ext = parent, pc.extends
		}
	}
	return out
}

// expand returns arg itself, or the *.toml files below it if it is a
// folder, in a stable order.
func expand(arg string) ([]string, bool, error) {
	info, err := os.Stat(arg)
	if err != nil || !info.IsDir() {
		return []string{arg}, false, nil
	}
	var files []string
	err = filepath.WalkDir(arg, func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if !d.IsDir() && strings.HasSuffix(p, ".toml") {
			files = append(files, p)
		}
		return nil
	})
	if err != nil {
		return nil, true, fmt.Errorf("cannot read the folder: %s", diag.Cause(err))
	}
	sort.Strings(files)
	return files, true, nil
}

// fileID is the absolute, clean path of a file, to recognise one file
// given under two spellings.
func fileID(f string) string {
	if abs, err := filepath.Abs(f); err == nil {
		return abs
	}
	return filepath.Clean(f)
}
