package site

import (
	"bytes"
	"fmt"
	"unicode/utf16"
	"unicode/utf8"
)

// Byte-order marks of the encodings a site file may be saved in. Windows
// PowerShell 5.1 writes UTF-16 LE with a BOM for "pchat-hadr example >
// site.toml", and Notepad may add a UTF-8 BOM.
var (
	bomUTF8    = []byte{0xEF, 0xBB, 0xBF}
	bomUTF16LE = []byte{0xFF, 0xFE}
	bomUTF16BE = []byte{0xFE, 0xFF}
)

// Decode returns the text of a site file: UTF-8 with or without a BOM, or
// UTF-16 (either byte order) with a BOM. Anything else is refused with the
// encoding it looks like, so that the user knows what to convert from.
func Decode(data []byte) (string, error) {
	switch {
	case bytes.HasPrefix(data, bomUTF8):
		data = data[len(bomUTF8):]
	case bytes.HasPrefix(data, bomUTF16LE):
		return decodeUTF16(data[2:], false, "UTF-16 LE")
	case bytes.HasPrefix(data, bomUTF16BE):
		return decodeUTF16(data[2:], true, "UTF-16 BE")
	}
	// UTF-16 of ASCII text is valid UTF-8 (NUL bytes are), so it is
	// recognised by its NUL bytes before UTF-8 is accepted.
	if enc := utf16Pattern(data); enc != "" {
		return "", fmt.Errorf("file is not UTF-8 text: it looks like %s without a byte-order mark; save it as UTF-8 (or UTF-16 with a byte-order mark)", enc)
	}
	if utf8.Valid(data) {
		return string(data), nil
	}
	return "", fmt.Errorf("file is not valid UTF-8 text: %s; save it as UTF-8 (or UTF-16 with a byte-order mark)", guessEncoding(data))
}

func decodeUTF16(data []byte, bigEndian bool, name string) (string, error) {
	if len(data)%2 != 0 {
		return "", fmt.Errorf("file starts with a %s byte-order mark but has an odd number of bytes; save it again as UTF-8", name)
	}
	units := make([]uint16, len(data)/2)
	for i := range units {
		hi, lo := data[2*i+1], data[2*i]
		if bigEndian {
			hi, lo = lo, hi
		}
		units[i] = uint16(hi)<<8 | uint16(lo)
	}
	runes := utf16.Decode(units)
	for i, r := range runes {
		if r == utf8.RuneError {
			return "", fmt.Errorf("file starts with a %s byte-order mark but holds an unpaired surrogate at character %d; save it again as UTF-8", name, i)
		}
	}
	return string(runes), nil
}

// utf16Pattern names the UTF-16 byte order whose NUL high bytes fill at
// least half of the even or odd positions of data, and no other position.
func utf16Pattern(data []byte) string {
	var even, odd int
	for i, b := range data {
		if b == 0 {
			if i%2 == 0 {
				even++
			} else {
				odd++
			}
		}
	}
	switch half := len(data) / 4; {
	case half > 0 && odd >= half && even == 0:
		return "UTF-16 LE"
	case half > 0 && even >= half && odd == 0:
		return "UTF-16 BE"
	}
	return ""
}

// guessEncoding describes bytes that are not UTF-8: high bytes that do
// not form UTF-8 sequences come from a legacy 8-bit code page.
func guessEncoding(data []byte) string {
	for i := 0; i < len(data); {
		r, n := utf8.DecodeRune(data[i:])
		if r == utf8.RuneError && n <= 1 {
			return fmt.Sprintf("byte 0x%02X at offset %d is not UTF-8; it looks like an 8-bit code page such as Windows-1252", data[i], i)
		}
		i += n
	}
	return "it is not UTF-8"
}
