package plan

import (
	"fmt"

	"pchat-hadr/generator/site"
)

// Diagram is the picture of the site at the top of RUNBOOK.md, in normal
// operation: the two data centers with the SQL Server instances, the
// Persistent Chat servers and the shares in each, and the mirroring,
// witness and log-shipping links between them. The runbook-diagram
// template draws it as a Mermaid flowchart.
type Diagram struct {
	Primary DiagramDC
	Backup  DiagramDC
	// Elsewhere holds what the site places in no data center: the
	// log-shipping share without shares.log_shipping_data_center, the
	// mirroring seed share and the log-shipping monitor.
	Elsewhere []DiagramNode
	Links     []DiagramLink
}

// DiagramDC is one data center of the diagram.
type DiagramDC struct {
	Name  string // the site's name for it (data_centers.primary or backup)
	Nodes []DiagramNode
}

// DiagramNode is one box of the diagram.
type DiagramNode struct {
	ID   string // Mermaid node id, n1, n2...: never a site value
	Kind string // "instance", "server", "share" or "folder" (the copy folder on the backup)
	// Role is the instance's role key (primary_mirror, or monitor), or the
	// shares key of a share or folder (log_shipping, copy_destination).
	Role string
	Name string // instance: server name; server: FQDN; share or folder: its path
	// State is what an instance is ("principal", "witness") for the
	// Databases it holds: now, or only after a DR failover.
	State         string
	Databases     []string
	AfterFailover bool
	// Active and ActiveAfterFailover are a server's place on the active
	// list in normal operation and after a DR failover.
	Active, ActiveAfterFailover bool
}

// DiagramLink is one arrow of the diagram.
type DiagramLink struct {
	From, To string // node IDs
	// Kind is "mirroring" (between partners, for Databases), "witness",
	// "log-backup" (backup job to the share), "copy" (copy job to the copy
	// folder), "restore" (restore job from it) or "seed" (seed backups).
	Kind      string
	Databases []string
	// Standby marks a link only used after a DR failover, or, for the
	// primary mirror's log backups, only while it is the principal.
	Standby bool
}

// diagram lays out a validated site for the runbook's picture.
func diagram(s *site.Site) Diagram {
	d := Diagram{Primary: DiagramDC{Name: s.DataCenters.Primary}, Backup: DiagramDC{Name: s.DataCenters.Backup}}
	ids := map[string]string{} // role or shares key -> node id
	count := 0
	add := func(dc string, n DiagramNode) {
		count++
		n.ID = fmt.Sprintf("n%d", count)
		if n.Role != "" {
			ids[n.Role] = n.ID
		}
		switch dc {
		case "primary":
			d.Primary.Nodes = append(d.Primary.Nodes, n)
		case "backup":
			d.Backup.Nodes = append(d.Backup.Nodes, n)
		default:
			d.Elsewhere = append(d.Elsewhere, n)
		}
	}
	for _, r := range site.Roles {
		if in := s.SQL.Instance(r.Key); in != nil {
			state, dbs := roleState(s, r.Key)
			after := r.DataCenter == "backup" && r.Key != "backup"
			add(in.DataCenter, DiagramNode{Kind: "instance", Role: r.Key, Name: in.ServerName(), State: state, Databases: dbs, AfterFailover: after})
		}
	}
	if m := s.LogShipping.Monitor; m != nil {
		add("", DiagramNode{Kind: "instance", Role: "monitor", Name: m.AsInstance().ServerName(), State: "log-shipping monitor", Databases: []string{"mgc"}})
	}
	for _, sv := range s.Servers {
		add(sv.DataCenter, DiagramNode{Kind: "server", Name: sv.FQDN, Active: sv.Active, ActiveAfterFailover: sv.ActiveAfterFailover})
	}
	add(s.Shares.LogShippingDataCenter, DiagramNode{Kind: "share", Role: "log_shipping", Name: s.Shares.LogShipping})
	add("backup", DiagramNode{Kind: "folder", Role: "copy_destination", Name: s.Shares.CopyDestination})
	add("", DiagramNode{Kind: "share", Role: "mirroring_seed", Name: s.Shares.MirroringSeed})
	add("backup", DiagramNode{Kind: "share", Role: "backup_mirroring_seed", Name: s.Shares.BackupMirroringSeed})
	d.Links = diagramLinks(s, ids)
	return d
}

// roleState is what an instance role is, and for which databases; the
// roles of the backup data center but the backup itself are so only after
// a DR failover.
func roleState(s *site.Site, role string) (string, []string) {
	shared := []string{"mgc"}
	if s.Compliance.Enabled && s.Compliance.SharedInstances {
		shared = append(shared, "mgccomp")
	}
	switch role {
	case "primary":
		return "principal", shared
	case "primary_mirror":
		return "mirror", shared
	case "primary_witness":
		return "witness", witnessed(s)
	case "backup":
		return "log-shipping secondary", []string{"mgc"}
	case "backup_mirror":
		return "mirror", shared
	case "backup_witness":
		return "witness", witnessed(s)
	case "compliance_primary":
		return "principal", []string{"mgccomp"}
	case "compliance_primary_mirror":
		return "mirror", []string{"mgccomp"}
	case "compliance_backup":
		return "principal", []string{"mgccomp"}
	case "compliance_backup_mirror":
		return "mirror", []string{"mgccomp"}
	}
	return "", nil
}

// witnessed lists the databases whose sessions a witness serves.
func witnessed(s *site.Site) []string {
	if s.Compliance.Enabled {
		return []string{"mgc", "mgccomp"}
	}
	return []string{"mgc"}
}

// diagramLinks draws the mirroring sessions (with their witnesses), the
// log shipping of mgc from the principal and from its mirror through the
// share and the copy folder to the backup, and the seed shares.
func diagramLinks(s *site.Site, ids map[string]string) []DiagramLink {
	var out []DiagramLink
	pair := func(principal, mirror, witness string, standby bool) {
		p, m := ids[principal], ids[mirror]
		if p == "" || m == "" {
			return
		}
		_, dbs := roleState(s, mirror) // the backup itself holds only mgc before a failover
		out = append(out, DiagramLink{From: p, To: m, Kind: "mirroring", Databases: dbs, Standby: standby})
		if w := ids[witness]; w != "" {
			out = append(out, DiagramLink{From: w, To: p, Kind: "witness", Standby: standby},
				DiagramLink{From: w, To: m, Kind: "witness", Standby: standby})
		}
		seed := "mirroring_seed"
		if standby {
			seed = "backup_mirroring_seed"
		}
		out = append(out, DiagramLink{From: p, To: ids[seed], Kind: "seed", Standby: standby},
			DiagramLink{From: ids[seed], To: m, Kind: "seed", Standby: standby})
	}
	pair("primary", "primary_mirror", "primary_witness", false)
	pair("compliance_primary", "compliance_primary_mirror", "primary_witness", false)
	out = append(out,
		DiagramLink{From: ids["primary"], To: ids["log_shipping"], Kind: "log-backup", Databases: []string{"mgc"}},
		DiagramLink{From: ids["primary_mirror"], To: ids["log_shipping"], Kind: "log-backup", Databases: []string{"mgc"}, Standby: true},
		DiagramLink{From: ids["log_shipping"], To: ids["copy_destination"], Kind: "copy", Databases: []string{"mgc"}},
		DiagramLink{From: ids["copy_destination"], To: ids["backup"], Kind: "restore", Databases: []string{"mgc"}})
	pair("backup", "backup_mirror", "backup_witness", true)
	pair("compliance_backup", "compliance_backup_mirror", "backup_witness", true)
	return out
}
