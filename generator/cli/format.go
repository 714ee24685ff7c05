package cli

import (
	"encoding/json"
	"fmt"
	"io"
	"strings"

	ucli "github.com/urfave/cli/v2"

	"pchat-hadr/generator/diag"
)

var formatFlag = &ucli.StringFlag{Name: "format", Value: "text", Usage: "output `FORMAT`: text or json (one JSON document on stdout, whatever the outcome; see the shapes below)"}

// Formats are the values of --format.
var Formats = []string{"text", "json"}

// jsonOutput describes the fields every --format json document has, in
// pchat-hadr help and docs/cli.md; each command's description adds its own.
const jsonOutput = "JSON output: validate, check, plan and generate take --format json, and then print exactly one JSON document on stdout, " +
	"whatever the outcome, with the exit code of the text form (0, 1 for check differences, 2). " +
	"Every document has ok (true when the exit code is 0), exit_code, and problems " +
	"(file, line, column, key, severity: error or warning, message; warnings included). " +
	"A run that fails before it has its own fields (bad input, a file that cannot be read, a usage error, a refusal to write, an interruption) " +
	"prints {ok: false, exit_code, error (the message), problems} and nothing else."

// jsonEnvelope ends the description of each command that takes --format.
const jsonEnvelope = "It also has the fields every document has (see JSON output in pchat-hadr help or docs/cli.md)."

// checkFormat refuses formats other than text and json before any work.
func checkFormat(c *ucli.Context) error {
	switch f := c.String("format"); f {
	case "text", "json":
		return nil
	default:
		return fail(ExitBadInput, "pchat-hadr %s: --format %q is not text or json", c.Command.Name, f)
	}
}

func isJSON(c *ucli.Context) bool { return c.String("format") == "json" }

// jsonCommands are the commands that take --format json.
var jsonCommands = map[string]bool{"validate": true, "check": true, "plan": true, "generate": true}

// jsonRequested reads --format json from the raw arguments, so that even
// a usage error that stops urfave/cli before the command runs is reported
// as JSON.
func jsonRequested(args []string) bool {
	cmd := -1
	for i := 1; i < len(args); i++ {
		if !strings.HasPrefix(args[i], "-") {
			cmd = i
			break
		}
	}
	if cmd < 0 || !jsonCommands[args[cmd]] {
		return false
	}
	for i := cmd + 1; i < len(args); i++ {
		switch a := strings.TrimLeft(args[i], "-"); {
		case args[i] == "--":
			return false
		case a == "format=json" && strings.HasPrefix(args[i], "-"):
			return true
		case a == "format" && strings.HasPrefix(args[i], "-") && i+1 < len(args) && args[i+1] == "json":
			return true
		}
	}
	return false
}

// document is a JSON document with the fields every one has.
func document(code int, probs diag.List, fields map[string]any) map[string]any {
	doc := map[string]any{"ok": code == ExitOK, "exit_code": code, "problems": problemsJSON(probs)}
	for k, v := range fields {
		doc[k] = v
	}
	return doc
}

func writeJSON(c *ucli.Context, v any) error { return encodeJSON(c.App.Writer, v) }

func encodeJSON(w io.Writer, v any) error {
	data, err := json.MarshalIndent(v, "", "  ")
	if err != nil {
		return err
	}
	_, err = fmt.Fprintf(w, "%s\n", data)
	return err
}

// writeFailureJSON writes the document of a run that failed before it
// could write its own: the message, and its problems (one per line of the
// message when it carries none).
func writeFailureJSON(w io.Writer, code int, msg string, probs diag.List) {
	msg = strings.TrimRight(msg, "\n")
	if probs == nil {
		for _, line := range strings.Split(msg, "\n") {
			if line != "" {
				probs = append(probs, diag.Problem{Message: line})
			}
		}
	}
	encodeJSON(w, document(code, probs, map[string]any{"error": msg}))
}

// ProblemJSON is a problem in --format json output.
type ProblemJSON struct {
	File     string `json:"file"`
	Line     int    `json:"line,omitempty"`
	Column   int    `json:"column,omitempty"`
	Key      string `json:"key,omitempty"`
	Severity string `json:"severity"`
	Message  string `json:"message"`
}

func problemsJSON(list diag.List) []ProblemJSON {
	out := []ProblemJSON{}
	for _, p := range list {
		sev := "error"
		if p.Severity == diag.Warning {
			sev = "warning"
		}
		out = append(out, ProblemJSON{File: p.File, Line: p.Line, Column: p.Col, Key: p.Key, Severity: sev, Message: p.Message})
	}
	return out
}
