package cli

import (
	"fmt"
	"strings"

	ucli "github.com/urfave/cli/v2"

	"pchat-hadr/generator/pipeline"
	"pchat-hadr/generator/plan"
)

// PlanStep is one step of the plan command's output; the JSON field names
// are part of the interface (docs/cli.md).
type PlanStep struct {
	Number          int      `json:"number"`
	Title           string   `json:"title"`
	Target          string   `json:"target"`
	File            string   `json:"file,omitempty"`
	Requires        []string `json:"requires"`
	Ensures         []string `json:"ensures"`
	PointOfNoReturn bool     `json:"point_of_no_return"`
	BackOut         string   `json:"back_out,omitempty"`
}

// PlanSite is one site's steps for the chosen operation.
type PlanSite struct {
	File      string     `json:"file"`
	Site      string     `json:"site"`
	Operation string     `json:"operation"`
	Run       string     `json:"run"`
	Steps     []PlanStep `json:"steps"`
}

// operationList returns the names of --operation, in runbook order.
func operationList() []string { return plan.OperationNames }

func operationNames() string { return strings.Join(operationList(), ", ") }

func planCommand() *ucli.Command {
	return &ucli.Command{
		Name:      "plan",
		Usage:     "print the ordered steps of an operation without writing anything",
		ArgsUsage: "SITE.toml...",
		Description: "The steps and their numbers are those of the operation's orchestrator and of its section in RUNBOOK.md. With --format json, stdout holds one document: " +
			"sites, each with file, site, operation, run (the command) and steps (number, title, target, file, requires, ensures, point_of_no_return, back_out). " + jsonEnvelope,
		Flags: []ucli.Flag{exampleFlag, formatFlag, strictFlag,
			&ucli.StringFlag{Name: "operation", Value: "mirroring", Usage: "one of: " + operationNames()}},
		Before: checkFormat,
		Action: func(c *ucli.Context) error {
			op := c.String("operation")
			if !knownOperation(op) {
				return fail(ExitBadInput, "pchat-hadr plan: --operation %q is not one of: %s", op, operationNames())
			}
			inputs, err := readInputs(c)
			if err != nil {
				return err
			}
			plans, probs, err := pipeline.Plans(inputs)
			if perr := problems(c, probs, len(inputs)); perr != nil {
				return perr
			}
			if err != nil {
				return fail(ExitBadInput, "pchat-hadr: %v", err)
			}
			var sites []PlanSite
			for i, p := range plans {
				sites = append(sites, planSite(inputs[i].File, p, p.Operation(op)))
			}
			if isJSON(c) {
				return writeJSON(c, document(ExitOK, probs, map[string]any{"sites": sites}))
			}
			for _, ps := range sites {
				fmt.Fprintf(c.App.Writer, "%s (%s): %s\n  run: %s\n", ps.Site, ps.File, op, ps.Run)
				for _, s := range ps.Steps {
					fmt.Fprintf(c.App.Writer, "\n%3d. %s%s\n     where:    %s\n", s.Number, noReturn(s), s.Title, s.Target)
					if s.File != "" {
						fmt.Fprintf(c.App.Writer, "     file:     %s\n", s.File)
					}
					for _, r := range s.Requires {
						fmt.Fprintf(c.App.Writer, "     requires: %s\n", r)
					}
					for _, e := range s.Ensures {
						fmt.Fprintf(c.App.Writer, "     ensures:  %s\n", e)
					}
					if s.BackOut != "" {
						fmt.Fprintf(c.App.Writer, "     back out: %s\n", s.BackOut)
					}
				}
				fmt.Fprintln(c.App.Writer)
			}
			return nil
		},
	}
}

func knownOperation(op string) bool {
	for _, n := range plan.OperationNames {
		if n == op {
			return true
		}
	}
	return false
}

func noReturn(s PlanStep) string {
	if s.PointOfNoReturn {
		return "POINT OF NO RETURN: "
	}
	return ""
}

// planSite lists an operation's steps as its orchestrator runs them.
func planSite(file string, p *plan.Plan, o *plan.Operation) PlanSite {
	ps := PlanSite{File: file, Site: p.Site.Site.Name, Operation: o.Name, Run: o.Command(), Steps: []PlanStep{}}
	for i, st := range o.Steps {
		s := PlanStep{Number: i + 1, Title: st.Title, Target: st.Where.Text(), PointOfNoReturn: st.NoReturn, BackOut: st.BackOut,
			Requires: []string{}, Ensures: []string{}}
		if len(st.Action.Files) > 0 {
			s.File = st.Action.Files[0].Path
		}
		for _, r := range st.Requires {
			s.Requires = append(s.Requires, r.Text())
		}
		for _, e := range st.Ensures {
			s.Ensures = append(s.Ensures, e.Text())
		}
		ps.Steps = append(ps.Steps, s)
	}
	return ps
}
