package model

import (
	"sort"
	"strings"

	"pchat-hadr/generator/plan"
)

// Site is what the model knows of the site besides its state: the
// instances by role, the topology's stores, the servers and the paths the
// plan uses. It is read from the plan, never from the scripts.
type Site struct {
	Plan    *plan.Plan
	Roles   []string       // instance roles, in state order
	Index   map[string]int // role -> index
	Servers map[string]string
	// Stores are the topology's database stores: for each database type
	// and store, the instance and its mirror and witness.
	Pairs       []plan.Pair // primary data center
	BackupPairs []plan.Pair
	LSFolder    string // the log-shipping share's mgc folder
	CopyFolder  string
	SeedShares  []string
	Witness     map[string]int // primary|backup -> witness instance, or -1
}

// NewSite reads the model's view of a plan.
func NewSite(p *plan.Plan) *Site {
	s := &Site{Plan: p, Index: map[string]int{}, Servers: map[string]string{}, Witness: map[string]int{"primary": -1, "backup": -1}}
	for i, a := range p.Accounts {
		s.Roles = append(s.Roles, a.Target.Role)
		s.Index[a.Target.Role] = i
	}
	for _, srv := range p.Site.Servers {
		s.Servers[strings.ToLower(srv.FQDN)] = srv.DataCenter
	}
	s.Pairs, s.BackupPairs = p.Ops.Pairs, p.Ops.BackupPairs
	s.LSFolder, s.CopyFolder = p.LogShip.BackupShare, p.LogShip.CopyDestination
	s.SeedShares = []string{p.Site.Shares.MirroringSeed, p.Site.Shares.BackupMirroringSeed}
	if i, ok := s.Index["primary_witness"]; ok {
		s.Witness["primary"] = i
	}
	if i, ok := s.Index["backup_witness"]; ok {
		s.Witness["backup"] = i
	}
	return s
}

// Fresh is the site before any script ran: Topology Builder has installed
// mgc (and mgccomp) on the primary stores and published the topology;
// the shares and folders the runbook asks for exist; no mirroring, no log
// shipping. The servers of normal operation are active.
func (s *Site) Fresh() *State {
	st := &State{Files: map[string]File{}, ShareUp: map[string]bool{}, Folders: map[string]bool{}, Hist: NewHistory(), roles: s.Index}
	for _, r := range s.Roles {
		st.Inst = append(st.Inst, &Instance{Role: r, Up: true, Agent: !strings.HasSuffix(r, "witness"),
			DBs: map[string]*Database{}, LSPrimary: map[string]*LSPrimary{}, LSSecondary: map[string]*LSSecondary{}, LogJobs: map[string]*LogJob{}, Connect: map[string]bool{}})
	}
	install := func(role, db string) {
		if in := st.InstOf(role); in != nil {
			in.DBs[db] = &Database{State: Online, Access: MultiUser, Full: false, At: 0, Guid: st.newSet()}
		}
	}
	install("primary", "mgc")
	if s.Plan.Site.Compliance.Enabled {
		for _, p := range s.Pairs[1:] {
			install(p.Principal.Role, "mgccomp")
		}
		// Assumption compliance-backup: the compliance backup store has an
		// empty mgccomp of its own, which a DR failover mirrors.
		if c := s.Plan.Ops.ComplianceBackup; c != nil {
			install(c.Role, "mgccomp")
		}
	}
	for _, f := range []string{s.LSFolder, s.CopyFolder} {
		st.Folders[f] = true
	}
	for _, f := range s.SeedShares {
		st.Folders[f] = true
	}
	for _, f := range append([]string{s.LSFolder}, s.SeedShares...) {
		if h := hostOf(f); h != "" {
			st.ShareUp[h] = true
		}
	}
	st.Pool = Pool{Active: sortedLower(s.Plan.Ops.NormalActive), CMS: true}
	return st
}

func sortedLower(list []string) []string {
	out := make([]string, len(list))
	for i, x := range list {
		out[i] = strings.ToLower(x)
	}
	sort.Strings(out)
	return out
}

// pairOf returns the topology pair of a database type and store: the
// Lync cmdlets find the mirror and the witness in the topology.
func (s *Site) pairOf(db string, principalRole string) (plan.Pair, bool) {
	for _, p := range append(append([]plan.Pair(nil), s.Pairs...), s.BackupPairs...) {
		if p.Database == db && p.Principal.Role == principalRole {
			return p, true
		}
	}
	return plan.Pair{}, false
}

func (s *Site) idx(t plan.Target) int { return s.Index[t.Role] }
