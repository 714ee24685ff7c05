// Package importer turns a collected deployment (package collect) into a
// site file: every value the collection determines, each with a comment
// saying where it came from, and a TODO placeholder (site.TODOPrefix) for
// what no deployment can tell, which validate reports until it is filled
// in. It decides values; it does not validate them.
package importer

import (
	"fmt"
	"path/filepath"
	"sort"
	"strings"

	"pchat-hadr/generator/collect"
	"pchat-hadr/generator/site"
)

// Choices are the keys that import writes at their safe defaults because
// they are decisions, not facts a deployment records; their comment says
// so. (The round-trip test copies them, like the TODOs, from the site the
// collection was made from.)
var Choices = []string{"mirroring.replace_existing_mirror_database", "log_shipping.reinitialize_secondary"}

type importer struct {
	doc     *collect.Document
	pool    *collect.Pool
	members map[string]*member
	comp    compliance
	tables  []*table
}

// Import writes the site file of one pool of a collection read from file;
// poolFQDN may be empty when the collection holds a single pool.
func Import(doc *collect.Document, file, poolFQDN string) ([]byte, error) {
	pool, err := choosePool(doc, poolFQDN)
	if err != nil {
		return nil, fmt.Errorf("%s: %v", file, err)
	}
	im := &importer{doc: doc, pool: pool}
	if im.members, im.comp, err = im.roles(); err != nil {
		return nil, fmt.Errorf("%s: %v", file, err)
	}
	head := []string{
		fmt.Sprintf("Site file imported by pchat-hadr from %s: pool %s as collected at %s.", filepath.Base(file), pool.PoolFQDN, doc.CollectedAt),
		"Every value says where it came from. Replace each TODO value (what no deployment can tell),",
		"then run: pchat-hadr validate THIS-FILE",
	}
	for _, w := range doc.Warnings {
		head = append(head, "Collector warning: "+w)
	}
	top := im.add("")
	top.set("schema_version", site.SchemaVersion, "")
	im.identity()
	im.dataCenters()
	im.compliance()
	im.sql()
	im.mirroring()
	im.shares()
	im.logShipping()
	im.servers()
	return []byte(render(head, im.tables)), nil
}

func choosePool(doc *collect.Document, fqdn string) (*collect.Pool, error) {
	if fqdn != "" {
		if p := doc.Pool(fqdn); p != nil {
			return p, nil
		}
		return nil, fmt.Errorf("no Persistent Chat pool %s in this collection; it holds: %s", fqdn, poolNames(doc))
	}
	switch len(doc.Pools) {
	case 0:
		return nil, fmt.Errorf("the collection holds no Persistent Chat pool (the collector found none; see its warnings)")
	case 1:
		return &doc.Pools[0], nil
	}
	return nil, fmt.Errorf("the collection holds %d Persistent Chat pools (%s); choose one with --pool", len(doc.Pools), poolNames(doc))
}

func poolNames(doc *collect.Document) string {
	var names []string
	for _, p := range doc.Pools {
		names = append(names, p.PoolFQDN)
	}
	sort.Strings(names)
	return strings.Join(names, ", ")
}

func (im *importer) add(header string, notes ...string) *table {
	t := &table{header: header, notes: notes}
	im.tables = append(im.tables, t)
	return t
}

func (im *importer) identity() {
	t := im.add("[site]")
	t.todo("name", "a short name for this site: lower-case letters, digits and hyphens (it names the output folder)", "Not in a deployment: the name pchat-hadr gives the site.")
	if p, from := product(im.doc.ProductVersion); p != "" {
		t.set("product", p, from)
	} else {
		t.todo("product", "lync2013 or sfb2015", from)
	}
	t.set("pool_fqdn", im.pool.PoolFQDN, "Get-CsService -PersistentChatServer PoolFqdn ("+im.pool.Identity+").")
	if d, from := im.domain(); d != "" {
		t.set("ad_domain", d, from)
	} else {
		t.todo("ad_domain", "the NetBIOS name of the AD domain, such as CONTOSO", from)
	}
	t.note("pool_state_identity and active_server_identity are left out: the scripts find " + im.pool.Identity + " at run time.")
}

// product reads the product from Get-CsServerVersion's text, whose wording
// is not documented: the product name, else the major version number
// (5 for Lync Server 2013, 6 for Skype for Business Server 2015).
func product(version string) (string, string) {
	from := fmt.Sprintf("Get-CsServerVersion: %q.", version)
	v := strings.ToLower(version)
	switch {
	case version == "":
		return "", "Get-CsServerVersion was not read."
	case strings.Contains(v, "2019") || strings.Contains(v, "(7."):
		return "", from + " Skype for Business Server 2019 has no Persistent Chat."
	case strings.Contains(v, "skype for business server 2015") || strings.Contains(v, "(6."):
		return "sfb2015", from
	case strings.Contains(v, "lync server 2013") || strings.Contains(v, "(5."):
		return "lync2013", from
	}
	return "", from + " Not a product pchat-hadr knows."
}

// domain is the one AD domain of the domain service accounts collected.
func (im *importer) domain() (string, string) {
	seen := map[string]string{}
	var order []string
	for _, in := range im.doc.Instances {
		for _, s := range in.Services {
			dom, _, ok := strings.Cut(s.ServiceAccount, `\`)
			u := strings.ToUpper(dom)
			if !ok || dom == "" || dom == "." || u == "NT SERVICE" || u == "NT AUTHORITY" || strings.EqualFold(dom, in.Properties.MachineName) {
				continue
			}
			if _, dup := seen[u]; !dup {
				seen[u] = dom
				order = append(order, dom)
			}
		}
	}
	switch len(order) {
	case 0:
		return "", "No domain service account was collected to tell the domain."
	case 1:
		return order[0], "The domain of the SQL Server service accounts (sys.dm_server_services)."
	}
	return "", "The SQL Server service accounts are in several domains (" + strings.Join(order, ", ") + "); Persistent Chat HA/DR needs one."
}

func (im *importer) dataCenters() {
	t := im.add("[data_centers]")
	const why = "Not in a deployment: the pool is stretched inside one Lync site, so the topology does not tell the data centers apart."
	t.todo("primary", "the name of the primary data center (DC1)", why)
	t.todo("backup", "the name of the backup data center (DC2)", why)
	t.todo("low_latency_link", "true when the link between the data centers is low-latency, else false", "Not in a deployment: it decides where active servers may run.")
}

func (im *importer) compliance() {
	t := im.add("[compliance]")
	from := "PersistentChatComplianceDatabase of the pool in the topology"
	t.set("enabled", im.comp.enabled, from+": "+orNone(im.pool.Databases.PersistentChatCompliance)+".")
	if im.comp.enabled {
		t.set("shared_instances", im.comp.shared, "mgccomp's store is the mgc store: "+yesNo(im.comp.shared)+".")
	}
}

func (im *importer) mirroring() {
	t := im.add("[mirroring]")
	names := map[string]bool{}
	var first string
	for _, m := range im.members {
		if m.live != nil && m.live.Endpoint != nil {
			if first == "" || m.live.Endpoint.Name < first {
				first = m.live.Endpoint.Name
			}
			names[m.live.Endpoint.Name] = true
		}
	}
	switch {
	case len(names) == 1:
		t.set("endpoint_name", first, "The name of every mirroring endpoint (sys.database_mirroring_endpoints).")
	case len(names) == 0:
		t.note("endpoint_name: no mirroring endpoint yet; the default Mirroring applies.")
	default:
		t.note("endpoint_name: the endpoints have several names; each instance keeps its own, and a new one gets the default Mirroring.")
	}
	t.set("replace_existing_mirror_database", false, "A choice, not in a deployment: false stops a restore over an ONLINE mirror database (the safe default).")
}

func orNone(s string) string {
	if s == "" {
		return "none"
	}
	return s
}

func yesNo(b bool) string {
	if b {
		return "yes"
	}
	return "no"
}
