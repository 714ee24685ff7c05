package cli

import (
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"sort"
	"strings"

	ucli "github.com/urfave/cli/v2"

	"pchat-hadr/generator/pipeline"
	"pchat-hadr/generator/site"
	"pchat-hadr/templates"
)

// readInputs reads the named site files and every site file below the
// named folders (or the embedded example). Files found in folders that are
// only defaults (no site name) are not sites; named files always are.
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
	var probs []string
	for _, arg := range args {
		files, fromDir, err := expand(arg)
		if err != nil {
			probs = append(probs, err.Error())
			continue
		}
		for _, f := range files {
			data, err := os.ReadFile(f)
			if err != nil {
				probs = append(probs, fmt.Sprintf("%s: cannot read the site file: %v", f, unwrap(err)))
				continue
			}
			if fromDir && site.IsDefaults(data) {
				continue
			}
			inputs = append(inputs, pipeline.Input{File: f, Data: data, Read: os.ReadFile})
		}
	}
	if len(probs) > 0 {
		return nil, fail(ExitBadInput, "%s", strings.Join(probs, "\n"))
	}
	if len(inputs) == 0 {
		return nil, fail(ExitBadInput, "pchat-hadr %s: no site file found in %s", c.Command.Name, strings.Join(args, ", "))
	}
	return inputs, nil
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
		return nil, true, fmt.Errorf("%s: %v", arg, unwrap(err))
	}
	sort.Strings(files)
	return files, true, nil
}
