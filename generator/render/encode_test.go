package render

import (
	"strconv"
	"strings"
	"testing"
)

// TestEncodeSQLRefusesNonASCII: the first byte at or above 0x80 is named,
// wherever it sits in the word-at-a-time scan.
func TestEncodeSQLRefusesNonASCII(t *testing.T) {
	for n := 0; n < 20; n++ {
		for pos := 0; pos < n; pos++ {
			text := []byte(strings.Repeat("a", n))
			text[pos] = 0xC3
			if pos+1 < n {
				text[pos+1] = 0xA9
			}
			_, err := Encode("x.sql", text)
			want := "x.sql: non-ASCII byte 0xC3 at offset " + strconv.Itoa(pos) + "; .sql files must be ASCII"
			if err == nil || err.Error() != want {
				t.Fatalf("n=%d pos=%d: %v, want %s", n, pos, err, want)
			}
		}
		if got, err := Encode("x.sql", []byte(strings.Repeat("a\n", n))); err != nil || string(got) != strings.Repeat("a\r\n", n) {
			t.Fatalf("n=%d: %q %v", n, got, err)
		}
	}
}
