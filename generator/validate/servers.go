package validate

import (
	"fmt"
	"strings"

	"pchat-hadr/generator/diag"
	"pchat-hadr/generator/site"
)

// Pool limits for Persistent Chat with HA/DR (domain reference, section 1).
const (
	maxServers = 8
	maxActive  = 4
)

func (v *checker) servers() {
	srv := v.s.Servers
	if len(srv) == 0 {
		v.errorf("servers", "no Persistent Chat servers; add one [[servers]] table per server (at most %d)", maxServers)
		return
	}
	if len(srv) > maxServers {
		v.errorf(fmt.Sprintf("servers[%d]", maxServers), "%d servers; a Persistent Chat pool with HA/DR holds at most %d", len(srv), maxServers)
	}
	seen := map[string]int{}
	var active, after []int
	for i, s := range srv {
		p := fmt.Sprintf("servers[%d]", i)
		if v.required(p+".fqdn", s.FQDN, "the server's FQDN") && v.check(p+".fqdn", checkFQDN(s.FQDN)) {
			k := strings.ToLower(s.FQDN)
			if j, dup := seen[k]; dup {
				v.errorf(p+".fqdn", "%s is already listed as servers[%d]", diag.Quote(s.FQDN), j)
			} else {
				seen[k] = i
			}
			v.serverHost(p+".fqdn", s.FQDN)
		}
		okDC := v.dataCenter(dcOf(p), s.DataCenter)
		if s.Active {
			active = append(active, i)
			if okDC && s.DataCenter == "backup" && !v.s.DataCenters.LowLatencyLink {
				v.errorf(p+".active", "%s is in the backup data center; without a low-latency link (data_centers.low_latency_link = false) servers active in normal operation must be in the primary data center", s.FQDN)
			}
		}
		if s.ActiveAfterFailover {
			after = append(after, i)
			if okDC && s.DataCenter != "backup" {
				v.errorf(p+".active_after_failover", "%s is in the primary data center; after a DR failover only servers in the backup data center may be active", s.FQDN)
			}
		}
	}
	v.activeCount("active", "in normal operation", active)
	v.activeCount("active_after_failover", "after a DR failover", after)
}

// serverHost refuses a Persistent Chat server FQDN that is the pool's or
// a SQL Server host's: a Multiple Computer Pool's FQDN names the pool, not
// one of its servers, and the HA/DR design keeps the databases on
// dedicated SQL Server instances, which the topology scripts would
// otherwise make an active Persistent Chat server.
func (v *checker) serverHost(path, fqdn string) {
	if strings.EqualFold(fqdn, v.s.Site.PoolFQDN) {
		v.errorf(path, "%s is the pool FQDN (site.pool_fqdn); a Multiple Computer Pool's FQDN names the pool, and each server has its own FQDN", diag.Quote(fqdn))
	}
	for _, r := range site.Roles {
		if in := v.s.SQL.Instance(r.Key); in != nil && strings.EqualFold(in.FQDN, fqdn) {
			v.errorf(path, "%s is also the host of sql.%s; Persistent Chat servers and the SQL Server instances of the HA/DR design are separate computers", diag.Quote(fqdn), r.Key)
			return
		}
	}
}

func (v *checker) activeCount(key, when string, idx []int) {
	switch {
	case len(idx) == 0:
		v.errorf("servers", "no server has %s = true; at least one server must be active %s", key, when)
	case len(idx) > maxActive:
		v.errorf(fmt.Sprintf("servers[%d].%s", idx[maxActive], key), "%d servers are active %s; at most %d may be", len(idx), when, maxActive)
	}
}
