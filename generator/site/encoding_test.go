package site

import (
	"strings"
	"testing"
	"unicode/utf16"
)

func utf16Bytes(s string, bigEndian bool) []byte {
	out := []byte{0xFF, 0xFE}
	if bigEndian {
		out = []byte{0xFE, 0xFF}
	}
	for _, u := range utf16.Encode([]rune(s)) {
		if bigEndian {
			out = append(out, byte(u>>8), byte(u))
		} else {
			out = append(out, byte(u), byte(u>>8))
		}
	}
	return out
}

// TestDecodeWindowsEncodings proves that a site file saved by Windows
// PowerShell 5.1 (UTF-16 LE with a BOM), in UTF-16 BE or in UTF-8 with a
// BOM loads exactly like the UTF-8 text, with the same key positions.
func TestDecodeWindowsEncodings(t *testing.T) {
	const src = "schema_version = 1\n[site]\nname = \"caf\u00e9\"\npool_fdqn = \"x\"\n"
	want, wantProbs := Load("s.toml", []byte(src), nil)
	if want == nil {
		t.Fatalf("UTF-8 text did not load: %s", wantProbs)
	}
	for name, data := range map[string][]byte{
		"UTF-16 LE": utf16Bytes(src, false),
		"UTF-16 BE": utf16Bytes(src, true),
		"UTF-8 BOM": append([]byte{0xEF, 0xBB, 0xBF}, src...),
		"CRLF LE":   utf16Bytes(strings.ReplaceAll(src, "\n", "\r\n"), false),
	} {
		l, probs := Load("s.toml", data, nil)
		if l == nil || l.Site.Site.Name != "caf\u00e9" || probs.String() != wantProbs.String() {
			t.Errorf("%s: site %v, problems:\n%swant name café and:\n%s", name, l != nil, probs, wantProbs)
		}
	}
}

// TestDecodeNamesTheEncoding proves that text in an encoding pchat-hadr
// does not read is refused with the encoding it looks like.
func TestDecodeNamesTheEncoding(t *testing.T) {
	const src = "schema_version = 1\n[site]\nname = \"x\"\n"
	noBOM := utf16Bytes(src, false)[2:]
	noBOMBE := utf16Bytes(src, true)[2:]
	for data, want := range map[string]string{
		string(noBOM):                   "looks like UTF-16 LE without a byte-order mark",
		string(noBOMBE):                 "looks like UTF-16 BE without a byte-order mark",
		"name = \"Z\xfcrich\"\n":        "byte 0xFC at offset 9 is not UTF-8; it looks like an 8-bit code page such as Windows-1252",
		"\xff\xfe" + "a":                "odd number of bytes",
		"\xff\xfe" + "\x00\xd8\x41\x00": "unpaired surrogate",
	} {
		_, err := Decode([]byte(data))
		if err == nil || !strings.Contains(err.Error(), want) {
			t.Errorf("Decode(%q) = %v; want an error saying %q", data, err, want)
		}
	}
}
