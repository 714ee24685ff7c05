package e2e

import (
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// secretKeys are names a user might try in order to give pchat-hadr a
// password; the schema has none, as every connection uses Windows
// authentication.
var secretKeys = []string{"password", "monitor_password", "sql_password", "secret", "monitor_server_password", "monitor_server_login", "Password"}

// secretValue is the value given to each secret key; no message may echo it.
const secretValue = "Hunter2-s3cr3t"

// secretSite returns the minimal site, with a [log_shipping.monitor]
// table, and key = secretValue written in the table named by where ("" for
// the top level).
func secretSite(t *testing.T, where, key string) string {
	t.Helper()
	src := monitorSite(t)
	line := key + " = " + tomlString(secretValue) + "\n"
	switch where {
	case "":
		return strings.Replace(src, "schema_version = 1\n", "schema_version = 1\n"+line, 1)
	case "sql.primary":
		return strings.Replace(src, "[sql.primary]\n", "[sql.primary]\n"+line, 1)
	case "log_shipping.monitor":
		return src + line
	}
	t.Fatalf("no place %q", where)
	return ""
}

// monitorSite is the minimal site with a log-shipping monitor.
func monitorSite(t *testing.T) string {
	return minimalFixture(t) + "\n[log_shipping.monitor]\nfqdn = \"mon-sql.fabrikam.local\"\n"
}

// TestSecretKeysRefused proves that a password-like key at the top level,
// under [sql.primary] or under [log_shipping.monitor] is refused as an
// unknown key, with a problem naming the key and not echoing its value,
// while the same site without it is valid.
func TestSecretKeysRefused(t *testing.T) {
	if files, probs, err := renderSite(t, "secret.toml", []byte(monitorSite(t))); files == nil {
		t.Fatalf("the base site with a monitor does not render: %v\n%s", err, probs)
	}
	for _, where := range []string{"", "sql.primary", "log_shipping.monitor"} {
		for _, key := range secretKeys {
			path := key
			if where != "" {
				path = where + "." + key
			}
			t.Run(path, func(t *testing.T) {
				files, probs, _ := renderSite(t, "secret.toml", []byte(secretSite(t, where, key)))
				if files != nil {
					t.Fatalf("%s was accepted", path)
				}
				errs := probs.Errors()
				if len(errs) != 1 || errs[0].Key != path || !strings.Contains(errs[0].Message, "unknown key") {
					t.Errorf("problems:\n%s\nwant one unknown-key error for %s", probs, path)
				}
				if strings.Contains(probs.String(), secretValue) {
					t.Errorf("a problem echoes the secret value:\n%s", probs)
				}
			})
		}
	}
}

// TestNoSecretsInGoldens proves that no golden file names a SQL login
// secret for the monitor or passes a password to a cmdlet.
func TestNoSecretsInGoldens(t *testing.T) {
	banned := []string{"monitor_server_login", "monitor_server_password", "-Password", "ConvertTo-SecureString"}
	n := 0
	err := filepath.WalkDir("golden", func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		data, err := os.ReadFile(p)
		if err != nil {
			return err
		}
		n++
		for _, b := range banned {
			if strings.Contains(strings.ToLower(string(data)), strings.ToLower(b)) {
				t.Errorf("%s contains %s", p, b)
			}
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	if n == 0 {
		t.Fatal("no golden files found")
	}
}
