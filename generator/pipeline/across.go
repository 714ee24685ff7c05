package pipeline

import (
	"fmt"
	"strings"

	"pchat-hadr/generator/diag"
	"pchat-hadr/generator/site"
)

// claim is a value that at most one site of a run may hold, and what the
// message says about it.
type claim struct {
	path, value string
	what        string // what the value is, for the message: "the pool FQDN"
	why         string
}

// claims lists what a site holds that no other site of the run may: a
// second site with the same pool, database instance or log-shipping folder
// is a copy-paste mistake whose scripts would act on the first site's
// servers. Witnesses and monitors may be shared (one witness can serve
// several mirroring sessions).
func claims(s *site.Site) []claim {
	out := []claim{{"site.name", s.Site.Name, "the name", "site names must be unique because they name the output folders"},
		{"site.pool_fqdn", strings.ToLower(s.Site.PoolFQDN), "the pool FQDN", "each site is one Persistent Chat pool"}}
	for _, r := range site.Roles {
		if in := s.SQL.Instance(r.Key); in != nil && !r.Witness && in.FQDN != "" {
			out = append(out, claim{"sql." + r.Key + ".fqdn", in.Key(), "sql." + r.Key, "an instance holds the Persistent Chat databases of one pool only (only a witness may serve several sites)"})
		}
	}
	if ls := s.Shares.LogShipping; ls != "" {
		out = append(out, claim{"shares.log_shipping", strings.ToLower(ls), "the log-shipping share", "both sites would write their mgc log backups to one folder and delete each other's"})
	}
	return out
}

// heldClaim is a claim with the place and spelling of its value, taken
// before the site's document is dropped.
type heldClaim struct {
	claim
	at    diag.Problem // where the value is written, without a message
	shown string       // the value as the site file wrote it
}

// siteClaims lists a loaded site's claims with where each is written.
func siteClaims(l *site.Loaded) []heldClaim {
	var out []heldClaim
	for _, c := range claims(&l.Site) {
		if c.value != "" {
			out = append(out, heldClaim{claim: c, at: l.Problem(c.path, ""), shown: valueAt(&l.Site, c.path)})
		}
	}
	return out
}

// acrossSites reports, against the later site, every claim two sites of
// the run share. It returns the problems per input.
func acrossSites(inputs []Input, held [][]heldClaim) []diag.List {
	type holder struct {
		input      int
		file, what string
	}
	first := map[string]holder{} // kind + value -> first holder
	out := make([]diag.List, len(inputs))
	for i, cs := range held {
		for _, c := range cs {
			kind := c.path
			if strings.HasPrefix(kind, "sql.") {
				kind = "sql" // an instance in any database role
			}
			f, dup := first[kind+"\x00"+c.value]
			if dup && f.input == i {
				continue // two roles of one site: validate reports it
			}
			if !dup {
				first[kind+"\x00"+c.value] = holder{i, inputs[i].File, c.what}
				continue
			}
			p := c.at
			p.Message = fmt.Sprintf("%s is also %s of the site in %s; %s", diag.Quote(c.shown), f.what, f.file, c.why)
			out[i] = append(out[i], p)
		}
	}
	return out
}

// valueAt returns a claimed value as the site file wrote it.
func valueAt(s *site.Site, path string) string {
	switch path {
	case "site.name":
		return s.Site.Name
	case "site.pool_fqdn":
		return s.Site.PoolFQDN
	case "shares.log_shipping":
		return s.Shares.LogShipping
	}
	role := strings.TrimSuffix(strings.TrimPrefix(path, "sql."), ".fqdn")
	return s.SQL.Instance(role).ServerName()
}
