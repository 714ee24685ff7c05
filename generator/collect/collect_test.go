package collect

import (
	"bytes"
	"encoding/json"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"
)

func fixtures(t *testing.T) []string {
	t.Helper()
	files, err := filepath.Glob(filepath.Join("testdata", "*.json"))
	if err != nil || len(files) < 6 {
		t.Fatalf("fixtures: %v %v", files, err)
	}
	return files
}

// TestDecodeFixtures: every fixture decodes, and the UTF-16 copy that
// Windows PowerShell's Out-File writes reads as the UTF-8 original.
func TestDecodeFixtures(t *testing.T) {
	docs := map[string]*Document{}
	for _, f := range fixtures(t) {
		doc, err := ReadFile(f)
		if err != nil {
			t.Errorf("%v", err)
			continue
		}
		if len(doc.Pools) != 1 || len(doc.Instances) == 0 {
			t.Errorf("%s: %d pools, %d instances", f, len(doc.Pools), len(doc.Instances))
		}
		docs[filepath.Base(f)] = doc
	}
	if a, b := docs["utf16-bom.json"], docs["default-instance.json"]; a == nil || !reflect.DeepEqual(a, b) {
		t.Error("utf16-bom.json does not read as default-instance.json")
	}
}

func mutate(t *testing.T, f func(map[string]any)) []byte {
	t.Helper()
	data, err := os.ReadFile(filepath.Join("testdata", "default-instance.json"))
	if err != nil {
		t.Fatal(err)
	}
	var v map[string]any
	if err := json.Unmarshal(data, &v); err != nil {
		t.Fatal(err)
	}
	f(v)
	out, err := json.MarshalIndent(v, "", "  ")
	if err != nil {
		t.Fatal(err)
	}
	return out
}

func firstInstance(v map[string]any) map[string]any {
	return v["instances"].([]any)[0].(map[string]any)
}

// TestDecodeRefuses: what is not a collection of this version, and any
// credential, is refused with a message that names the file and the
// field but never echoes a secret.
func TestDecodeRefuses(t *testing.T) {
	const secret = "Hunter2-s3cr3t"
	cases := []struct {
		name string
		data []byte
		want string
	}{
		{"password in a value", mutate(t, func(v map[string]any) {
			firstInstance(v)["error"] = "Server=x;User ID=sa;Password=" + secret
		}), "instances[0].error looks like a password"},
		{"credentials in a URL", mutate(t, func(v map[string]any) {
			v["warnings"] = []any{"see https://admin:" + secret + "@host/"}
		}), "warnings[0] looks like a password"},
		{"unknown field", mutate(t, func(v map[string]any) {
			firstInstance(v)["monitor_server_password"] = secret
		}), `unknown field "monitor_server_password"`},
		{"newer version", mutate(t, func(v map[string]any) { v["schema_version"] = 2 }), "schema_version 2 is not supported"},
		{"not a collection", []byte(`{"schema_version": 1, "generator": "something else"}`), "not a collection"},
		{"wrong type", mutate(t, func(v map[string]any) {
			firstInstance(v)["endpoint"] = map[string]any{"name": "Mirroring", "port": "5022", "is_encryption_enabled": true}
		}), "not a int"},
		{"no instances", mutate(t, func(v map[string]any) { delete(v, "instances") }), "instances is missing"},
		{"null pools", mutate(t, func(v map[string]any) { v["pools"] = nil }), "pools is null"},
		{"UTF-16 without BOM", []byte{'{', 0, '}', 0}, "UTF-16 without a byte order mark"},
		{"two documents", append(mutate(t, func(map[string]any) {}), []byte("{}")...), "after top-level value"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			_, err := Decode("x.json", c.data)
			if err == nil || !strings.Contains(err.Error(), c.want) || !strings.HasPrefix(err.Error(), "x.json: ") {
				t.Fatalf("error %v, want one with %q", err, c.want)
			}
			if strings.Contains(err.Error(), secret) {
				t.Errorf("the message echoes the secret: %v", err)
			}
		})
	}
}

// TestNoSecretsInFixtures: no fixture holds a value that looks like a
// password or a connection string, and no field is named like one.
func TestNoSecretsInFixtures(t *testing.T) {
	for _, f := range fixtures(t) {
		data, _ := os.ReadFile(f)
		text, err := utf8Text(data)
		if err != nil {
			t.Fatal(err)
		}
		for _, word := range []string{"password", "pwd=", "user id=", "connection string", "connectionstring"} {
			if bytes.Contains(bytes.ToLower(text), []byte(word)) {
				t.Errorf("%s contains %q", f, word)
			}
		}
	}
	for _, name := range fieldNames(reflect.TypeOf(Document{})) {
		if strings.Contains(name, "password") || strings.Contains(name, "login") || strings.Contains(name, "connection_string") {
			t.Errorf("the document has a field %s", name)
		}
	}
}

func fieldNames(t reflect.Type) []string {
	for t.Kind() == reflect.Pointer || t.Kind() == reflect.Slice {
		t = t.Elem()
	}
	if t.Kind() != reflect.Struct {
		return nil
	}
	var out []string
	for i := 0; i < t.NumField(); i++ {
		out = append(out, jsonName(t.Field(i)))
		out = append(out, fieldNames(t.Field(i).Type)...)
	}
	return out
}

func TestParseStore(t *testing.T) {
	for in, want := range map[string]Store{
		`PersistentChatStore:sql01.contoso.com\rtc`:       {"PersistentChatStore", "sql01.contoso.com", "rtc"},
		`PersistentChatStore:sql01.contoso.com`:           {"PersistentChatStore", "sql01.contoso.com", ""},
		`PersistentChatComplianceStore:sql03.contoso.com`: {"PersistentChatComplianceStore", "sql03.contoso.com", ""},
	} {
		got, err := ParseStore(in)
		if err != nil || got != want {
			t.Errorf("ParseStore(%q) = %+v, %v; want %+v", in, got, err, want)
		}
	}
	for _, bad := range []string{"", "sql01", "PersistentChatStore:", `PersistentChatStore:a\b\c`, "PersistentChatStore:TCP://x:5022"} {
		if _, err := ParseStore(bad); err == nil {
			t.Errorf("ParseStore(%q) accepted", bad)
		}
	}
	if !SameServer(`SQL01.contoso.com\MSSQLSERVER`, "sql01.CONTOSO.com") || SameServer(`sql01\a`, `sql01\b`) {
		t.Error("SameServer")
	}
}
