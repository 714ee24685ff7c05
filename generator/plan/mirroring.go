package plan

import (
	"fmt"
	"path"
	"strings"

	"pchat-hadr/generator/site"
)

// PhaseMirroring is the runbook section of procedure P2.
const PhaseMirroring = "mirroring"

// Pair is one database mirroring session inside the primary data center.
type Pair struct {
	Database  string
	Principal Target
	Mirror    Target
	Witness   *Target
	SeedFull  string // UNC path of the seed full backup
	SeedLog   string // UNC path of the seed log backup
	Moves     []site.Move
	Replace   bool // replace an existing ONLINE copy on the mirror
}

// Endpoint is the data of an endpoint-and-logins script.
type Endpoint struct {
	Name   string  // name used when the endpoint must be created
	Role   string  // PARTNER or WITNESS
	Logins []Login // network logins of the instances it talks to
}

// Login is a Windows login and the instances that connect with it.
type Login struct {
	Name  string
	Peers []string // "server (role)"
}

// mirrorPairs lists the mirroring sessions of P2: mgc, then mgccomp when
// compliance is on (on the mgc instances or its own), each with the primary
// data center's witness if there is one.
func mirrorPairs(s *site.Site) []Pair {
	var out []Pair
	add := func(db, principal, mirror string) {
		p := Pair{
			Database:  db,
			Principal: newTarget(principal, s.SQL.Instance(principal)),
			Mirror:    newTarget(mirror, s.SQL.Instance(mirror)),
			SeedFull:  s.Shares.MirroringSeed + `\` + db + ".bak",
			SeedLog:   s.Shares.MirroringSeed + `\` + db + ".trn",
			Replace:   s.Mirroring.ReplaceExistingMirrorDatabase,
		}
		if w := s.SQL.PrimaryWitness; w != nil {
			t := newTarget("primary_witness", w)
			p.Witness = &t
		}
		p.Moves = movesFor(s.SQL.Instance(mirror), db)
		out = append(out, p)
	}
	add("mgc", "primary", "primary_mirror")
	if s.Compliance.Enabled {
		if s.Compliance.SharedInstances {
			add("mgccomp", "primary", "primary_mirror")
		} else {
			add("mgccomp", "compliance_primary", "compliance_primary_mirror")
		}
	}
	return out
}

// endpointFiles plans one endpoint script per instance taking part in any
// pair, with a login for every other instance it exchanges traffic with.
func endpointFiles(s *site.Site, pairs []Pair, acc []Account) []File {
	type node struct {
		t     Target
		role  string
		peers []Target
	}
	var order []string
	nodes := map[string]*node{}
	link := func(a Target, role string, peers ...Target) {
		n, ok := nodes[a.Role]
		if !ok {
			n = &node{t: a, role: role}
			nodes[a.Role] = n
			order = append(order, a.Role)
		}
		for _, p := range peers {
			if !hasRole(n.peers, p.Role) {
				n.peers = append(n.peers, p)
			}
		}
	}
	for _, p := range pairs {
		link(p.Principal, "PARTNER", p.Mirror)
		link(p.Mirror, "PARTNER", p.Principal)
		if p.Witness != nil {
			link(p.Principal, "PARTNER", *p.Witness)
			link(p.Mirror, "PARTNER", *p.Witness)
			link(*p.Witness, "WITNESS", p.Principal, p.Mirror)
		}
	}
	var out []File
	for _, r := range order {
		n := nodes[r]
		ep := &Endpoint{Name: s.Mirroring.EndpointName, Role: n.role}
		for _, peer := range n.peers {
			l := loginOf(acc, peer.Role)
			// A login is needed even when a peer runs under this instance's
			// own service account: since SQL Server 2008 setup provisions the
			// service SID, not the account, as a login. Shared accounts need
			// one login only.
			peerName := fmt.Sprintf("%s (%s)", peer.Server, peer.Role)
			if i := loginIndex(ep.Logins, l); i >= 0 {
				ep.Logins[i].Peers = append(ep.Logins[i].Peers, peerName)
				continue
			}
			ep.Logins = append(ep.Logins, Login{Name: l, Peers: []string{peerName}})
		}
		out = append(out, File{
			Path:     path.Join("mirroring", fmt.Sprintf("10-%s-endpoint.sql", n.t.Slug)),
			Template: "sql/mirroring/endpoint.sql.tmpl",
			Step: Step{Phase: PhaseMirroring, Target: n.t,
				What:  fmt.Sprintf("Mirroring endpoint (%s, port %d, AES) and CONNECT permission for the partner and witness service accounts", n.role, n.t.Port),
				Check: "The output reports the endpoint as created or reused, STARTED, on the site's port; one line per login and grant."},
			Data: Data{Endpoint: ep},
		})
	}
	return out
}

// pairFiles plans the seed, restore, partner and verify scripts of a pair.
func pairFiles(s *site.Site, p Pair) []File {
	db := p.Database
	pp := &p
	f := func(stage int, t Target, action, tmpl, what, check string) File {
		return File{
			Path:     path.Join("mirroring", fmt.Sprintf("%d-%s-%s-%s.sql", stage, t.Slug, action, db)),
			Template: "sql/mirroring/" + tmpl,
			Step:     Step{Phase: PhaseMirroring, Target: t, What: what, Check: check},
			Data:     Data{Pair: pp},
		}
	}
	witness := ""
	if p.Witness != nil {
		witness = ", sets the witness " + p.Witness.Address
	}
	return []File{
		f(20, p.Principal, "seed", "seed.sql.tmpl",
			fmt.Sprintf("Seed backups of %s to the seed share: sets FULL recovery if needed, pauses a log-shipping backup job, then a full and a log backup (COPY_ONLY)", db),
			fmt.Sprintf("Both backups report success; %s and %s are in the seed share.", path.Base(winSlash(p.SeedFull)), path.Base(winSlash(p.SeedLog)))),
		f(30, p.Mirror, "restore", "restore.sql.tmpl",
			fmt.Sprintf("Restores the seed of %s WITH NORECOVERY and sets the principal %s as its partner (the mirror goes first)", db, p.Principal.Address),
			fmt.Sprintf("%s is RESTORING on %s and the output shows SET PARTNER done or already in place.", db, p.Mirror.Server)),
		f(40, p.Principal, "partner", "partner.sql.tmpl",
			fmt.Sprintf("Starts mirroring of %s with the mirror %s at SAFETY FULL%s, and resumes a paused log-shipping backup job", db, p.Mirror.Address, witness),
			fmt.Sprintf("The output shows the partner%s in place.", map[bool]string{true: " and witness", false: ""}[p.Witness != nil])),
		f(50, p.Principal, "verify", "verify.sql.tmpl",
			fmt.Sprintf("Waits up to 5 minutes for %s to be SYNCHRONIZED, then checks role, safety and witness", db),
			verifyCheck(p)),
	}
}

func verifyCheck(p Pair) string {
	return "Exit code 0 and one row showing " + p.Expected() + "."
}

// Expected describes a healthy session as the verify script checks it.
func (p Pair) Expected() string {
	c := "PRINCIPAL, SYNCHRONIZED, SAFETY FULL, partner " + p.Mirror.Address
	if p.Witness != nil {
		c += ", witness " + p.Witness.Address + " CONNECTED"
	}
	return c
}

func winSlash(p string) string { return strings.ReplaceAll(p, `\`, "/") }

func hasRole(ts []Target, role string) bool {
	for _, t := range ts {
		if t.Role == role {
			return true
		}
	}
	return false
}

func loginIndex(list []Login, name string) int {
	for i, x := range list {
		if strings.EqualFold(x.Name, name) {
			return i
		}
	}
	return -1
}

func containsFold(list []string, s string) bool {
	for _, x := range list {
		if strings.EqualFold(x, s) {
			return true
		}
	}
	return false
}
