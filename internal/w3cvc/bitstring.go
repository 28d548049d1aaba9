package w3cvc

import (
	"bytes"
	"compress/gzip"
	"encoding/base64"
	"errors"
	"io"
	"strings"
)

// Bitstring Status List 1.0 sizes.
const (
	// MinBitstringBytes is the smallest list: §2.2 "The uncompressed bitstring MUST be at
	// least 16KB in size", that is 131,072 entries of one bit.
	MinBitstringBytes = 16 * 1024
	// DefaultMaxBitstringBytes is what DecodeBitstring allows when the caller passes
	// maxBytes <= 0: 16 MiB, 2^27 entries, a thousand times the minimum.
	DefaultMaxBitstringBytes = 16 << 20
)

// multibaseBase64URL is the multibase prefix of base64url without padding.
const multibaseBase64URL = "u"

// EncodeBitstring returns the encodedList of a bitstring (§2.2): "a Multibase-encoded
// base64url (with no padding) [RFC4648] representation of the GZIP-compressed [RFC1952]
// bitstring values". The bitstring must be at least MinBitstringBytes long.
func EncodeBitstring(bits []byte) (string, error) {
	if len(bits) < MinBitstringBytes {
		return "", newError(ReasonLength, nil, "bitstring of %d bytes is shorter than %d", len(bits), MinBitstringBytes)
	}
	var buf bytes.Buffer
	w, err := gzip.NewWriterLevel(&buf, gzip.BestCompression)
	if err != nil {
		return "", err
	}
	if _, err := w.Write(bits); err != nil {
		return "", err
	}
	if err := w.Close(); err != nil {
		return "", err
	}
	return multibaseBase64URL + base64.RawURLEncoding.EncodeToString(buf.Bytes()), nil
}

// DecodeBitstring expands an encodedList (§3.4 "Bitstring Expansion Algorithm"): multibase
// "u", base64url without padding, one GZIP member. The bitstring may be at most maxBytes
// long (maxBytes <= 0: DefaultMaxBitstringBytes): a few hundred bytes of GZIP can inflate
// to gigabytes, so the cap holds while inflating. A bitstring shorter than 16 KB is refused
// (§3.2 step 9, STATUS_LIST_LENGTH_ERROR).
func DecodeBitstring(s string, maxBytes int) ([]byte, error) {
	if maxBytes <= 0 {
		maxBytes = DefaultMaxBitstringBytes
	}
	b64, ok := strings.CutPrefix(s, multibaseBase64URL)
	if !ok {
		return nil, malformed(nil, "encodedList is not multibase base64url (prefix %q)", multibaseBase64URL)
	}
	compressed, err := base64.RawURLEncoding.Strict().DecodeString(b64)
	if err != nil {
		return nil, malformed(err, "encodedList is not base64url without padding")
	}
	bits, err := gunzip(compressed, maxBytes)
	if err != nil {
		return nil, err
	}
	if len(bits) < MinBitstringBytes {
		return nil, newError(ReasonLength, nil, "bitstring of %d bytes is shorter than %d", len(bits), MinBitstringBytes)
	}
	return bits, nil
}

// gunzip inflates exactly one GZIP member of at most maxBytes, checking its CRC-32 and
// length, and refuses trailing bytes.
func gunzip(compressed []byte, maxBytes int) ([]byte, error) {
	src := bytes.NewReader(compressed)
	r, err := gzip.NewReader(src)
	if err != nil {
		return nil, malformed(err, "encodedList is not GZIP")
	}
	r.Multistream(false)
	out, err := io.ReadAll(io.LimitReader(r, int64(maxBytes)+1))
	if err != nil {
		return nil, malformed(err, "encodedList does not inflate")
	}
	if len(out) > maxBytes {
		return nil, newError(ReasonTooLarge, nil, "encodedList inflates to more than %d bytes", maxBytes)
	}
	if src.Len() != 0 {
		return nil, malformed(errors.New("trailing data"), "bytes after the GZIP member")
	}
	return out, nil
}

// StatusBit is StatusListBits then BitAt: the bit of index in the status list credential
// list, for purpose, inflating at most maxBytes.
func StatusBit(list Credential, purpose string, index, maxBytes int) (bool, error) {
	bits, err := StatusListBits(list, purpose, maxBytes)
	if err != nil {
		return false, err
	}
	return BitAt(bits, index)
}

// BitAt returns the status bit of index. §2.2: "the first index, with a value of zero (0),
// is located at the left-most bit in the bitstring": index 0 is the most significant bit of
// byte 0. §3.2 step 10: outside the bitstring "a RANGE_ERROR MUST be raised".
func BitAt(bits []byte, index int) (bool, error) {
	if index < 0 || index/8 >= len(bits) {
		return false, newError(ReasonRange, nil, "index %d outside the bitstring of %d entries", index, len(bits)*8)
	}
	return bits[index/8]&(0x80>>(index%8)) != 0, nil
}

// SetBit sets (or clears) the status bit of index, in the order BitAt reads it.
func SetBit(bits []byte, index int, set bool) error {
	if index < 0 || index/8 >= len(bits) {
		return newError(ReasonRange, nil, "index %d outside the bitstring of %d entries", index, len(bits)*8)
	}
	if set {
		bits[index/8] |= 0x80 >> (index % 8)
	} else {
		bits[index/8] &^= 0x80 >> (index % 8)
	}
	return nil
}
