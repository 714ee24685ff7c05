package schema

import (
	"bytes"
	"fmt"
	"strings"
	"testing"

	"github.com/BurntSushi/toml"
)

// sample is a value tried at one key of the example site. The schema must
// never refuse a value that pchat-hadr accepts; where exact is set, it must
// also refuse every value that pchat-hadr refuses.
type sample struct {
	path   string // dotted; servers.0.fqdn for an element
	values []any
	exact  bool
}

func rep(s string, n int) string { return strings.Repeat(s, n) }

var samples = []sample{
	{"site.name", []any{"a", "contoso-na", "9x", "-a", "A", "a_b", "a.b", "", rep("a", 63), rep("a", 64)}, true},
	{"site.pool_fqdn", []any{"a.b", "pool.contoso.com", "1.2", "10.0.0.1", "a.1b", "a.b1", "xn--bcher-kva.example", "a", "-a.b", "a-.b", "a..b", "a.b.", ".a.b", "a_b.c", "a b.c", "\u00e9.com",
		rep("a", 63) + ".com", rep("a", 64) + ".com", rep("a.", 126) + "a", rep("a.", 126) + "ab", ""}, true},
	{"servers.7.fqdn", []any{"x.y", "x", "x-.y", "x_y.z", ""}, true},
	{"site.pool_state_identity", []any{"global", "PersistentChatServer:pool.contoso.com", "a b", "", "a$(b)", "a$b(c)", "\u00e9"}, true},
	{"data_centers.primary", []any{"Atlanta", "St John's", "New York (East) & Co/1, Inc.", " Atlanta", "Atlanta ", "A|B", "A_B", "A$B", "Z\u00fcrich", rep("a", 64), rep("a", 65), ""}, true},
	{"sql.primary_witness.instance", []any{"WITNESS", "_x", "x$y", "1x", "x-y", "MSSQLSERVER", "mssqlserver", "Default", rep("x", 16), rep("x", 17), ""}, true},
	{"sql.primary_witness.netbios_name", []any{"ATL-SQLW-01", "A_B", "", rep("A", 15), rep("A", 16), "a.b", "a b"}, true},
	{"sql.primary_witness.port", []any{int64(0), int64(1023), int64(1024), int64(1433), int64(1434), int64(7022), int64(32767), int64(32768)}, true},
	{"sql.primary.service_account", []any{`CONTOSO\svc`, `NT SERVICE\MSSQL$PCHAT`, "NETWORK SERVICE", "LocalSystem", "svc@contoso.com", `CONTOSO\a$(b`, `CONTOSO\` + rep("a", 130), "", `CONTOSO\caf\u00e9`}, false},
	{"mirroring.endpoint_name", []any{"Mirroring", "Mir]ror", "a$b", "a$(b", "", rep("e", 128), rep("e", 129), "tab\there", "\u00e9"}, true},
	{"log_shipping.backup_job_name", []any{"job", "O'Brien]job", "100%", "ALL", "all", "a$(b", "", rep("j", 128), rep("j", 129)}, true},
	{"log_shipping.copy_schedule_name", []any{"sched", "50%", "ALL", "aLl", "", "a$(b"}, true},
	{"shares.backup_mirroring_seed", []any{`\\srv\share`, `\\srv.contoso.com\seed$\O'Brien seed`, `\\srv`, `\\srv\`, `\\srv\share\`, `\\srv\\share`, `\\-srv\share`,
		`\\srv\sh:are`, `\\srv\share.`, `\\srv\share `, `\\srv\.`, `\\srv\..`, `\\srv\ share`, `//srv/share`, `D:\x`, `\\srv\a$(b`, `\\srv_1\x`,
		`\\srv\` + rep("x", 494), `\\srv\` + rep("x", 495), ""}, true},
	{"shares.copy_destination", []any{`E:\x`, `E:\`, `E:`, `E:\x\`, `e:\x y\z`, `1:\x`, `E:\x:y`, `E:x`, `E:\a$(b`, `E:\` + rep("c", 233), `E:\` + rep("c", 234)}, true},
	{"shares.log_shipping", []any{`\\s\` + rep("l", 228), `\\s\` + rep("l", 229)}, true},
	{"shares.mirroring_seed", []any{`\\s\` + rep("m", 243), `\\s\` + rep("m", 244)}, true}, // compliance is on in the example
	{"log_shipping.copy_interval", []any{int64(0), int64(1), int64(15), int64(1440), int64(1441)}, true},
	{"log_shipping.backup_retention", []any{int64(1439), int64(1440), int64(99999)}, true},
	{"log_shipping.history_retention", []any{int64(0), int64(1)}, true},
	{"log_shipping.compression", []any{"on", "off", "server-default", "fast", ""}, true},
	{"shares.log_shipping_data_center", []any{"primary", "backup", "dc2"}, true},
	{"site.wave", []any{int64(0), int64(7), int64(-1)}, true},
	{"sql.primary_mirror.move.0.logical_name", []any{"mgc", rep("l", 128), rep("l", 129), ""}, true},
	{"sql.primary_mirror.move.0.physical_name", []any{`E:\mgc.mdf`, `E:\` + rep("p", 256), `E:\` + rep("p", 257), `mgc.mdf`}, true},
}

// stricter lists what the schema refuses on purpose although pchat-hadr
// accepts it.
var stricter = map[string]string{
	"shares.log_shipping_data_center=": "an empty data center is a slip; pchat-hadr reads it as unset",
}

// TestSchemaAgreesWithValidator tries each sample in the example site with
// both pchat-hadr and the schema.
func TestSchemaAgreesWithValidator(t *testing.T) {
	s := compiled(t)
	all := append([]sample{}, samples...)
	all = append(all, sample{"shares.log_shipping_data_center", []any{""}, false})
	all = append(all, versionSamples()...)
	for _, smp := range all {
		for _, v := range smp.values {
			doc := exampleDoc(t)
			for _, set := range strings.Split(smp.path, "&") {
				p, val, found := strings.Cut(set, "=")
				if found {
					setPath(t, doc, p, val)
				} else {
					setPath(t, doc, p, v)
				}
			}
			var b bytes.Buffer
			if err := toml.NewEncoder(&b).Encode(doc); err != nil {
				t.Fatal(err)
			}
			tool := toolErrors("example.toml", b.Bytes())
			schemaErr := s.Validate(jsonValue(t, doc))
			key := fmt.Sprintf("%s=%v", smp.path, v)
			switch {
			case tool == "" && schemaErr != nil:
				if _, ok := stricter[key]; ok {
					continue
				}
				t.Errorf("%s: pchat-hadr accepts it, the schema refuses it: %v", key, failures(schemaErr))
			case tool != "" && schemaErr == nil && smp.exact:
				t.Errorf("%s: pchat-hadr refuses it, the schema accepts it:\n%s", key, tool)
			case tool != "" && schemaErr != nil:
				if _, ok := stricter[key]; ok {
					t.Errorf("%s is listed as stricter than pchat-hadr, but pchat-hadr refuses it too", key)
				}
			}
		}
	}
}

// versionSamples pair every product with every version, with and without
// sql.allow_unsupported_version.
func versionSamples() []sample {
	var out []sample
	for _, product := range []string{"lync2013", "sfb2015", "sfb2019"} {
		for _, allow := range []string{"", "&sql.allow_unsupported_version=true", "&sql.allow_unsupported_version=false"} {
			out = append(out, sample{
				path:   "sql.version&site.product=" + product + allow,
				values: []any{"2005", "2008", "2008r2", "2012", "2014", "2016", "2017", "2019", "2022", "2015", ""},
				exact:  true,
			})
		}
	}
	return out
}

func exampleDoc(t *testing.T) map[string]any {
	t.Helper()
	var m map[string]any
	if _, err := toml.Decode(string(read(t, "../../templates/example-site.toml")), &m); err != nil {
		t.Fatal(err)
	}
	return m
}

// setPath sets a dotted path; numbers index arrays of tables. Text values
// "true" and "false" are booleans.
func setPath(t *testing.T, m map[string]any, path string, v any) {
	t.Helper()
	if s, ok := v.(string); ok && (s == "true" || s == "false") {
		v = s == "true"
	}
	parts := strings.Split(path, ".")
	var cur any = m
	for i, p := range parts {
		last := i == len(parts)-1
		switch c := cur.(type) {
		case map[string]any:
			if last {
				c[p] = v
				return
			}
			cur = c[p]
		case []map[string]any:
			var n int
			fmt.Sscan(p, &n)
			if last {
				t.Fatalf("%s: cannot set an element", path)
			}
			cur = c[n]
		default:
			t.Fatalf("%s: no table at %s", path, p)
		}
	}
}
