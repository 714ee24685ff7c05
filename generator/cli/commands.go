package cli

import (
	"fmt"
	"runtime/debug"

	ucli "github.com/urfave/cli/v2"

	"pchat-hadr/generator/diag"
	"pchat-hadr/generator/pipeline"
	"pchat-hadr/generator/site"
	"pchat-hadr/templates"
)

// ExampleFile is the name the embedded example site goes by in messages
// and headers: the name it gets when saved with "pchat-hadr example".
const ExampleFile = "example.toml"

func validateCommand() *ucli.Command {
	return &ucli.Command{
		Name:      "validate",
		Usage:     "check site files and print every problem",
		ArgsUsage: "SITE.toml...",
		Description: "Exit code 0 when every site is valid, 2 otherwise. With --format json, stdout holds one document: " +
			"sites (file, site, ok for each site file). " + jsonEnvelope,
		Flags:  []ucli.Flag{exampleFlag, formatFlag, quietFlag, strictFlag},
		Before: checkFormat,
		Action: func(c *ucli.Context) error {
			inputs, err := readInputs(c)
			if err != nil {
				return err
			}
			loaded, probs := pipeline.ValidateLean(inputs)
			if isJSON(c) {
				return validateJSON(c, inputs, loaded, probs)
			}
			if err := problems(c, probs, len(inputs)); err != nil {
				return err
			}
			for i, l := range loaded {
				say(c, "%s: ok (site %s)\n", inputs[i].File, l.Site.Site.Name)
			}
			return nil
		},
	}
}

// validateJSON reports validation as JSON on stdout; the exit code is
// still 2 when there are errors (or warnings, with --strict).
func validateJSON(c *ucli.Context, inputs []pipeline.Input, loaded []*site.Loaded, probs diag.List) error {
	type siteJSON struct {
		File string `json:"file"`
		Site string `json:"site,omitempty"`
		OK   bool   `json:"ok"`
	}
	sites := []siteJSON{}
	for i, in := range inputs {
		sj := siteJSON{File: in.File, OK: loaded[i] != nil}
		if loaded[i] != nil {
			sj.Site = loaded[i].Site.Site.Name
		}
		sites = append(sites, sj)
	}
	code := ExitOK
	if len(probs.Errors()) > 0 || c.Bool("strict") && len(probs) > 0 {
		code = ExitBadInput
	}
	if err := writeJSON(c, document(code, probs, map[string]any{"sites": sites})); err != nil {
		return err
	}
	if code != ExitOK {
		return fail(code, "")
	}
	return nil
}

func showCommand() *ucli.Command {
	return &ucli.Command{
		Name:      "show",
		Usage:     "print each site as it applies after extends: the merged TOML",
		ArgsUsage: "SITE.toml...",
		Flags:     []ucli.Flag{exampleFlag},
		Action: func(c *ucli.Context) error {
			inputs, err := readInputs(c)
			if err != nil {
				return err
			}
			loaded, probs := pipeline.Validate(inputs)
			if err := problems(c, probs, len(inputs)); err != nil {
				return err
			}
			for i, l := range loaded {
				text, err := l.Effective()
				if err != nil {
					return fail(ExitBadInput, "%s: %v", inputs[i].File, err)
				}
				fmt.Fprintf(c.App.Writer, "# %s: site %s with what it extends merged in (built-in defaults not shown)\n%s", inputs[i].File, l.Site.Site.Name, text)
			}
			return nil
		},
	}
}

func exampleCommand() *ucli.Command {
	return &ucli.Command{
		Name:  "example",
		Usage: "print the embedded example site: every key, documented",
		Description: "Save it as a start for a site file: mkdir sites, then pchat-hadr example > sites/emea.toml " +
			"(in Windows PowerShell 5.1 too, which saves UTF-16; pchat-hadr reads it).",
		Action: func(c *ucli.Context) error {
			if err := noArgs(c); err != nil {
				return err
			}
			data, err := templates.FS.ReadFile(templates.ExampleSite)
			if err != nil {
				return err
			}
			_, err = c.App.Writer.Write(data)
			return err
		},
	}
}

func versionCommand() *ucli.Command {
	return &ucli.Command{
		Name:  "version",
		Usage: "print the version of pchat-hadr (also: pchat-hadr --version)",
		Action: func(c *ucli.Context) error {
			if err := noArgs(c); err != nil {
				return err
			}
			return printVersion(c)
		},
	}
}

func printVersion(c *ucli.Context) error {
	_, err := fmt.Fprintf(c.App.Writer, "pchat-hadr %s (site schema version %d)\n", version(), site.SchemaVersion)
	return err
}

func version() string {
	info, ok := debug.ReadBuildInfo()
	if !ok || info.Main.Version == "" {
		return "(devel)"
	}
	return info.Main.Version
}
