package pipeline

import (
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"io"

	"pchat-hadr/generator/site"
)

// Key hashes what a site's rendered files are a function of: salt (the
// binary and its templates), the site file's base name (MANIFEST and the
// runbook name it) and the site as loaded, every file it extends merged
// and every default applied. Rendering is pure and deterministic, so two
// runs that compute one key render the same bytes. The site is hashed in
// its JSON form: every field of site.Site is exported and none is left
// out of JSON (TestKeyCoversEverySiteField), and JSON writes struct fields
// in order and map keys sorted. "" (render the site) if it cannot be
// encoded.
func Key(salt string, s *site.Site, source string) string {
	h := sha256.New()
	io.WriteString(h, "pchat-hadr site key 1\x00")
	io.WriteString(h, salt)
	h.Write([]byte{0})
	io.WriteString(h, source)
	h.Write([]byte{0})
	if err := json.NewEncoder(h).Encode(s); err != nil {
		return "" // not expected of a valid site; no key, so always rendered
	}
	return hex.EncodeToString(h.Sum(nil))
}
