package schema

import (
	"bytes"
	"encoding/json"
	"errors"
	"os"
	"path/filepath"
	"reflect"
	"sort"
	"strings"
	"testing"

	"github.com/BurntSushi/toml"
	"github.com/santhosh-tekuri/jsonschema/v6"

	"pchat-hadr/generator/pipeline"
	"pchat-hadr/generator/site"
)

const fixtures = "../../fixtures"

// compiled compiles the generated schema; compiling also checks it
// against the draft 2020-12 meta-schema.
func compiled(t *testing.T) *jsonschema.Schema {
	t.Helper()
	doc, err := jsonschema.UnmarshalJSON(bytes.NewReader(JSON()))
	if err != nil {
		t.Fatal(err)
	}
	c := jsonschema.NewCompiler()
	if err := c.AddResource("site.schema.json", doc); err != nil {
		t.Fatal(err)
	}
	s, err := c.Compile("site.schema.json")
	if err != nil {
		t.Fatal(err)
	}
	return s
}

// instance decodes TOML as an editor hands it to a JSON Schema validator:
// tables as objects, int64 as JSON numbers.
func instance(t *testing.T, data []byte) any {
	t.Helper()
	var m map[string]any
	if _, err := toml.Decode(string(data), &m); err != nil {
		t.Fatal(err)
	}
	return jsonValue(t, m)
}

func jsonValue(t *testing.T, m map[string]any) any {
	t.Helper()
	j, err := json.Marshal(m)
	if err != nil {
		t.Fatal(err)
	}
	v, err := jsonschema.UnmarshalJSON(bytes.NewReader(j))
	if err != nil {
		t.Fatal(err)
	}
	return v
}

// failures lists the leaf errors of a validation as "/path keyword",
// sorted and without repeats.
func failures(err error) []string {
	if err == nil {
		return nil
	}
	var ve *jsonschema.ValidationError
	if !errors.As(err, &ve) {
		return []string{err.Error()}
	}
	set := map[string]bool{}
	var walk func(e *jsonschema.ValidationError)
	walk = func(e *jsonschema.ValidationError) {
		if len(e.Causes) == 0 {
			set["/"+strings.Join(e.InstanceLocation, "/")+" "+strings.Join(e.ErrorKind.KeywordPath(), "/")] = true
		}
		for _, c := range e.Causes {
			walk(c)
		}
	}
	walk(ve)
	var out []string
	for f := range set {
		out = append(out, f)
	}
	sort.Strings(out)
	return out
}

// toolErrors validates data alone as pchat-hadr does and returns the
// errors (warnings do not count).
func toolErrors(file string, data []byte) string {
	_, probs := pipeline.Validate([]pipeline.Input{{File: file, Data: data, Read: os.ReadFile}})
	return probs.Errors().String()
}

func read(t *testing.T, path string) []byte {
	t.Helper()
	data, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	return data
}

// fixtureFiles lists every .toml file below fixtures/.
func fixtureFiles(t *testing.T) []string {
	t.Helper()
	var files []string
	err := filepath.WalkDir(fixtures, func(p string, d os.DirEntry, err error) error {
		if err == nil && !d.IsDir() && strings.HasSuffix(p, ".toml") {
			files = append(files, p)
		}
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	return files
}

func extends(t *testing.T, data []byte) bool {
	t.Helper()
	var probe struct {
		Extends *string `toml:"extends"`
	}
	if _, err := toml.Decode(string(data), &probe); err != nil {
		return false
	}
	return probe.Extends != nil
}

// TestValidSitesAccepted: the example and every valid fixture site pass
// the schema: fixtures/*.toml but bad-*, and the site files in fixture
// folders that extend nothing. More strictly, every standalone site file
// anywhere below fixtures/ that pchat-hadr accepts on its own passes.
func TestValidSitesAccepted(t *testing.T) {
	s := compiled(t)
	ex := read(t, "../../templates/example-site.toml")
	if err := s.Validate(instance(t, ex)); err != nil {
		t.Errorf("example site: %v", failures(err))
	}
	checked := 0
	for _, f := range fixtureFiles(t) {
		data := read(t, f)
		rel, _ := filepath.Rel(fixtures, f)
		rel = filepath.ToSlash(rel)
		nested := strings.Contains(rel, "/")
		if extends(t, data) || site.IsDefaults(data) || !nested && strings.HasPrefix(rel, "bad-") {
			continue
		}
		probs := toolErrors(f, data)
		mustBeValid := !strings.HasPrefix(rel, "bad-")
		if probs != "" {
			if mustBeValid {
				t.Errorf("%s: pchat-hadr refuses a fixture expected to be valid:\n%s", rel, probs)
			}
			continue
		}
		if err := s.Validate(instance(t, []byte(data))); err != nil {
			t.Errorf("%s: valid for pchat-hadr, refused by the schema: %v", rel, failures(err))
		}
		checked++
	}
	if checked < 8 {
		t.Errorf("only %d fixture sites checked; the fixtures moved?", checked)
	}
}

// TestExtendingFilesAccepted: a file that extends another leaves required
// keys and cross-table rules to the chain, so the schema accepts the
// partial files of every fixture chain.
func TestExtendingFilesAccepted(t *testing.T) {
	s := compiled(t)
	n := 0
	for _, f := range fixtureFiles(t) {
		data := read(t, f)
		if !extends(t, data) {
			continue
		}
		n++
		if err := s.Validate(instance(t, data)); err != nil {
			t.Errorf("%s extends a file, yet the schema refuses it: %v", f, failures(err))
		}
	}
	if n == 0 {
		t.Error("no fixture uses extends")
	}
}

// TestRootDefaultsFileIncomplete documents the schema's one blind spot
// for extends: a defaults file that extends nothing names no site, and is
// reported for its missing required keys, and only those (the schema says
// to give such a file no #:schema directive).
func TestRootDefaultsFileIncomplete(t *testing.T) {
	err := compiled(t).Validate(instance(t, read(t, fixtures+"/rollout/defaults.toml")))
	if err == nil {
		t.Fatal("rollout/defaults.toml passes; if the schema now tells defaults files apart, update its description and this test")
	}
	for _, f := range failures(err) {
		if !strings.HasSuffix(f, " required") {
			t.Errorf("rollout/defaults.toml: %s; only missing keys were expected", f)
		}
	}
}

// schemaMatters are the invalid fixtures the schema refuses, each with
// failures it must report (among others): the schema catches the fixture's
// point, not something incidental.
var schemaMatters = map[string][]string{
	"bad-unknown-keys":               {"/site additionalProperties", "/sql/primary additionalProperties"},
	"bad-types":                      {"/data_centers/low_latency_link type", "/sql/version type", "/sql/primary/port type", "/servers/0/active type"},
	"bad-product-2019":               {"/site/product enum"},
	"bad-schema-version":             {"/schema_version const"},
	"bad-formats":                    {"/sql/primary/port maximum", "/site/pool_fqdn pattern", "/sql/primary/instance pattern", "/sql/primary_mirror/fqdn pattern", "/shares/mirroring_seed pattern", "/shares/log_shipping pattern", "/shares/copy_destination pattern", "/servers/0/fqdn pattern", "/site/ad_domain pattern"},
	"bad-log-shipping":               {"/log_shipping/copy_interval minimum", "/log_shipping/restore_interval maximum", "/log_shipping/compression enum", "/log_shipping/backup_retention minimum", "/log_shipping/backup_job_name pattern"},
	"bad-missing-keys":               {"/ required", "/site required", "/sql required", "/sql/primary required", "/data_centers required", "/site/name pattern"},
	"bad-role-data-center":           {"/sql/backup/data_center const", "/sql/primary_mirror/data_center const"},
	"bad-netbios-too-long":           {"/sql/primary/fqdn pattern"},
	"bad-sql-version":                {"/sql required"},
	"bad-sql-version-old":            {"/sql/version enum"},
	"bad-compliance-no-instances":    {"/sql required"},
	"bad-too-many-servers":           {"/servers maxItems"},
	"bad-too-many-active":            {"/servers maxContains"},
	"bad-no-active-after-failover":   {"/servers/0 required"},
	"bad-failover-active-primary-dc": {"/servers/0/data_center const"},
	"bad-active-backup-dc-slow-link": {"/servers/1"}, // "not": active in the backup data center
	"bad-lengths":                    {"/sql/primary_mirror/move/0/logical_name maxLength", "/sql/primary_mirror/move/0/physical_name maxLength", "/shares/log_shipping maxLength"},
	"bad-log-shipping-paths":         {"/shares/log_shipping pattern", "/shares/copy_destination maxLength"},
	"bad-service-accounts":           {"/sql/primary_mirror/service_account pattern"},                                                                                                        // the UPN; the other accounts are not schema matters
	"bad-values":                     {"/log_shipping/monitor/fqdn", "/sql/backup/port", "/sql/backup_mirror/port", "/sql/primary_mirror/fqdn pattern", "/sql/primary_witness/fqdn pattern"}, // "not": an IP address, ports 1433 and 1434; the rest compares values
}

// notSchemaMatters are the invalid fixtures the schema accepts, and why.
var notSchemaMatters = map[string]string{
	"bad-instance-two-roles": "compares two instances' hosts and names: JSON Schema cannot compare values",
	"bad-same-host-port":     "compares the ports of instances on one host",
	"bad-witness-host":       "compares the hosts of partners and witness",
	"bad-syntax":             "not TOML: the TOML parser reports it before any schema applies",
}

func TestInvalidFixtures(t *testing.T) {
	s := compiled(t)
	files, err := filepath.Glob(fixtures + "/bad-*.toml")
	if err != nil {
		t.Fatal(err)
	}
	seen := map[string]bool{}
	for _, f := range files {
		name := strings.TrimSuffix(filepath.Base(f), ".toml")
		seen[name] = true
		data := read(t, f)
		want, matters := schemaMatters[name]
		why, notMatters := notSchemaMatters[name]
		switch {
		case matters == notMatters:
			t.Errorf("%s: list it in exactly one of schemaMatters and notSchemaMatters", name)
			continue
		case notMatters:
			var m map[string]any
			if _, err := toml.Decode(string(data), &m); err != nil {
				continue // not TOML
			}
			if err := s.Validate(jsonValue(t, m)); err != nil {
				t.Errorf("%s is listed as no schema matter (%s), but the schema refuses it: %v", name, why, failures(err))
			}
			continue
		}
		got := failures(s.Validate(instance(t, data)))
		if got == nil {
			t.Errorf("%s: the schema accepts it", name)
			continue
		}
		for _, w := range want {
			found := false
			for _, g := range got {
				found = found || strings.HasPrefix(g, w)
			}
			if !found {
				t.Errorf("%s: no failure %q; got %v", name, w, got)
			}
		}
	}
	for name := range schemaMatters {
		if !seen[name] {
			t.Errorf("schemaMatters names %s, which is not a fixture", name)
		}
	}
	for name := range notSchemaMatters {
		if !seen[name] {
			t.Errorf("notSchemaMatters names %s, which is not a fixture", name)
		}
	}
}

// TestDeterministic: the schema is the same on every run, with sorted keys
// at every level and two-space indentation.
func TestDeterministic(t *testing.T) {
	a, b := JSON(), JSON()
	if !bytes.Equal(a, b) {
		t.Fatal("two runs differ")
	}
	if !bytes.Equal(Markdown(), Markdown()) {
		t.Fatal("two Markdown runs differ")
	}
	dec := json.NewDecoder(bytes.NewReader(a))
	type frame struct {
		object bool
		last   string
		key    bool // the next string token of an object is a key
	}
	var stack []*frame
	for {
		tok, err := dec.Token()
		if err != nil {
			break
		}
		top := (*frame)(nil)
		if len(stack) > 0 {
			top = stack[len(stack)-1]
		}
		if top != nil && top.object && top.key {
			if d, ok := tok.(json.Delim); ok && d == '}' {
				stack = stack[:len(stack)-1]
				continue
			}
			k := tok.(string)
			if k <= top.last && top.last != "" {
				t.Errorf("key %q after %q: keys are not sorted", k, top.last)
			}
			top.last, top.key = k, false
			continue
		}
		if top != nil && top.object {
			top.key = true
		}
		switch tok {
		case json.Delim('{'):
			stack = append(stack, &frame{object: true, key: true})
		case json.Delim('['):
			stack = append(stack, &frame{})
		case json.Delim(']'):
			stack = stack[:len(stack)-1]
		}
	}
	if !bytes.HasPrefix(a, []byte("{\n  \"$defs\": {\n    \"instance\"")) || !bytes.HasSuffix(a, []byte("}\n")) {
		t.Errorf("unexpected layout: %.60q ... %q", a, a[len(a)-10:])
	}
}

// knownTags are the struct tags the generator reads; a misspelt tag in
// types.go would otherwise be ignored.
var knownTags = map[string]bool{
	"toml": true, "doc": true, "default": true, "defaultdoc": true, "enum": true, "used": true,
	"required": true, "syntax": true, "min": true, "max": true, "minlen": true, "maxlen": true,
	"minitems": true, "maxitems": true,
}

// TestTags: every key is documented, says who uses it, and uses only
// known tags, families and syntaxes.
func TestTags(t *testing.T) {
	families := map[string]bool{usedNone: true}
	for _, f := range Families {
		families[f] = true
	}
	Root().Walk(func(k *Key) {
		for _, name := range tagNames(t, k.Field.Tag) {
			if !knownTags[name] {
				t.Errorf("%s: unknown tag %q", k.Path, name)
			}
		}
		if k.Doc() == "" {
			t.Errorf("%s: no doc tag", k.Path)
		}
		used, ok := k.Field.Tag.Lookup("used")
		if !ok && k.Kind != Table && k.Kind != Array {
			t.Errorf("%s: no used tag", k.Path)
		}
		for _, f := range strings.Fields(used) {
			if !families[f] {
				t.Errorf("%s: used names %q, not one of %v", k.Path, f, Families)
			}
		}
		syntaxOf(k) // panics on an unknown syntax
		if _, ok := k.Default(); ok && k.Tag("defaultdoc") == "" && k.Required() {
			t.Errorf("%s: required keys have no default", k.Path)
		}
	})
}

// tagNames parses the names of a struct tag as reflect does.
func tagNames(t *testing.T, tag reflect.StructTag) []string {
	var names []string
	s := string(tag)
	for s != "" {
		s = strings.TrimLeft(s, " ")
		i := strings.Index(s, `:"`)
		if i <= 0 {
			t.Fatalf("malformed tag %q", tag)
		}
		names = append(names, s[:i])
		s = s[i+2:]
		for j := 0; j < len(s); j++ {
			if s[j] == '\\' {
				j++
				continue
			}
			if s[j] == '"' {
				s = s[j+1:]
				break
			}
		}
	}
	return names
}

// TestDefaultsMatchApplyDefaults: the documented defaults are what the
// loader fills in. Every key with a default is removed from the example
// site; the loaded site must then hold the documented values.
func TestDefaultsMatchApplyDefaults(t *testing.T) {
	var m map[string]any
	if _, err := toml.Decode(string(read(t, "../../templates/example-site.toml")), &m); err != nil {
		t.Fatal(err)
	}
	root := Root()
	strip(m, root)
	var b bytes.Buffer
	if err := toml.NewEncoder(&b).Encode(m); err != nil {
		t.Fatal(err)
	}
	l, probs := site.Load("stripped.toml", b.Bytes(), nil)
	if l == nil {
		t.Fatal(probs)
	}
	l.ApplyDefaults()
	checked := 0
	compare(t, root, reflect.ValueOf(l.Site), &checked)
	if checked < 20 {
		t.Errorf("only %d defaults compared", checked)
	}
}

// strip deletes every key that has a default from a decoded document.
func strip(m map[string]any, k *Key) {
	for _, c := range k.Keys {
		v, ok := m[c.Name]
		if !ok {
			continue
		}
		if _, has := c.Default(); has {
			delete(m, c.Name)
			continue
		}
		switch c.Kind {
		case Table:
			strip(v.(map[string]any), c)
		case Array:
			for _, e := range v.([]map[string]any) {
				strip(e, c)
			}
		}
	}
}

func compare(t *testing.T, k *Key, v reflect.Value, n *int) {
	for _, c := range k.Keys {
		fv := v.FieldByName(c.Field.Name)
		if fv.Kind() == reflect.Pointer {
			if fv.IsNil() {
				continue
			}
			fv = fv.Elem()
		}
		if want, ok := c.Default(); ok {
			if c.Name == "port" && strings.HasSuffix(k.Name, "_witness") {
				want = site.DefaultWitnessPort
			}
			*n++
			if got := fv.Interface(); !reflect.DeepEqual(got, want) {
				t.Errorf("%s (%s): default %v, the loader fills in %v", c.Path, k.Path, want, got)
			}
		}
		switch c.Kind {
		case Table:
			compare(t, c, fv, n)
		case Array:
			for i := range fv.Len() {
				compare(t, c, fv.Index(i), n)
			}
		}
	}
}

// TestDerivedNameDefaults: the documented job and schedule names are the
// loader's formats with their placeholder.
func TestDerivedNameDefaults(t *testing.T) {
	ls := map[string]*Key{}
	Root().Walk(func(k *Key) {
		if strings.HasPrefix(k.Path, "log_shipping.") {
			ls[k.Name] = k
		}
	})
	for key, want := range map[string]string{
		"backup_job_name":       site.DefaultBackupJobName,
		"copy_job_name":         strings.ReplaceAll(site.DefaultCopyJobName, "%s", "<primary>"),
		"restore_job_name":      strings.ReplaceAll(site.DefaultRestoreJobName, "%s", "<primary>"),
		"backup_schedule_name":  strings.ReplaceAll(site.DefaultBackupScheduleName, "%s", "<server>"),
		"copy_schedule_name":    strings.ReplaceAll(site.DefaultCopyScheduleName, "%s", "<primary>"),
		"restore_schedule_name": strings.ReplaceAll(site.DefaultRestoreSchedule, "%s", "<primary>"),
	} {
		if got := ls[key].Tag("defaultdoc"); got != want {
			t.Errorf("log_shipping.%s: documented default %q, the loader uses %q", key, got, want)
		}
	}
}
