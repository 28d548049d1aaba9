package statuslist

import (
	"bytes"
	"compress/zlib"
	"encoding/base64"
	"errors"
	"io"
	"strings"
)

// DefaultMaxBytes is the decompressed size Decode allows when the caller passes maxBytes <= 0:
// 8 MiB, eight times the largest test vector of the draft (2^20 entries of 8 bits).
const DefaultMaxBytes = 8 << 20

// Encode returns the "lst" value: base64url (no padding) of the ZLIB (RFC 1950) compressed
// bytes, best compression.
//
// §4.1 step 4: "The Status Issuer compresses the byte array using DEFLATE [RFC1951] with the
// ZLIB [RFC1950] data format. Implementations are RECOMMENDED to use the highest compression
// level available." §4.2: "The value MUST be the base64url-encoded compressed byte array".
func (l *List) Encode() (string, error) {
	var buf bytes.Buffer
	w, err := zlib.NewWriterLevel(&buf, zlib.BestCompression)
	if err != nil {
		return "", err
	}
	if _, err := w.Write(l.bytes); err != nil {
		return "", err
	}
	if err := w.Close(); err != nil {
		return "", err
	}
	return base64.RawURLEncoding.EncodeToString(buf.Bytes()), nil
}

// Decode parses an "lst" value of a list with the given bits. The decompressed array may be
// at most maxBytes long (maxBytes <= 0 means DefaultMaxBytes): a few hundred bytes of lst can
// inflate to gigabytes, so the cap is enforced while decompressing, not afterwards.
//
// §11.1: "Implementers should be particularly careful with the correct parsing and decoding of
// the Status List."
func Decode(lst string, bits int, maxBytes int) (*List, error) {
	if !validBits(bits) {
		return nil, bitsError(bits)
	}
	if maxBytes <= 0 {
		maxBytes = DefaultMaxBytes
	}
	compressed, err := decodeBase64URL(lst)
	if err != nil {
		return nil, err
	}
	raw, err := inflate(compressed, maxBytes)
	if err != nil {
		return nil, err
	}
	return fromBytes(bits, raw), nil
}

// decodeBase64URL takes base64url without padding (as JOSE writes it) and, leniently, with.
func decodeBase64URL(s string) ([]byte, error) {
	b, err := base64.RawURLEncoding.DecodeString(strings.TrimRight(s, "="))
	if err != nil {
		return nil, malformed(err, "not base64url")
	}
	return b, nil
}

// inflate decompresses one ZLIB stream of at most maxBytes, checking its Adler-32 and refusing
// trailing bytes and an empty array (a list without entries has no index to look up).
func inflate(compressed []byte, maxBytes int) ([]byte, error) {
	src := bytes.NewReader(compressed)
	r, err := zlib.NewReader(src)
	if err != nil {
		return nil, malformed(err, "not a ZLIB stream")
	}
	defer r.Close()
	out, err := io.ReadAll(io.LimitReader(r, int64(maxBytes)+1))
	if err != nil {
		return nil, malformed(err, "ZLIB stream does not decompress")
	}
	if len(out) > maxBytes {
		return nil, newError(ReasonTooLarge, nil, "lst decompresses to more than %d bytes", maxBytes)
	}
	if src.Len() != 0 {
		return nil, malformed(errors.New("trailing data"), "bytes after the ZLIB stream")
	}
	if len(out) == 0 {
		return nil, malformed(nil, "empty byte array")
	}
	return out, nil
}
