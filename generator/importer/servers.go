package importer

import (
	"strings"
)

// servers writes one [[servers]] table per computer of the pool. The
// active list is the plan of the state the pool is in: the normal plan
// when Normal, the failover plan when FailedOver; the other plan, and
// every server's data center, are TODOs.
func (im *importer) servers() {
	p := im.pool
	active := map[string]bool{}
	for _, s := range p.ActiveServers {
		active[strings.ToLower(s)] = true
	}
	state := p.State
	for _, c := range p.Computers {
		t := im.add("[[servers]]")
		t.set("fqdn", c, "Get-CsPool Computers of "+p.PoolFQDN+".")
		t.todo("data_center", "primary or backup: the data center of "+c, "Not in a deployment: the pool is stretched inside one Lync site.")
		on := active[strings.ToLower(c)]
		switch {
		case strings.EqualFold(state, "Normal"):
			t.set("active", on, "Get-CsService ActiveServers while the pool state is Normal: "+listed(on)+".")
			t.todo("active_after_failover", "true or false: whether "+c+" is active after a DR failover", "Not in a deployment while the pool state is Normal.")
		case strings.EqualFold(state, "FailedOver"):
			t.todo("active", "true or false: whether "+c+" is active in normal operation", "Not in a deployment while the pool state is FailedOver.")
			t.set("active_after_failover", on, "Get-CsService ActiveServers while the pool state is FailedOver: "+listed(on)+".")
		default:
			why := "The pool state was not read, so the active list cannot be told apart."
			t.todo("active", "true or false: whether "+c+" is active in normal operation", why)
			t.todo("active_after_failover", "true or false: whether "+c+" is active after a DR failover", why)
		}
	}
	if len(p.Computers) == 0 {
		t := im.add("[[servers]]", "Get-CsPool listed no computer for "+p.PoolFQDN+".")
		t.todo("fqdn", "the FQDN of a Persistent Chat server of the pool", "")
		t.todo("data_center", "primary or backup", "")
	}
}

func listed(on bool) string {
	if on {
		return "listed"
	}
	return "not listed"
}
