package cli

import (
	"bytes"
	"os"
	"path/filepath"
	"testing"

	"pchat-hadr/generator/collect"
)

// TestDocsCollectedSchema: docs/collected.schema.json is the schema the
// code generates now, byte for byte; the refresh command of every
// generated document (PCHAT_HADR_UPDATE=1 go test ./generator/cli -run
// TestDocs) rewrites it.
func TestDocsCollectedSchema(t *testing.T) {
	path := filepath.Join("..", "..", "docs", "collected.schema.json")
	data := collect.SchemaJSON()
	if updateDocs {
		if err := os.WriteFile(path, data, 0o644); err != nil {
			t.Fatal(err)
		}
		return
	}
	got, err := os.ReadFile(path)
	if err != nil {
		t.Fatalf("%v (run %s to create it)", err, collect.SchemaRefresh)
	}
	if !bytes.Equal(got, data) {
		t.Errorf("docs/collected.schema.json is out of date; run %s and review git diff docs/", collect.SchemaRefresh)
	}
}
