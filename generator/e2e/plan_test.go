package e2e

import (
	"bytes"
	"encoding/json"
	"os"
	"reflect"
	"strings"
	"testing"

	"pchat-hadr/generator/cli"
	"pchat-hadr/generator/plan"
)

// TestPlanMatchesRunbook runs "pchat-hadr plan --format json" for every
// operation and requires the runbook to list its steps in the same order,
// with the same numbers and files: both come from the operation's table.
func TestPlanMatchesRunbook(t *testing.T) {
	runbook, err := os.ReadFile("golden/example/RUNBOOK.md")
	if err != nil {
		t.Fatal(err)
	}
	for _, op := range plan.OperationNames {
		t.Run(op, func(t *testing.T) {
			sites := planJSON(t, op)
			if len(sites) != 1 || len(sites[0].Steps) == 0 {
				t.Fatalf("want one site with steps, got %+v", sites)
			}
			ps := sites[0]
			section := runbookSection(t, string(runbook), ps.Run)
			for _, s := range ps.Steps {
				line := lineStarting(section, strings.TrimSpace(itoa(s.Number))+". ")
				if line == "" {
					t.Fatalf("step %d of %s is not in its runbook section", s.Number, op)
				}
				if s.File != "" && !strings.Contains(line, "`"+s.File+"`") {
					t.Errorf("step %d of %s runs %s in the plan; the runbook says %q", s.Number, op, s.File, line)
				}
			}
		})
	}
}

// TestOrchestratorTablesMatchPlan reads the step table out of each
// rendered orchestrator and requires it to equal the plan's: numbers,
// titles, what each requires and ensures, and the points of no return.
func TestOrchestratorTablesMatchPlan(t *testing.T) {
	for _, op := range plan.OperationNames {
		t.Run(op, func(t *testing.T) {
			ps := planJSON(t, op)[0]
			script := strings.TrimPrefix(strings.Fields(ps.Run)[0], `.\`)
			text, err := os.ReadFile("golden/example/" + strings.ReplaceAll(script, `\`, "/"))
			if err != nil {
				t.Fatal(err)
			}
			got := orchestratorTable(string(text), ps.Steps[0].Title, len(ps.Steps))
			var want []tableStep
			for _, s := range ps.Steps {
				want = append(want, tableStep{N: s.Number, Title: s.Title, Requires: s.Requires, Ensures: s.Ensures, NoReturn: s.PointOfNoReturn})
			}
			if !reflect.DeepEqual(got, want) {
				t.Errorf("the orchestrator's table differs from the plan:\n got %+v\nwant %+v", got, want)
			}
		})
	}
}

func planJSON(t *testing.T, op string) []cli.PlanSite {
	t.Helper()
	var stdout, stderr bytes.Buffer
	if code := cli.Main([]string{"pchat-hadr", "plan", "--format", "json", "--operation", op, "--example"}, &stdout, &stderr); code != 0 {
		t.Fatalf("exit %d: %s", code, stderr.String())
	}
	var got struct {
		Sites []cli.PlanSite `json:"sites"`
	}
	if err := json.Unmarshal(stdout.Bytes(), &got); err != nil {
		t.Fatal(err)
	}
	return got.Sites
}
