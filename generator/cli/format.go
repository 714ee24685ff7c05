package cli

import (
	"encoding/json"
	"fmt"

	ucli "github.com/urfave/cli/v2"

	"pchat-hadr/generator/diag"
)

var formatFlag = &ucli.StringFlag{Name: "format", Value: "text", Usage: "output `FORMAT`: text or json (stable field names, for CI and review tools)"}

// checkFormat refuses formats other than text and json before any work.
func checkFormat(c *ucli.Context) error {
	switch f := c.String("format"); f {
	case "text", "json":
		return nil
	default:
		return fail(ExitBadInput, "pchat-hadr %s: --format %q is not text or json", c.Command.Name, f)
	}
}

func writeJSON(c *ucli.Context, v any) error {
	data, err := json.MarshalIndent(v, "", "  ")
	if err != nil {
		return err
	}
	_, err = fmt.Fprintf(c.App.Writer, "%s\n", data)
	return err
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
