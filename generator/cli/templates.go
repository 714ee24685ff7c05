package cli

import (
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"

	ucli "github.com/urfave/cli/v2"

	"pchat-hadr/generator/render"
	"pchat-hadr/templates"
)

var templatesFlag = &ucli.StringFlag{Name: "templates", Usage: "lay the templates in `DIR` over the built-in ones (same relative paths); see 'templates export'"}

// renderer parses the built-in templates, with --templates laid over them.
func renderer(c *ucli.Context) (*render.Renderer, error) {
	dir := c.String("templates")
	if dir == "" {
		return render.NewInBackground(templates.FS), nil
	}
	info, err := os.Stat(dir)
	if err != nil || !info.IsDir() {
		return nil, fmt.Errorf("--templates %s: not a folder", dir)
	}
	return render.NewWithOverrides(templates.FS, filepath.ToSlash(dir), os.DirFS(dir))
}

func templatesCommand() *ucli.Command {
	return &ucli.Command{
		Name:  "templates",
		Usage: "list or export the built-in templates, to customise them with --templates",
		Subcommands: []*ucli.Command{
			{
				Name:  "list",
				Usage: "print the path of every built-in template",
				Action: func(c *ucli.Context) error {
					if err := noArgs(c); err != nil {
						return err
					}
					paths, err := render.List(templates.FS)
					if err != nil {
						return err
					}
					for _, p := range paths {
						fmt.Fprintln(c.App.Writer, p)
					}
					return nil
				},
			},
			{
				Name:      "export",
				Usage:     "write the built-in templates into DIR, to start a --templates folder from",
				ArgsUsage: "DIR",
				Flags:     []ucli.Flag{&ucli.BoolFlag{Name: "force", Usage: "overwrite files already in DIR"}},
				Action:    exportTemplates,
			},
		},
	}
}

func exportTemplates(c *ucli.Context) error {
	args, err := siteArgs(c, false)
	if err != nil {
		return err
	}
	if len(args) != 1 {
		return fail(ExitBadInput, "pchat-hadr templates export: give one folder")
	}
	dir := args[0]
	paths, err := render.List(templates.FS)
	if err != nil {
		return err
	}
	if !c.Bool("force") {
		for _, p := range paths {
			if _, err := os.Stat(filepath.Join(dir, filepath.FromSlash(p))); !errors.Is(err, fs.ErrNotExist) {
				return fail(ExitBadInput, "pchat-hadr templates export: %s exists; nothing was written (pass --force to overwrite)", filepath.ToSlash(filepath.Join(dir, p)))
			}
		}
	}
	for _, p := range paths {
		data, err := templates.FS.ReadFile(p)
		if err != nil {
			return err
		}
		full := filepath.Join(dir, filepath.FromSlash(p))
		if err := os.MkdirAll(filepath.Dir(full), 0o755); err != nil {
			return fail(ExitBadInput, "pchat-hadr templates export: %v", err)
		}
		if err := os.WriteFile(full, data, 0o644); err != nil {
			return fail(ExitBadInput, "pchat-hadr templates export: %v", err)
		}
	}
	fmt.Fprintf(c.App.Writer, "wrote %d templates to %s\n", len(paths), filepath.ToSlash(dir))
	return nil
}
