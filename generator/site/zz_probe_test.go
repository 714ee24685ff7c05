package site

import "testing"

func TestZZProbe(t *testing.T) {
	for _, src := range []string{
		"schema_version = 1\n[[site]]\nname = \"x\"\n",
		"schema_version = 1\n\n[sq.primary]\nfqdn = \"x\"\n",
		"schema_version = 1\n[sql.primary]\n[[sql.primary.moves]]\ndatabase = \"x\"\n",
		"schema_version = 1\n[site]\n\"n\\u0061me\" = 1\n",
		"schema_version = 1\n[[servers]]\nfqdn = 1\n[[servers]]\nfqdn = 2\n",
		"schema_version = 1\nservers = [{fqdn = 1}, {fqdn = 2}]\n",
		"\ufeffschema_version = \"1\"\n",
		"schema_version = 1\n[sql]\nprimary.port = \"x\"\n",
		"schema_version = 1\n[sql.primary]\nmove = [{database = 1}]\n",
	} {
		_, probs := Load("f.toml", []byte(src))
		t.Logf("%q\n%s", src, probs)
		t.Log(Locate(src))
	}
}
