package drift

import (
	"fmt"
	"strings"

	"pchat-hadr/generator/collect"
	"pchat-hadr/generator/plan"
	"pchat-hadr/generator/site"
)

// versions maps sql.version to SERVERPROPERTY('ProductVersion') prefixes.
var versions = map[string]string{"2008r2": "10.50.", "2012": "11.", "2014": "12.", "2016": "13.", "2017": "14.", "2019": "15.", "2022": "16."}

// pairs are the plan's mirroring sessions in the primary data center.
func (c *comparer) pairs() []plan.Pair {
	for _, f := range c.p.Files {
		if f.Data.Ops != nil {
			return f.Data.Ops.Pairs
		}
	}
	return nil
}

// inSession reports whether a role is a partner or witness of a session
// the site sets up now (the backup data center's only after a failover).
func (c *comparer) inSession(role string) bool {
	for _, p := range c.pairs() {
		if p.Principal.Role == role || p.Mirror.Role == role || p.Witness != nil && p.Witness.Role == role {
			return true
		}
	}
	return false
}

// instances compares every instance of the site with what it reported.
func (c *comparer) instances() {
	s := c.p.Site
	seen := map[string]bool{}
	for _, r := range site.Roles {
		in := s.SQL.Instance(r.Key)
		if in == nil || seen[in.Key()] {
			continue
		}
		seen[in.Key()] = true
		path := "sql." + r.Key
		live := c.doc.Instance(in.ServerName())
		switch {
		case live == nil:
			c.add(path, in.ServerName(), "not collected", fmt.Sprintf("collect again, naming the instance with -AlsoInstance '%s'", in.ServerName()), "")
			continue
		case live.Error != "":
			c.add(path, in.ServerName(), "not read: "+live.Error, "make sure the instance runs and the collector's account is sysadmin on it, then collect again", "")
			continue
		}
		c.version(in, live)
		c.endpoint(path, r, in, live)
		c.accounts(path, r, in, live)
	}
}

func (c *comparer) version(in *site.Instance, live *collect.Instance) {
	v := c.p.Site.SQL.Version
	if pv := live.Properties.ProductVersion; pv != "" && !strings.HasPrefix(pv, versions[v]) {
		c.add("sql.version", v, in.ServerName()+": "+pv,
			"the instance runs another SQL Server version: edit sql.version (mirroring needs one version on partners and witness), or upgrade the instance", "")
	}
}

func (c *comparer) endpoint(path string, r site.Role, in *site.Instance, live *collect.Instance) {
	script := c.script("mirroring")
	e := live.Endpoint
	if e == nil {
		if c.inSession(r.Key) {
			c.add(path+".port", fmt.Sprint(in.Port), "no mirroring endpoint", "create the endpoint and its logins", script)
		}
		return
	}
	if e.Port != in.Port {
		c.add(path+".port", fmt.Sprint(in.Port), fmt.Sprintf("%d (endpoint %s)", e.Port, e.Name),
			"edit the site file: the scripts build the mirroring addresses from its ports, and the endpoint script stops on a mismatch", "")
	}
	if !e.Encryption || !strings.Contains(strings.ToUpper(e.Algorithm), "AES") {
		live := e.Algorithm
		if !e.Encryption {
			live = "encryption disabled"
		}
		c.add(path+" endpoint encryption", "REQUIRED ALGORITHM AES", live,
			fmt.Sprintf("on %s, ALTER ENDPOINT [%s] FOR DATABASE_MIRRORING (ENCRYPTION = REQUIRED ALGORITHM AES): an endpoint that cannot negotiate AES does not connect to one that requires it, and the endpoint script refuses it; then run it again", in.ServerName(), e.Name), script)
	}
	want := "PARTNER"
	if r.Witness {
		want = "WITNESS"
	}
	if role := strings.ToUpper(e.Role); role != want && role != "ALL" {
		c.add(path+" endpoint role", want+" or ALL", e.Role, fmt.Sprintf("on %s, ALTER ENDPOINT [%s] FOR DATABASE_MIRRORING (ROLE = %s)", in.ServerName(), e.Name, want), "")
	}
	if !strings.EqualFold(e.State, "STARTED") {
		c.add(path+" endpoint state", "STARTED", e.State, "start the endpoint (the endpoint script starts a stopped one)", script)
	}
}

// accounts compares the engine and Agent service accounts.
func (c *comparer) accounts(path string, r site.Role, in *site.Instance, live *collect.Instance) {
	if live.Services == nil {
		return // sys.dm_server_services is missing before 2008 R2 SP1
	}
	prereq := c.script("ps/prerequisites/check.ps1.tmpl")
	if s := live.Service("SQL Server"); s != nil && !strings.EqualFold(s.ServiceAccount, in.ServiceAccount) {
		c.add(path+".service_account", in.ServiceAccount, s.ServiceAccount,
			"edit the site file, regenerate, and run the mirroring endpoint scripts again (they create the login of the new account); the prerequisite check then shows the share permissions it needs", prereq)
	}
	if r.Witness {
		return
	}
	if s := live.Service("SQL Server Agent"); s != nil && !strings.EqualFold(s.ServiceAccount, in.Agent()) {
		c.add(path+".agent_account", in.Agent(), s.ServiceAccount,
			"edit agent_account in the site file and regenerate; the prerequisite check then shows the share and folder permissions the Agent jobs need", prereq)
	}
}
