package model

import (
	"os"
	"path/filepath"
	"testing"
)

// TestModelDoc keeps docs/model.md equal to what the model says of
// itself: PCHAT_HADR_UPDATE=1 go test ./generator/model -run TestModelDoc
// rewrites it.
func TestModelDoc(t *testing.T) {
	m := &Model{Site: NewSite(planOf(t, "example"))}
	starts, err := m.Starts()
	if err != nil {
		t.Fatal(err)
	}
	var names []string
	for _, s := range starts {
		names = append(names, s.Name)
	}
	got := Doc(names)
	path := filepath.Join("..", "..", "docs", "model.md")
	if os.Getenv("PCHAT_HADR_UPDATE") == "1" {
		if err := os.WriteFile(path, []byte(got), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	want, err := os.ReadFile(path)
	if err != nil {
		t.Fatalf("%v (PCHAT_HADR_UPDATE=1 go test ./generator/model -run TestModelDoc writes it)", err)
	}
	if string(want) != got {
		t.Error("docs/model.md is out of date: run PCHAT_HADR_UPDATE=1 go test ./generator/model -run TestModelDoc and review the diff")
	}
}
