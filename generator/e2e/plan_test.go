package e2e

import (
	"bytes"
	"encoding/json"
	"os"
	"strconv"
	"strings"
	"testing"

	"pchat-hadr/generator/cli"
	"pchat-hadr/generator/plan"
)

// TestPlanMatchesRunbook runs "pchat-hadr plan --format json" for every
// operation and requires the runbook to list the same steps, with the same
// numbers, in the same order: both come from one list in the plan.
func TestPlanMatchesRunbook(t *testing.T) {
	runbook, err := os.ReadFile("golden/example/RUNBOOK.md")
	if err != nil {
		t.Fatal(err)
	}
	blocks := strings.Split(string(runbook), "\n### Step ")[1:]
	for op := range plan.Operations {
		t.Run(op, func(t *testing.T) {
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
			if len(got.Sites) != 1 || len(got.Sites[0].Steps) == 0 {
				t.Fatalf("want one site with steps, got %+v", got)
			}
			last := -1
			for _, s := range got.Sites[0].Steps {
				i := blockOf(blocks, s.File, last+1)
				if i < 0 {
					t.Fatalf("step %d (%s) is not in the runbook after block %d", s.Number, s.File, last)
				}
				if n := strconv.Itoa(s.Number) + ":"; !strings.HasPrefix(blocks[i], n) {
					t.Errorf("step %s is numbered %q in the runbook, %d in the plan", s.File, strings.SplitN(blocks[i], " ", 2)[0], s.Number)
				}
				last = i
			}
		})
	}
}

// blockOf finds the first step block from index from that names file.
func blockOf(blocks []string, file string, from int) int {
	win := strings.ReplaceAll(file, "/", `\`)
	for i := from; i < len(blocks); i++ {
		if strings.Contains(blocks[i], "`"+file+"`") || strings.Contains(blocks[i], `.\`+win+"`") {
			return i
		}
	}
	return -1
}
