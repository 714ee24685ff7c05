package e2e

import (
	"os"
	"regexp"
	"strings"
	"testing"
)

// TestReadmeSetup proves that the README's set-up steps are the ones that
// work: the Go version go.mod needs, $(go env GOPATH)/bin on PATH, sites/
// created before the example is saved into it, and the output folder named
// after site.name rather than after the site file.
func TestReadmeSetup(t *testing.T) {
	readme, err := os.ReadFile("README.md")
	if err != nil {
		t.Fatal(err)
	}
	mod, err := os.ReadFile("go.mod")
	if err != nil {
		t.Fatal(err)
	}
	text := string(readme)
	goLine := regexp.MustCompile(`(?m)^go ([0-9.]+)$`).FindStringSubmatch(string(mod))
	if goLine == nil || !strings.Contains(text, "Go "+goLine[1]+" or later") {
		t.Errorf("README does not name the Go version go.mod needs (%v)", goLine)
	}
	if !strings.Contains(text, `export PATH="$PATH:$(go env GOPATH)/bin"`) {
		t.Error("README does not put $(go env GOPATH)/bin on PATH")
	}
	mk, ex := strings.Index(text, "mkdir sites"), strings.Index(text, "example > sites/")
	if mk < 0 || ex < 0 || mk > ex {
		t.Error("README saves the example into sites/ before creating it")
	}
	if strings.Contains(text, "writes out/emea/") || !strings.Contains(text, "out/<site.name>/") {
		t.Error("README names the output folder after the site file, not after site.name")
	}
}
