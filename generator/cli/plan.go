package cli

import (
	"fmt"
	"sort"
	"strings"

	ucli "github.com/urfave/cli/v2"

	"pchat-hadr/generator/pipeline"
	"pchat-hadr/generator/plan"
)

// PlanStep is one step of the plan command's output; the JSON field names
// are part of the interface (docs/cli.md).
type PlanStep struct {
	Number int    `json:"number"`
	Phase  string `json:"phase"`
	Target string `json:"target"`
	File   string `json:"file"`
	Run    string `json:"run"`
	RunBy  string `json:"run_by,omitempty"`
	What   string `json:"what"`
	Check  string `json:"check"`
}

// PlanSite is one site's steps for the chosen operation.
type PlanSite struct {
	File      string     `json:"file"`
	Site      string     `json:"site"`
	Operation string     `json:"operation"`
	Steps     []PlanStep `json:"steps"`
}

// operationList returns the names of --operation, sorted.
func operationList() []string {
	names := make([]string, 0, len(plan.Operations))
	for n := range plan.Operations {
		names = append(names, n)
	}
	sort.Strings(names)
	return names
}

func operationNames() string { return strings.Join(operationList(), ", ") }

func planCommand() *ucli.Command {
	return &ucli.Command{
		Name:      "plan",
		Usage:     "print the ordered steps of an operation without writing anything",
		ArgsUsage: "SITE.toml...",
		Description: "The steps and their numbers are those of the operation's section in RUNBOOK.md. With --format json, stdout holds one document: " +
			"sites, each with file, site, operation and steps (number, phase, target, file, run, run_by for files a script runs, what, check). " + jsonEnvelope,
		Flags: []ucli.Flag{exampleFlag, formatFlag, strictFlag,
			&ucli.StringFlag{Name: "operation", Value: "setup", Usage: "one of: " + operationNames()}},
		Before: checkFormat,
		Action: func(c *ucli.Context) error {
			op := c.String("operation")
			proc, ok := plan.Operations[op]
			if !ok {
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
				ps := PlanSite{File: inputs[i].File, Site: p.Site.Site.Name, Operation: op, Steps: []PlanStep{}}
				for _, s := range p.Steps() {
					if plan.Procedure(s.Phase) == proc {
						ps.Steps = append(ps.Steps, PlanStep{Number: s.N, Phase: s.Phase, Target: s.Target.Server,
							File: s.Path, Run: s.Run, RunBy: s.RunBy, What: s.What, Check: s.Check})
					}
				}
				sites = append(sites, ps)
			}
			if isJSON(c) {
				return writeJSON(c, document(ExitOK, probs, map[string]any{"sites": sites}))
			}
			for _, ps := range sites {
				fmt.Fprintf(c.App.Writer, "%s (%s): %s\n", ps.Site, ps.File, op)
				for _, s := range ps.Steps {
					fmt.Fprintf(c.App.Writer, "\n%3d. %s\n     file:  %s\n     run:   %s\n     does:  %s\n     check: %s\n",
						s.Number, s.Target, s.File, runText(s), s.What, s.Check)
				}
				fmt.Fprintln(c.App.Writer)
			}
			return nil
		},
	}
}

func runText(s PlanStep) string {
	if s.Run == "" {
		return "by " + s.RunBy + ", not by hand"
	}
	return s.Run
}
