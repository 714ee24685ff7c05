package schema

import (
	"fmt"
	"strings"

	ucli "github.com/urfave/cli/v2"
)

// CLIMarkdown is the command-line reference written to docs/cli.md: every
// visible command, subcommand and flag of app, with its usage text.
func CLIMarkdown(app *ucli.App) []byte {
	var b strings.Builder
	fmt.Fprintf(&b, "# %s command line\n\n", app.Name)
	fmt.Fprintf(&b, "<!-- Generated from the urfave/cli definitions in generator/cli by generator/schema; do not edit. Refresh: %s -->\n\n", Refresh)
	if app.Usage != "" {
		fmt.Fprintf(&b, "%s: %s.\n\n", app.Name, cell(app.Usage))
	}
	fmt.Fprintf(&b, "    %s COMMAND [flags] [arguments]\n\n", app.Name)
	b.WriteString("Every command and subcommand also takes `--help` (`-h`). Flags go before the arguments.\n\n")
	if flags := visibleFlags(app.Flags); len(flags) > 0 {
		b.WriteString("Global flags:\n\n")
		flagTable(&b, flags)
	}
	b.WriteString("| Command | What it does |\n|---|---|\n")
	var list func(prefix string, cmds []*ucli.Command)
	list = func(prefix string, cmds []*ucli.Command) {
		for _, c := range cmds {
			if c.Hidden {
				continue
			}
			name := strings.TrimSpace(prefix + " " + c.Name)
			fmt.Fprintf(&b, "| [`%s`](#%s) | %s |\n", name, anchor(app.Name+" "+name), cell(c.Usage))
			list(name, c.Subcommands)
		}
	}
	list("", app.Commands)
	b.WriteString("\n")
	if app.Description != "" {
		fmt.Fprintf(&b, "%s\n\n", text(strings.TrimSpace(app.Description)))
	}
	var each func(path string, cmds []*ucli.Command)
	each = func(path string, cmds []*ucli.Command) {
		for _, c := range cmds {
			if c.Hidden {
				continue
			}
			full := path + " " + c.Name
			command(&b, full, c)
			each(full, c.Subcommands)
		}
	}
	each(app.Name, app.Commands)
	return []byte(b.String())
}

func command(b *strings.Builder, full string, c *ucli.Command) {
	fmt.Fprintf(b, "## %s\n\n", full)
	if len(c.Aliases) > 0 {
		fmt.Fprintf(b, "Aliases: %s.\n\n", "`"+strings.Join(c.Aliases, "`, `")+"`")
	}
	if c.Usage != "" {
		fmt.Fprintf(b, "%s.\n\n", cell(strings.TrimSuffix(upperFirst(c.Usage), ".")))
	}
	usage := c.UsageText
	if usage == "" {
		usage = full
		if len(c.Subcommands) > 0 {
			usage += " COMMAND"
		}
		if len(visibleFlags(c.Flags)) > 0 {
			usage += " [flags]"
		}
		if c.ArgsUsage != "" {
			usage += " " + c.ArgsUsage
		}
	}
	for _, line := range strings.Split(strings.TrimRight(usage, "\n"), "\n") {
		fmt.Fprintf(b, "    %s\n", line)
	}
	b.WriteString("\n")
	if c.Description != "" {
		fmt.Fprintf(b, "%s\n\n", text(strings.TrimSpace(c.Description)))
	}
	if flags := visibleFlags(c.Flags); len(flags) > 0 {
		flagTable(b, flags)
	}
	if len(c.Subcommands) > 0 {
		b.WriteString("Subcommands: ")
		var names []string
		for _, s := range c.Subcommands {
			if !s.Hidden {
				names = append(names, fmt.Sprintf("[`%s`](#%s)", s.Name, anchor(full+" "+s.Name)))
			}
		}
		b.WriteString(strings.Join(names, ", ") + ".\n\n")
	}
}

func visibleFlags(flags []ucli.Flag) []ucli.Flag {
	var out []ucli.Flag
	for _, f := range flags {
		if v, ok := f.(ucli.VisibleFlag); ok && !v.IsVisible() {
			continue
		}
		out = append(out, f)
	}
	return out
}

func flagTable(b *strings.Builder, flags []ucli.Flag) {
	b.WriteString("| Flag | Default | Usage |\n|---|---|---|\n")
	for _, f := range flags {
		names := f.Names()
		usage, def, placeholder := "", "", ""
		if d, ok := f.(ucli.DocGenerationFlag); ok {
			placeholder, usage = unquoteUsage(d.GetUsage())
			if d.TakesValue() {
				if placeholder == "" {
					placeholder = "value"
				}
				def = d.GetValue()
			}
		}
		if r, ok := f.(ucli.RequiredFlag); ok && r.IsRequired() {
			usage += " (required)"
		}
		var spelled []string
		for _, n := range names {
			dash := "--"
			if len(n) == 1 {
				dash = "-"
			}
			s := dash + n
			if placeholder != "" {
				s += " " + placeholder
			}
			spelled = append(spelled, "`"+s+"`")
		}
		if def != "" {
			def = "`" + def + "`"
		}
		fmt.Fprintf(b, "| %s | %s | %s |\n", strings.Join(spelled, ", "), cell(def), cell(usage))
	}
	b.WriteString("\n")
}

// cell makes prose safe in a table cell: one line, Markdown escaped.
func cell(s string) string {
	return text(strings.Join(strings.Fields(s), " "))
}

func upperFirst(s string) string {
	if s == "" {
		return s
	}
	return strings.ToUpper(s[:1]) + s[1:]
}

// unquoteUsage splits a flag's usage as urfave/cli's help does: the first
// `quoted` word is the value's placeholder, shown unquoted in the text.
func unquoteUsage(usage string) (placeholder, text string) {
	i := strings.IndexByte(usage, '`')
	if i < 0 {
		return "", usage
	}
	j := strings.IndexByte(usage[i+1:], '`')
	if j < 0 {
		return "", usage
	}
	name := usage[i+1 : i+1+j]
	return name, usage[:i] + name + usage[i+2+j:]
}
