// Package drift compares a site file, as planned, with a collected live
// deployment (package collect) and lists every difference with what to do
// about it: edit the site file, or run a generated script, whose path it
// takes from the plan. It reads; it changes nothing and writes nothing.
package drift

import (
	"fmt"
	"sort"
	"strings"

	"pchat-hadr/generator/collect"
	"pchat-hadr/generator/plan"
)

// Difference is one way the deployment differs from the site file. The
// JSON field names are part of the interface (docs/cli.md).
type Difference struct {
	Key    string `json:"key"`              // the site key, or what is compared
	Site   string `json:"site"`             // the site file's value ("-" for none)
	Live   string `json:"live"`             // the deployment's ("-" for none)
	Do     string `json:"what_to_do"`       // edit the site file, or run a script
	Script string `json:"script,omitempty"` // the generated script to run, relative to the site's output folder
}

// Compare lists the differences between a planned site and its pool in a
// collection; the pool must be in it (see Match).
func Compare(p *plan.Plan, doc *collect.Document) []Difference {
	c := &comparer{p: p, doc: doc, pool: doc.Pool(p.Site.Site.PoolFQDN)}
	if c.pool == nil {
		return []Difference{{Key: "site.pool_fqdn", Site: p.Site.Site.PoolFQDN, Live: "-",
			Do: "collect the pool: the collection holds no such Persistent Chat pool"}}
	}
	c.poolState()
	c.members()
	c.activeList()
	c.topology()
	c.instances()
	if c.normal() {
		c.sessions()
		c.logShipping()
	}
	return c.diffs
}

type comparer struct {
	p     *plan.Plan
	doc   *collect.Document
	pool  *collect.Pool
	diffs []Difference
}

func (c *comparer) add(key, site, live, do, script string) {
	if site == "" {
		site = "-"
	}
	if live == "" {
		live = "-"
	}
	if script != "" {
		do += ": " + script
	}
	c.diffs = append(c.diffs, Difference{Key: key, Site: site, Live: live, Do: do, Script: script})
}

// normal reports whether the pool runs on its primary databases, where the
// site's mirroring and log shipping are expected to be in place.
func (c *comparer) normal() bool { return strings.EqualFold(c.pool.State, "Normal") }

// Match picks, for each site, the collection that holds its pool: the
// latest collected when several do. It reports the sites no collection
// holds.
func Match(plans []*plan.Plan, docs []*collect.Document) ([]*collect.Document, []string) {
	out := make([]*collect.Document, len(plans))
	var missing []string
	for i, p := range plans {
		for _, d := range docs {
			if d.Pool(p.Site.Site.PoolFQDN) != nil && (out[i] == nil || d.CollectedAt > out[i].CollectedAt) {
				out[i] = d
			}
		}
		if out[i] == nil {
			missing = append(missing, p.Site.Site.PoolFQDN)
		}
	}
	return out, missing
}

// list shows a set of names in a stable order.
func list(names []string) string {
	s := append([]string(nil), names...)
	for i := range s {
		s[i] = strings.ToLower(s[i])
	}
	sort.Strings(s)
	return strings.Join(s, ", ")
}

// script finds the orchestrator of an operation by its plan name (the
// plan command's --operation), or the planned file of a read-only check by
// its template: paths come from the plan, so renamed scripts are found.
func (c *comparer) script(operation string) string {
	for _, f := range c.p.Files {
		if e := f.Data.Engine; e != nil {
			for _, t := range e.Tables {
				if t.Name == operation {
					return f.Path
				}
			}
		}
		if f.Template == operation {
			return f.Path
		}
	}
	return ""
}

// runbook names a procedure's section of RUNBOOK.md, when no script fits.
func runbook(phase string) string {
	return fmt.Sprintf("the %s procedure in RUNBOOK.md", phase)
}
