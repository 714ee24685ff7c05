package cli

import (
	"bufio"
	"bytes"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"pchat-hadr/generator/schema"
	"pchat-hadr/generator/tmpldoc"
)

// updateDocs rewrites the generated documents instead of comparing them,
// like the golden files: PCHAT_HADR_UPDATE=1 go test ./generator/cli -run TestDocs
var updateDocs = os.Getenv("PCHAT_HADR_UPDATE") == "1"

// TestDocs: the generated documents in docs/ are what the code generates
// now, byte for byte.
func TestDocs(t *testing.T) {
	tmpl, err := tmpldoc.Markdown(filepath.Join("..", ".."), schema.Refresh)
	if err != nil {
		t.Fatal(err)
	}
	for name, data := range map[string][]byte{
		"site.schema.json": schema.JSON(),
		"site-schema.md":   schema.Markdown(),
		"cli.md":           schema.CLIMarkdown(App()),
		"templates.md":     tmpl,
	} {
		path := filepath.Join("..", "..", "docs", name)
		if updateDocs {
			if err := os.WriteFile(path, data, 0o644); err != nil {
				t.Fatal(err)
			}
			continue
		}
		got, err := os.ReadFile(path)
		if err != nil {
			t.Errorf("%v (run %s to create it)", err, schema.Refresh)
			continue
		}
		if !bytes.Equal(got, data) {
			t.Errorf("docs/%s is out of date; run %s and review git diff docs/", name, schema.Refresh)
		}
	}
}

// TestCLIDocsComplete: docs/cli.md has a section for every visible command
// and subcommand, and names every flag.
func TestCLIDocsComplete(t *testing.T) {
	doc := string(schema.CLIMarkdown(App()))
	for _, c := range App().Commands {
		if c.Hidden {
			continue
		}
		if !strings.Contains(doc, "\n## pchat-hadr "+c.Name+"\n") {
			t.Errorf("no section for %s", c.Name)
		}
		for _, s := range c.Subcommands {
			if !strings.Contains(doc, "\n## pchat-hadr "+c.Name+" "+s.Name+"\n") {
				t.Errorf("no section for %s %s", c.Name, s.Name)
			}
		}
		for _, f := range c.Flags {
			if !strings.Contains(doc, "`--"+f.Names()[0]) {
				t.Errorf("%s: flag --%s is not documented", c.Name, f.Names()[0])
			}
		}
	}
}

// TestSchemaCommand: pchat-hadr schema prints the schema and nothing else.
func TestSchemaCommand(t *testing.T) {
	var out, errOut bytes.Buffer
	if code := Main([]string{"pchat-hadr", "schema"}, &out, &errOut); code != ExitOK {
		t.Fatalf("exit %d: %s", code, errOut.String())
	}
	if !bytes.Equal(out.Bytes(), schema.JSON()) || errOut.Len() != 0 {
		t.Errorf("schema printed %d bytes (stderr %q), want the %d bytes of schema.JSON", out.Len(), errOut.String(), len(schema.JSON()))
	}
	out.Reset()
	errOut.Reset()
	if code := Main([]string{"pchat-hadr", "schema", "x"}, &out, &errOut); code != ExitBadInput {
		t.Errorf("schema with an argument: exit %d, want %d", code, ExitBadInput)
	}
}

// TestExampleNamesSchema: the example site starts with the schema
// directive that Taplo reads, so a site started from it is checked as it
// is typed.
func TestExampleNamesSchema(t *testing.T) {
	f, err := os.Open(filepath.Join("..", "..", "templates", "example-site.toml"))
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	sc := bufio.NewScanner(f)
	for i := 0; i < 15 && sc.Scan(); i++ {
		if sc.Text() == "#:schema ./site.schema.json" {
			return
		}
	}
	t.Error("templates/example-site.toml has no #:schema ./site.schema.json line near the top")
}
