package render

import (
	"bytes"
	"encoding/binary"
	"fmt"
	"path"
)

// bom is the UTF-8 byte order mark. Windows PowerShell 5.1 reads a .ps1
// without it in the ANSI code page.
var bom = []byte{0xEF, 0xBB, 0xBF}

// Encode turns template output (LF line ends) into the bytes written for a
// file: .sql is ASCII with CRLF (sqlcmd reads files in the ANSI code page);
// .ps1 is UTF-8 with BOM and CRLF; everything else stays UTF-8 with LF.
func Encode(name string, text []byte) ([]byte, error) {
	switch path.Ext(name) {
	case ".sql":
		if i := firstNonASCII(text); i >= 0 {
			return nil, fmt.Errorf("%s: non-ASCII byte 0x%02X at offset %d; .sql files must be ASCII", name, text[i], i)
		}
		return crlf(nil, text), nil
	case ".ps1":
		return crlf(bom, bytes.TrimPrefix(text, bom)), nil
	}
	return text, nil
}

// crlf returns prefix followed by text with every line end, LF or CRLF,
// made CRLF, in one new slice of the final size.
func crlf(prefix, text []byte) []byte {
	out := make([]byte, 0, len(prefix)+len(text)+bytes.Count(text, []byte("\n")))
	out = append(out, prefix...)
	for len(text) > 0 {
		i := bytes.IndexByte(text, '\n')
		if i < 0 {
			return append(out, text...)
		}
		line := text[:i]
		if len(line) > 0 && line[len(line)-1] == '\r' {
			line = line[:len(line)-1]
		}
		out = append(append(out, line...), '\r', '\n')
		text = text[i+1:]
	}
	return out
}

// firstNonASCII is the offset of the first byte of text at or above 0x80,
// or -1. It tests eight bytes at a time: every .sql file passes here.
func firstNonASCII(text []byte) int {
	i := 0
	for ; i+8 <= len(text); i += 8 {
		if binary.LittleEndian.Uint64(text[i:])&0x8080808080808080 != 0 {
			break
		}
	}
	for ; i < len(text); i++ {
		if text[i] >= 0x80 {
			return i
		}
	}
	return -1
}
