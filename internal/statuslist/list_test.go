package statuslist_test

import (
	"errors"
	"testing"

	"github.com/sociaaldomein/bewijs/internal/statuslist"
)

func TestNew(t *testing.T) {
	tests := []struct {
		name      string
		bits      int
		size      int
		wantBytes int
		want      error
	}{
		{"ok - 1 bit", 1, 16, 2, nil},
		{"ok - 2 bits", 2, 131072, 32768, nil},
		{"ok - 4 bits", 4, 3, 2, nil},
		{"ok - 8 bits", 8, 5, 5, nil},
		{"ok - size not a multiple of a byte rounds up", 2, 5, 2, nil},
		{"error - 3 bits", 3, 8, 0, statuslist.ErrBits},
		{"error - 16 bits", 16, 8, 0, statuslist.ErrBits},
		{"error - zero size", 2, 0, 0, statuslist.ErrSize},
		{"error - negative size", 2, -1, 0, statuslist.ErrSize},
		{"error - over MaxSize", 1, statuslist.MaxSize + 1, 0, statuslist.ErrSize},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			l, err := statuslist.New(tt.bits, tt.size)

			if tt.want != nil {
				if !errors.Is(err, tt.want) || l != nil {
					t.Fatalf("New() = %v, %v; want error %v", l, err, tt.want)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if l.Len() != tt.size || l.Bits() != tt.bits || len(l.Bytes()) != tt.wantBytes {
				t.Fatalf("Len %d Bits %d bytes %d; want %d %d %d", l.Len(), l.Bits(), len(l.Bytes()), tt.size, tt.bits, tt.wantBytes)
			}
			for i := 0; i < l.Len(); i += 1 + l.Len()/7 {
				if s, err := l.Get(i); err != nil || s != statuslist.Valid {
					t.Fatalf("new list entry %d = %v, %v; want VALID", i, s, err)
				}
			}
		})
	}
}

func TestSetGetBounds(t *testing.T) {
	tests := []struct {
		name   string
		bits   int
		idx    int
		status statuslist.Status
		want   error
	}{
		{"ok - first", 2, 0, statuslist.Suspended, nil},
		{"ok - last", 2, 11, statuslist.Invalid, nil},
		{"ok - 2 bits holds 3", 2, 5, 3, nil},
		{"ok - 8 bits holds 255", 8, 5, 255, nil},
		{"error - negative index", 2, -1, statuslist.Invalid, statuslist.ErrIndex},
		{"error - index == Len", 2, 12, statuslist.Invalid, statuslist.ErrIndex},
		{"error - suspended in 1 bit", 1, 3, statuslist.Suspended, statuslist.ErrStatus},
		{"error - 4 in 2 bits", 2, 3, 4, statuslist.ErrStatus},
		{"error - 16 in 4 bits", 4, 3, 16, statuslist.ErrStatus},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			l, err := statuslist.New(tt.bits, 12)
			if err != nil {
				t.Fatal(err)
			}

			err = l.Set(tt.idx, tt.status)

			if !errors.Is(err, tt.want) || (err == nil) != (tt.want == nil) {
				t.Fatalf("Set() = %v, want %v", err, tt.want)
			}
			got, getErr := l.Get(tt.idx)
			if tt.want == statuslist.ErrIndex {
				if !errors.Is(getErr, statuslist.ErrIndex) {
					t.Fatalf("Get() = %v, %v; want ErrIndex", got, getErr)
				}
				return
			}
			want := tt.status
			if tt.want != nil {
				want = statuslist.Valid // a refused Set changes nothing
			}
			if getErr != nil || got != want {
				t.Fatalf("Get() = %v, %v; want %v", got, getErr, want)
			}
		})
	}
}

// Setting one entry must leave its neighbours in the same byte alone, for every width.
func TestSetLeavesNeighbours(t *testing.T) {
	for _, bits := range []int{1, 2, 4, 8} {
		l, err := statuslist.New(bits, 64)
		if err != nil {
			t.Fatal(err)
		}
		pattern := func(i int) statuslist.Status { return statuslist.Status((i*7 + 3) % (1 << bits)) }
		for i := 0; i < 64; i++ {
			_ = l.Set(i, pattern(i))
		}
		_ = l.Set(9, statuslist.Status(1<<bits-1))
		_ = l.Set(9, 0)
		for i := 0; i < 64; i++ {
			want := pattern(i)
			if i == 9 {
				want = 0
			}
			if got, _ := l.Get(i); got != want {
				t.Fatalf("bits %d: entry %d = %d, want %d", bits, i, got, want)
			}
		}
	}
}

func TestStatusString(t *testing.T) {
	for s, want := range map[statuslist.Status]string{0: "VALID", 1: "INVALID", 2: "SUSPENDED", 3: "0x03", 255: "0xff"} {
		if got := s.String(); got != want {
			t.Errorf("Status(%d).String() = %q, want %q", s, got, want)
		}
	}
}
