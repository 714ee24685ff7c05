package drift

import (
	"strings"

	"pchat-hadr/generator/collect"
	"pchat-hadr/generator/plan"
	"pchat-hadr/generator/quote"
)

// sessions compares each mirroring session of the primary data center,
// as its principal reports it, with the site's pair.
func (c *comparer) sessions() {
	for _, p := range c.pairs() {
		live := c.doc.Instance(p.Principal.Server)
		if live == nil || live.Error != "" {
			continue // reported with the instance
		}
		key := "mirroring " + p.Database
		db := live.Database(p.Database)
		if db == nil {
			c.add(key, p.Database+" on "+p.Principal.Server, "no "+p.Database,
				"the database does not exist: install it with Topology Builder (or Install-CsDatabase); Lync creates its databases", "")
			continue
		}
		if !strings.EqualFold(db.RecoveryModel, "FULL") {
			c.add(key+" recovery model", "FULL", db.RecoveryModel,
				"on "+p.Principal.Server+": ALTER DATABASE "+ident(p.Database)+" SET RECOVERY FULL; mirroring and log shipping need it", "")
		}
		m := db.Mirroring
		if m == nil {
			c.add(key, "PRINCIPAL, partner "+p.Mirror.Address, "not mirrored", "set up mirroring (seed, restore, partner)",
				c.script("mirroring"))
			continue
		}
		c.session(key, p, m)
	}
}

func (c *comparer) session(key string, p plan.Pair, m *collect.Mirroring) {
	partner := c.script("mirroring")
	verify := c.script("mirroring")
	db := ident(p.Database)
	if !strings.EqualFold(m.Role, "PRINCIPAL") {
		c.add(key+" principal", p.Principal.Server, p.Mirror.Server+" (this side is "+m.Role+")",
			"the mirror serves the database after a mirror failover: fail back with -NewPrincipal Primary",
			c.script("mirror-failback"))
	}
	if !strings.EqualFold(m.Partner, p.Mirror.Address) {
		c.add(key+" partner", p.Mirror.Address, m.Partner,
			"the session's partner is another instance: edit sql."+p.Mirror.Role+" in the site file if it is the intended mirror, else end the session (ALTER DATABASE "+db+" SET PARTNER OFF) and set mirroring up again", partner)
	}
	want := ""
	if p.Witness != nil {
		want = p.Witness.Address
	}
	switch {
	case strings.EqualFold(m.Witness, want):
	case want == "":
		c.add(key+" witness", "", m.Witness,
			"the site has no witness: add sql.primary_witness to the site file, or remove the witness with ALTER DATABASE "+db+" SET WITNESS OFF on the principal (not Uninstall-CsMirrorDatabase, which removes the mirror)", "")
	case m.Witness == "":
		c.add(key+" witness", want, "", "set the witness", partner)
	default:
		c.add(key+" witness", want, m.Witness, "the witness is another instance: edit sql."+p.Witness.Role+" in the site file, or set the site's witness", partner)
	}
	if want != "" && m.Witness != "" && !strings.EqualFold(m.WitnessState, "CONNECTED") {
		c.add(key+" witness state", "CONNECTED", m.WitnessState, "the partners cannot reach the witness, so failover is not automatic: check the witness instance and its endpoint port", verify)
	}
	switch state := strings.ToUpper(m.State); state {
	case "SYNCHRONIZED":
	case "SUSPENDED":
		c.add(key+" state", "SYNCHRONIZED", m.State, "resume the session on the principal (ALTER DATABASE "+db+" SET PARTNER RESUME), then check it", verify)
	case "SYNCHRONIZING":
		c.add(key+" state", "SYNCHRONIZED", m.State, "the mirror is catching up: collect again later, or watch it", verify)
	default:
		c.add(key+" state", "SYNCHRONIZED", m.State, "the partners do not reach each other: check the mirror instance, its endpoint and the port between them, then check the session", verify)
	}
	if !strings.EqualFold(m.SafetyLevel, "FULL") {
		c.add(key+" safety", "FULL", m.SafetyLevel, "Lync supports synchronous mirroring only: ALTER DATABASE "+db+" SET PARTNER SAFETY FULL on the principal", "")
	}
}

// ident quotes a database name as the scripts do; mgc and mgccomp need no
// quoting, but the text is shown to be copied.
func ident(name string) string {
	q, err := quote.SQLIdent(name)
	if err != nil {
		return name
	}
	return q
}
