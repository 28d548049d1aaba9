package statuslist_test

import (
	"bytes"
	"compress/zlib"
	"encoding/base64"
	"encoding/hex"
	"encoding/json"
	"errors"
	"io"
	"os"
	"testing"

	"github.com/sociaaldomein/bewijs/internal/statuslist"
)

// The two worked examples of §4.1 and their JSON form in §4.2 (draft -20).
var draftExamples = []struct {
	name       string
	bits       int
	statuses   []statuslist.Status
	bytes      []byte
	compressed string // "compressed array (hex)" of §4.1, as zlib writes it
	lst        string // §4.2
}{
	{
		name:       "1-bit example",
		bits:       1,
		statuses:   []statuslist.Status{1, 0, 0, 1, 1, 1, 0, 1, 1, 1, 0, 0, 0, 1, 0, 1},
		bytes:      []byte{0xb9, 0xa3},
		compressed: "78dadbb918000217015d",
		lst:        "eNrbuRgAAhcBXQ",
	},
	{
		name:       "2-bit example",
		bits:       2,
		statuses:   []statuslist.Status{1, 2, 0, 3, 0, 1, 0, 1, 1, 2, 3, 3},
		bytes:      []byte{0xc9, 0x44, 0xf9},
		compressed: "78da3be9f2130003df0207",
		lst:        "eNo76fITAAPfAgc",
	},
}

func TestDraftExamplesEncode(t *testing.T) {
	for _, ex := range draftExamples {
		t.Run(ex.name, func(t *testing.T) {
			l, err := statuslist.New(ex.bits, len(ex.statuses))
			if err != nil {
				t.Fatal(err)
			}
			for i, s := range ex.statuses {
				if err := l.Set(i, s); err != nil {
					t.Fatal(err)
				}
			}

			lst, err := l.Encode()

			if err != nil {
				t.Fatal(err)
			}
			if !bytes.Equal(l.Bytes(), ex.bytes) {
				t.Errorf("byte array = %x, want %x", l.Bytes(), ex.bytes)
			}
			// The draft's compressed bytes come from zlib; Go's compress/flate writes the same
			// data as a non-final block plus an empty final stored block, so the streams differ
			// by those 5 bytes. Both are valid RFC 1950 streams: compare what they inflate to,
			// and the header (CMF 0x78, FLG 0xDA: deflate, 32K window, maximum compression).
			raw, err := base64.RawURLEncoding.DecodeString(lst)
			if err != nil {
				t.Fatal(err)
			}
			if hex.EncodeToString(raw[:2]) != ex.compressed[:4] {
				t.Errorf("zlib header = %x, want %s", raw[:2], ex.compressed[:4])
			}
			if got := inflateAll(t, raw); !bytes.Equal(got, ex.bytes) {
				t.Errorf("our lst inflates to %x, want %x", got, ex.bytes)
			}
			if got := inflateAll(t, mustHex(ex.compressed)); !bytes.Equal(got, ex.bytes) {
				t.Errorf("the draft's compressed array inflates to %x, want %x", got, ex.bytes)
			}
		})
	}
}

func TestDraftExamplesDecode(t *testing.T) {
	for _, ex := range draftExamples {
		t.Run(ex.name, func(t *testing.T) {
			l, err := statuslist.Decode(ex.lst, ex.bits, 0)

			if err != nil {
				t.Fatal(err)
			}
			if l.Len() != len(ex.statuses) || l.Bits() != ex.bits {
				t.Fatalf("Len() = %d, Bits() = %d; want %d, %d", l.Len(), l.Bits(), len(ex.statuses), ex.bits)
			}
			for i, want := range ex.statuses {
				if got, _ := l.Get(i); got != want {
					t.Errorf("status[%d] = %d, want %d", i, got, want)
				}
			}
		})
	}
}

type vector struct {
	Name string   `json:"name"`
	Bits int      `json:"bits"`
	Size int      `json:"size"`
	Set  [][2]int `json:"set"`
	Lst  string   `json:"lst"`
}

func loadVectors(t *testing.T) []vector {
	t.Helper()
	raw, err := os.ReadFile("testdata/draft20-vectors.json")
	if err != nil {
		t.Fatal(err)
	}
	var doc struct{ Vectors []vector }
	if err := json.Unmarshal(raw, &doc); err != nil {
		t.Fatal(err)
	}
	if len(doc.Vectors) != 4 {
		t.Fatalf("want the 1, 2, 4 and 8-bit vectors, got %d", len(doc.Vectors))
	}
	return doc.Vectors
}

// The appendix "Test vectors for Status List encoding": §11.1 "Implementations SHOULD verify
// correctness using the test vectors given by this specification."
func TestDraftTestVectors(t *testing.T) {
	for _, v := range loadVectors(t) {
		t.Run(v.Name, func(t *testing.T) {
			want := vectorList(t, v)

			got, err := statuslist.Decode(v.Lst, v.Bits, 0)

			if err != nil {
				t.Fatal(err)
			}
			if got.Len() != v.Size {
				t.Fatalf("decoded Len() = %d, want %d", got.Len(), v.Size)
			}
			if !bytes.Equal(got.Bytes(), want.Bytes()) {
				t.Fatal("decoded byte array differs from the statuses the draft lists")
			}
			assertStatuses(t, got, v)
			ours, err := want.Encode()
			if err != nil {
				t.Fatal(err)
			}
			back, err := statuslist.Decode(ours, v.Bits, 0)
			if err != nil || !bytes.Equal(back.Bytes(), want.Bytes()) {
				t.Fatalf("our encoding does not round-trip: %v", err)
			}
			// Best compression: no more than a few bytes over zlib -9's output.
			if len(ours) > len(v.Lst)+16 {
				t.Errorf("our lst is %d characters, the draft's %d", len(ours), len(v.Lst))
			}
			t.Logf("lst length: ours %d, draft %d", len(ours), len(v.Lst))
		})
	}
}

func vectorList(t *testing.T, v vector) *statuslist.List {
	t.Helper()
	l, err := statuslist.New(v.Bits, v.Size)
	if err != nil {
		t.Fatal(err)
	}
	for _, s := range v.Set {
		if err := l.Set(s[0], statuslist.Status(s[1])); err != nil {
			t.Fatal(err)
		}
	}
	return l
}

// assertStatuses checks each listed index (the last write wins) and that no other is set.
func assertStatuses(t *testing.T, l *statuslist.List, v vector) {
	t.Helper()
	want := map[int]statuslist.Status{}
	for _, s := range v.Set {
		want[s[0]] = statuslist.Status(s[1])
	}
	nonZero := 0
	for i := 0; i < l.Len(); i++ {
		got, _ := l.Get(i)
		if got != want[i] {
			t.Fatalf("status[%d] = %d, want %d", i, got, want[i])
		}
		if got != statuslist.Valid {
			nonZero++
		}
	}
	if nonZero == 0 {
		t.Fatal("vector decoded to an all-VALID list")
	}
}

func TestDecodeRefuses(t *testing.T) {
	good := draftExamples[0].lst
	// A zip bomb: 16 MiB of zeros, twice DefaultMaxBytes, in a few KiB of lst.
	bomb := b64(zlibBytes(t, make([]byte, 2*statuslist.DefaultMaxBytes)))
	if len(bomb) > 64<<10 {
		t.Fatalf("bomb is %d characters; not a bomb", len(bomb))
	}
	tests := []struct {
		name     string
		lst      string
		bits     int
		maxBytes int
		want     error
	}{
		{"error - bits 3", good, 3, 0, statuslist.ErrBits},
		{"error - bits 0", good, 0, 0, statuslist.ErrBits},
		{"error - not base64url", "eNrb+RgA/hcBXQ", 1, 0, statuslist.ErrMalformed},
		{"error - not zlib", b64([]byte("hello world")), 1, 0, statuslist.ErrMalformed},
		{"error - raw deflate without zlib header", b64(mustHex("dbb918000217015d")), 1, 0, statuslist.ErrMalformed},
		{"error - truncated stream", b64(mustHex("78dadbb9180002")), 1, 0, statuslist.ErrMalformed},
		{"error - bad adler32", b64(mustHex("78dadbb918000217015e")), 1, 0, statuslist.ErrMalformed},
		{"error - trailing bytes", b64(append(mustHex("78dadbb918000217015d"), 0)), 1, 0, statuslist.ErrMalformed},
		{"error - empty array", b64(zlibBytes(t, nil)), 1, 0, statuslist.ErrMalformed},
		{"error - over the cap", good, 1, 1, statuslist.ErrTooLarge},
		{"error - zip bomb", bomb, 1, 0, statuslist.ErrTooLarge},
		{"ok - exactly the cap", good, 1, 2, nil},
		{"ok - padded base64url", good + "==", 1, 0, nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			l, err := statuslist.Decode(tt.lst, tt.bits, tt.maxBytes)

			if tt.want == nil {
				if err != nil || l.Len() != 16 {
					t.Fatalf("Decode() = %v, %v; want a 16-entry list", l, err)
				}
				return
			}
			if !errors.Is(err, tt.want) {
				t.Fatalf("Decode() error = %v, want %v", err, tt.want)
			}
		})
	}
}

func inflateAll(t *testing.T, compressed []byte) []byte {
	t.Helper()
	r, err := zlib.NewReader(bytes.NewReader(compressed))
	if err != nil {
		t.Fatal(err)
	}
	out, err := io.ReadAll(r)
	if err != nil {
		t.Fatal(err)
	}
	return out
}

func b64(b []byte) string { return base64.RawURLEncoding.EncodeToString(b) }

func mustHex(s string) []byte {
	b, err := hex.DecodeString(s)
	if err != nil {
		panic(err)
	}
	return b
}

func zlibBytes(t testing.TB, raw []byte) []byte {
	t.Helper()
	var buf bytes.Buffer
	w, _ := zlib.NewWriterLevel(&buf, zlib.BestCompression)
	if _, err := w.Write(raw); err != nil {
		t.Fatal(err)
	}
	if err := w.Close(); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}
