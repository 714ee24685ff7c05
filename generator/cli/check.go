package cli

import (
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"sync"

	ucli "github.com/urfave/cli/v2"

	"pchat-hadr/generator/output"
)

func checkCommand() *ucli.Command {
	return &ucli.Command{
		Name:      "check",
		Usage:     "compare DIR with a fresh render: exit 0 if identical, 1 if not",
		ArgsUsage: "SITE.toml...",
		Description: "Prints every difference on stdout (so check --diff > review.diff works) and the generate command that brings DIR up to date. " +
			"Files pchat-hadr never generated (NOTES.md, .DS_Store) are the user's: check lists them but fails on them only with --strict. " +
			"Exit code 0 when DIR matches, 1 when files differ, 2 on bad input. With --format json, stdout holds one document: " +
			"up_to_date (boolean), sites (number), differences (path, kind, reason, diff with --diff, folder, files for a missing folder; " +
			"kind is changed, edited, line-endings, missing, orphaned, temporary or dropped-site), " +
			"other_files (the user's files: path, kind untracked or kept, reason), " +
			"regenerate (the generate command that brings DIR up to date, when files differ). " + jsonEnvelope,
		Flags: []ucli.Flag{outFlag, exampleFlag, templatesFlag, formatFlag, quietFlag, noCacheFlag,
			&ucli.BoolFlag{Name: "strict", Usage: "treat warnings as errors (exit 2), and fail on files in DIR that pchat-hadr did not generate"},
			&ucli.BoolFlag{Name: "diff", Usage: "print a unified diff of every changed file"}},
		Before: checkFormat,
		Action: check,
	}
}

func check(c *ucli.Context) error {
	if pid, live := output.Holder(c.String("out")); live {
		return fail(ExitBadInput, "pchat-hadr check: %s is being written by a pchat-hadr generate run (process %d); check it once that run has finished", filepath.ToSlash(c.String("out")), pid)
	}
	_, statErr := os.Stat(c.String("out"))
	noRoot := errors.Is(statErr, fs.ErrNotExist)
	var mu sync.Mutex
	var diffs []output.Difference
	files := 0
	run, err := renderTree(c, nil, func(s output.Site) error {
		mu.Lock()
		files += len(s.Files)
		mu.Unlock()
		if noRoot {
			return nil // one line for the whole output folder, below
		}
		d, err := output.Check([]output.Site{s}, c.Bool("diff"))
		mu.Lock()
		diffs = append(diffs, d...)
		mu.Unlock()
		return err
	})
	if err != nil {
		var ee *exitError
		if errors.As(err, &ee) {
			return err
		}
		return fail(ExitBadInput, "pchat-hadr check: %v", err)
	}
	if noRoot {
		diffs = []output.Difference{{Path: c.String("out"), Kind: output.KindMissing, Folder: true, Files: files, Reason: "the output folder is not there"}}
	}
	sort.Slice(diffs, func(i, j int) bool { return diffs[i].Path < diffs[j].Path })
	var failing, others []output.Difference
	for _, d := range diffs {
		if d.Fails(c.Bool("strict")) {
			failing = append(failing, d)
		} else {
			others = append(others, d)
		}
	}
	if isJSON(c) {
		return checkJSON(c, run, failing, others)
	}
	var b strings.Builder
	for _, d := range failing {
		b.WriteString(differenceLine(d))
		b.WriteString(d.Diff)
	}
	if !c.Bool("quiet") {
		for _, d := range others {
			fmt.Fprintf(&b, "note: %s is yours (%s); check does not fail on it (--strict does)\n", displayPath(d), d.Reason)
		}
	}
	if len(failing) == 0 {
		fmt.Fprint(c.App.Writer, b.String())
		say(c, "%d site(s) up to date in %s\n", len(run.results), filepath.ToSlash(c.String("out")))
		return nil
	}
	b.WriteString(advice(c, failing))
	fmt.Fprint(c.App.Writer, b.String())
	return fail(ExitChanged, "")
}

// differenceLine is "kind: path (reason)".
func differenceLine(d output.Difference) string {
	line := d.Kind + ": " + displayPath(d)
	reason := d.Reason
	if d.Folder && d.Kind == output.KindMissing {
		reason = fmt.Sprintf("%s; %d files", reason, d.Files)
	}
	if reason != "" {
		line += ": " + reason
	}
	return line + "\n"
}

func displayPath(d output.Difference) string {
	if d.Folder {
		return filepath.ToSlash(d.Path) + "/"
	}
	return filepath.ToSlash(d.Path)
}

// advice says what brings DIR up to date: the generate command, with
// --force when files were edited by hand (after saving the edits), and
// .gitattributes when git converted line ends.
func advice(c *ucli.Context, failing []output.Difference) string {
	var edited, lineEnds, yours int
	for _, d := range failing {
		switch d.Kind {
		case output.KindEdited:
			edited++
		case output.KindLineEnds:
			lineEnds++
		case output.KindUntracked, output.KindKept:
			yours++
		}
	}
	var b strings.Builder
	fmt.Fprintf(&b, "%d difference(s) from a fresh render.", len(failing))
	if yours > 0 {
		fmt.Fprintf(&b, " %d file(s) are yours, not pchat-hadr's, and fail only because of --strict: generate never deletes them; move them out of %s.", yours, filepath.ToSlash(c.String("out")))
		if yours == len(failing) {
			b.WriteString("\n")
			return b.String()
		}
	}
	if lineEnds > 0 {
		fmt.Fprintf(&b, " %d file(s) differ only in line ends: git converted them; add \"%s/** -text\" to .gitattributes so that git keeps the bytes check compares, and regenerate.", lineEnds, filepath.ToSlash(c.String("out")))
	}
	if edited > 0 {
		fmt.Fprintf(&b, " %d file(s) were edited by hand or are not pchat-hadr's, which generate does not overwrite: move your changes into the site file (or a --templates folder), then run:\n  %s\n", edited, regenerateCommand(c, true))
		return b.String()
	}
	fmt.Fprintf(&b, " To regenerate, run:\n  %s\n", regenerateCommand(c, false))
	return b.String()
}

// DifferenceJSON is a difference in check --format json output.
type DifferenceJSON struct {
	Path   string `json:"path"`
	Kind   string `json:"kind"`
	Reason string `json:"reason,omitempty"`
	Diff   string `json:"diff,omitempty"`
	Folder bool   `json:"folder,omitempty"`
	Files  int    `json:"files,omitempty"`
}

// checkJSON reports check as JSON on stdout; the exit code is still 1
// when files differ.
func checkJSON(c *ucli.Context, run *rendered, failing, others []output.Difference) error {
	list := func(diffs []output.Difference) []DifferenceJSON {
		out := []DifferenceJSON{}
		for _, d := range diffs {
			out = append(out, DifferenceJSON{Path: filepath.ToSlash(d.Path), Kind: d.Kind, Reason: d.Reason, Diff: d.Diff, Folder: d.Folder, Files: d.Files})
		}
		return out
	}
	code := ExitOK
	fields := map[string]any{"up_to_date": len(failing) == 0, "sites": len(run.results), "differences": list(failing), "other_files": list(others)}
	if len(failing) > 0 {
		code = ExitChanged
		edited := false
		for _, d := range failing {
			edited = edited || d.Kind == output.KindEdited
		}
		fields["regenerate"] = regenerateCommand(c, edited)
	}
	if err := writeJSON(c, document(code, run.warnings, fields)); err != nil {
		return err
	}
	if code != ExitOK {
		return fail(code, "")
	}
	return nil
}

// regenerateCommand spells out the generate command matching this check.
func regenerateCommand(c *ucli.Context, force bool) string {
	parts := []string{"pchat-hadr", "generate", "--out", shellQuote(c.String("out"))}
	if t := c.String("templates"); t != "" {
		parts = append(parts, "--templates", shellQuote(t))
	}
	if force {
		parts = append(parts, "--force")
	}
	if c.Bool("example") {
		parts = append(parts, "--example")
	}
	for _, f := range c.Args().Slice() {
		parts = append(parts, shellQuote(f))
	}
	return strings.Join(parts, " ")
}

func shellQuote(s string) string {
	if s != "" && !strings.ContainsAny(s, " \t\n'\"\\$`*?[]{}()<>|&;#~!") {
		return s
	}
	return "'" + strings.ReplaceAll(s, "'", `'\''`) + "'"
}
