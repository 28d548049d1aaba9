package statuslist_test

import (
	"bytes"
	"errors"
	"testing"

	"github.com/sociaaldomein/bewijs/internal/statuslist"
)

// FuzzDecode feeds untrusted lst values (a relying party decodes what any server sends).
// Decode must never panic, never return more than the cap, and what it accepts must answer
// Get in bounds, refuse out of bounds, and survive Encode → Decode unchanged.
func FuzzDecode(f *testing.F) {
	for _, ex := range draftExamples {
		f.Add(ex.lst, uint8(ex.bits))
	}
	f.Add("eNrt3AENwCAMAEGogklACtKQPg9LugC9k_ACvreiogE", uint8(1))
	f.Add("eNo7ycAAAAJeAMo", uint8(2))
	f.Add("eJwDAAAAAAE", uint8(1))
	f.Add("", uint8(8))
	f.Add("!!!", uint8(4))
	const maxBytes = 1 << 16
	f.Fuzz(func(t *testing.T, lst string, bits uint8) {
		l, err := statuslist.Decode(lst, int(bits), maxBytes)
		if err != nil {
			var e *statuslist.Error
			if !errors.As(err, &e) {
				t.Fatalf("untyped error %T: %v", err, err)
			}
			return
		}
		raw := l.Bytes()
		if len(raw) == 0 || len(raw) > maxBytes || l.Len() != len(raw)*8/l.Bits() {
			t.Fatalf("accepted %d bytes as %d entries of %d bits", len(raw), l.Len(), l.Bits())
		}
		if _, err := l.Get(l.Len() - 1); err != nil {
			t.Fatalf("last entry: %v", err)
		}
		if _, err := l.Get(l.Len()); !errors.Is(err, statuslist.ErrIndex) {
			t.Fatalf("Get(Len()) = %v, want ErrIndex", err)
		}
		enc, err := l.Encode()
		if err != nil {
			t.Fatal(err)
		}
		back, err := statuslist.Decode(enc, l.Bits(), maxBytes)
		if err != nil || !bytes.Equal(back.Bytes(), raw) {
			t.Fatalf("re-encoding does not round-trip: %v", err)
		}
	})
}
