package plan

// topologyOp sets the active servers of normal operation.
func (b *builder) topologyOp() *Operation {
	o := b.op("topology", PhaseTopology, "active servers of normal operation", "topology/10-set-normal-active-servers.ps1")
	o.add(b.activate("topology.active", "Set the active servers of normal operation (servers not in it removed, then the missing ones added)", b.ops.NormalActive).
		req(poolIs("Normal").fix("dr-failback/90-dr-failback.ps1")))
	o.Preflight = []Pred{poolIs("Normal").fix("dr-failback/90-dr-failback.ps1")}
	o.Ends = []Pred{activeIs(b.ops.NormalActive)}
	o.Before, o.After = "Any active list.", "The servers of normal operation are active."
	return o
}

// activate is a step that makes exactly these servers active.
func (b *builder) activate(id, title string, servers []string) *Step {
	return b.shell(id, title, Action{Kind: ActionActive, Servers: servers}).ens(activeIs(servers))
}

// clearActive is the step that starts an outage: no server accepts new
// connections until the operation activates servers again.
func (b *builder) clearActive(id string) *Step {
	return b.shell(id, "Clear the active servers: no Persistent Chat server accepts connections from here on", Action{Kind: ActionActive}).
		ens(activeIs(nil))
}
