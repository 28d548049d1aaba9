package did

import (
	"errors"
	"strings"
)

// base58btc (the Bitcoin alphabet) as used by multibase prefix "z" (did:key, Multikey).
// Kept in-package so the leaf has no dependency for ~50 lines of arithmetic.
const base58Alphabet = "123456789ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz"

// maxBase58Len bounds the quadratic conversion; keys encode to well under 100 characters.
const maxBase58Len = 512

var errBase58 = errors.New("invalid base58btc encoding")

// base58Encode encodes b; each leading zero byte becomes a leading '1'.
func base58Encode(b []byte) string {
	zeros := 0
	for zeros < len(b) && b[zeros] == 0 {
		zeros++
	}
	var digits []byte // little-endian base-58 digits
	for _, c := range b[zeros:] {
		carry := int(c)
		for i := range digits {
			carry += int(digits[i]) << 8
			digits[i] = byte(carry % 58)
			carry /= 58
		}
		for ; carry > 0; carry /= 58 {
			digits = append(digits, byte(carry%58))
		}
	}
	out := make([]byte, zeros+len(digits))
	for i := 0; i < zeros; i++ {
		out[i] = base58Alphabet[0]
	}
	for i, d := range digits {
		out[len(out)-1-i] = base58Alphabet[d]
	}
	return string(out)
}

// base58Decode decodes s; each leading '1' becomes a leading zero byte.
func base58Decode(s string) ([]byte, error) {
	if len(s) > maxBase58Len {
		return nil, errBase58
	}
	zeros := 0
	for zeros < len(s) && s[zeros] == base58Alphabet[0] {
		zeros++
	}
	var value []byte // little-endian base-256 digits
	for i := zeros; i < len(s); i++ {
		carry := strings.IndexByte(base58Alphabet, s[i])
		if carry < 0 {
			return nil, errBase58
		}
		for j := range value {
			carry += int(value[j]) * 58
			value[j] = byte(carry)
			carry >>= 8
		}
		for ; carry > 0; carry >>= 8 {
			value = append(value, byte(carry))
		}
	}
	out := make([]byte, zeros+len(value))
	for i, v := range value {
		out[len(out)-1-i] = v
	}
	return out, nil
}
