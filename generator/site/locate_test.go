package site

import (
	"math/rand"
	"os"
	"testing"

	"github.com/BurntSushi/toml"
)

// TestLocate proves that Locate maps each kind of TOML key path (plain,
// table, array of tables, dotted, inline, quoted) to the 1-based line and
// column where the key is written, undisturbed by strings and comments.
func TestLocate(t *testing.T) {
	tests := []struct {
		name string
		src  string
		want map[string]Pos
	}{
		{
			name: "top-level keys",
			src:  "a = 1\n  b = \"x\"\n",
			want: map[string]Pos{"a": {1, 1}, "b": {2, 3}},
		},
		{
			name: "tables",
			src:  "[a]\nx = 1\n[a.b]\ny = 2\n[ c . d ]\nz = 3\n",
			want: map[string]Pos{"a": {1, 1}, "a.x": {2, 1}, "a.b": {3, 1}, "a.b.y": {4, 1}, "c.d": {5, 1}, "c.d.z": {6, 1}},
		},
		{
			name: "array of tables",
			src:  "[[servers]]\nfqdn = \"a\"\n\n[[servers]]\nfqdn = \"b\"\n",
			want: map[string]Pos{"servers[0]": {1, 1}, "servers[0].fqdn": {2, 1}, "servers[1]": {4, 1}, "servers[1].fqdn": {5, 1}},
		},
		{
			name: "nested array of tables",
			src: "[sql.primary]\nfqdn = \"a\"\n" +
				"[[sql.primary.move]]\nlogical_name = \"x\"\n" +
				"[[sql.primary.move]]\nlogical_name = \"y\"\n",
			want: map[string]Pos{
				"sql.primary":                      {1, 1},
				"sql.primary.move[0].logical_name": {4, 1},
				"sql.primary.move[1]":              {5, 1},
				"sql.primary.move[1].logical_name": {6, 1},
			},
		},
		{
			name: "sub-table after array of tables resolves to latest element",
			src:  "[[servers]]\na = 1\n[[servers]]\na = 2\n[servers.x]\nb = 3\n",
			want: map[string]Pos{"servers[1].x": {5, 1}, "servers[1].x.b": {6, 1}},
		},
		{
			name: "dotted keys",
			src:  "[t]\na.b.c = 1\n",
			want: map[string]Pos{"t.a": {2, 1}, "t.a.b": {2, 1}, "t.a.b.c": {2, 1}},
		},
		{
			name: "inline tables",
			src:  "x = { a = 1, b = { c = 2 } }\n",
			want: map[string]Pos{"x": {1, 1}, "x.a": {1, 7}, "x.b": {1, 14}, "x.b.c": {1, 20}},
		},
		{
			name: "array of inline tables",
			src:  "s = [{f = 1}, {f = 2}]\nt = 3\n",
			want: map[string]Pos{"s[0]": {1, 6}, "s[0].f": {1, 7}, "s[1]": {1, 15}, "s[1].f": {1, 16}, "t": {2, 1}},
		},
		{
			name: "multi-line strings",
			src: "a = \"\"\"\nline [x]\nb = 1 # \"\nend\\\"\"\"\"\n" +
				"c = '''\nd = 2\n''''\n" +
				"e = 3\n",
			want: map[string]Pos{"a": {1, 1}, "c": {5, 1}, "e": {8, 1}},
		},
		{
			name: "strings with escaped quotes",
			src:  `a = "say \"b = [\" # "` + "\n" + `c = 'C:\'` + "\n" + `d = ["]", "\"", '#']` + "\ne = 1\n",
			want: map[string]Pos{"a": {1, 1}, "c": {2, 1}, "d": {3, 1}, "e": {4, 1}},
		},
		{
			name: "comments with = and [",
			src:  "# x = 1\n# [y]\n[t] # [[z]] w = 2\nk = 1 # = [q]\nl = [ # ]\n  1, # [\n]\nm = 2\n",
			want: map[string]Pos{"t": {3, 1}, "t.k": {4, 1}, "t.l": {5, 1}, "t.m": {8, 1}},
		},
		{
			name: "quoted keys",
			src:  "[\"sql\".'primary']\n\"fqdn\" = 1\n'port' = 2\n\"a b\".c = 3\n",
			want: map[string]Pos{"sql.primary": {1, 1}, "sql.primary.fqdn": {2, 1}, "sql.primary.port": {3, 1}, "sql.primary.a b.c": {4, 1}},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var v map[string]any
			if _, err := toml.Decode(tt.src, &v); err != nil {
				t.Fatalf("test input is not valid TOML: %v", err)
			}
			got := Locate(tt.src)
			for path, want := range tt.want {
				if g, ok := got[path]; !ok {
					t.Errorf("%s: not located; got %v", path, got)
				} else if g != want {
					t.Errorf("%s: at %d:%d, want %d:%d", path, g.Line, g.Col, want.Line, want.Col)
				}
			}
		})
	}
}

// TestLocateMultiByteColumn proves that columns count characters, not bytes.
func TestLocateMultiByteColumn(t *testing.T) {
	got := Locate("x = { s = \"é€😀\", k = 1 }\n")
	if want := (Pos{1, 18}); got["x.k"] != want {
		t.Errorf("x.k at %v, want %v", got["x.k"], want)
	}
}

// TestLocateNeverPanics proves that Locate survives every truncation of a
// real site file and random bytes, as it is documented never to panic.
func TestLocateNeverPanics(t *testing.T) {
	data, err := os.ReadFile("../../templates/example-site.toml")
	if err != nil {
		t.Fatal(err)
	}
	src := string(data)
	var inputs []string
	for i := 0; i < 40; i++ {
		inputs = append(inputs, src[:i*len(src)/40])
	}
	for _, s := range []string{`"`, `'''`, `"""a`, `[[`, `[a.`, `x = {`, `x = [`, `x = [{`, `"a\`, `a.`, "\xff\xfe", `["`, `=`, `]]`} {
		inputs = append(inputs, s, "a = 1\n"+s)
	}
	const alphabet = "[]{}\"'=.,#\n\\ ab1\xc3"
	r := rand.New(rand.NewSource(1))
	for range 200 {
		b := make([]byte, r.Intn(64))
		for i := range b {
			b[i] = alphabet[r.Intn(len(alphabet))]
		}
		inputs = append(inputs, string(b))
	}
	for _, s := range inputs {
		func() {
			defer func() {
				if p := recover(); p != nil {
					t.Fatalf("Locate(%q) panicked: %v", s, p)
				}
			}()
			Locate(s)
		}()
	}
}

// TestLocateImpliedTablesAndQuotedKeys covers tables known only from a
// header ([a.b] implies a), arrays of tables themselves, quoted keys with
// escapes, and a leading byte-order mark.
func TestLocateImpliedTablesAndQuotedKeys(t *testing.T) {
	src := "\uFEFFschema_version = 1\n\n[sq.primary]\nfqdn = \"x\"\n[[site]]\nname = \"x\"\n[t]\n\"n\\u0061me\" = 1\n"
	got := Locate(src)
	for path, want := range map[string]Pos{
		"schema_version": {1, 1},
		"sq":             {3, 1},
		"sq.primary":     {3, 1},
		"site":           {5, 1},
		"site[0]":        {5, 1},
		"t.name":         {8, 1},
	} {
		if got[path] != want {
			t.Errorf("%s at %v, want %v", path, got[path], want)
		}
	}
}
