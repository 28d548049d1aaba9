package statuslist_test

import (
	"encoding/json"
	"errors"
	"testing"
	"time"

	"github.com/sociaaldomein/bewijs/internal/statuslist"
)

// The payload of the §5.1 example: 1-bit list, iat 1686920170, exp 2291720170, ttl 12 h.
func TestTokenClaimsDraftExample(t *testing.T) {
	l := exampleList(t, 0)
	iat := time.Unix(1686920170, 0)

	claims, err := statuslist.TokenClaims("https://example.com/statuslists/1", l, iat, time.Unix(2291720170, 0), 12*time.Hour)

	if err != nil {
		t.Fatal(err)
	}
	raw, err := json.Marshal(claims)
	if err != nil {
		t.Fatal(err)
	}
	var got struct {
		Exp        int64  `json:"exp"`
		Iat        int64  `json:"iat"`
		Sub        string `json:"sub"`
		TTL        int64  `json:"ttl"`
		StatusList struct {
			Bits int    `json:"bits"`
			Lst  string `json:"lst"`
		} `json:"status_list"`
	}
	if err := json.Unmarshal(raw, &got); err != nil {
		t.Fatal(err)
	}
	if got.Exp != 2291720170 || got.Iat != 1686920170 || got.Sub != "https://example.com/statuslists/1" || got.TTL != 43200 || got.StatusList.Bits != 1 {
		t.Fatalf("claims = %s", raw)
	}
	back, err := statuslist.Decode(got.StatusList.Lst, 1, 0)
	if err != nil || string(back.Bytes()) != string(l.Bytes()) {
		t.Fatalf("status_list.lst does not decode to the list: %v", err)
	}
	if len(claims) != 5 {
		t.Fatalf("want exactly sub, iat, exp, ttl, status_list; got %s", raw)
	}
}

func TestTokenClaimsRefuses(t *testing.T) {
	iat := time.Unix(1700000000, 0)
	exp := iat.Add(24 * time.Hour)
	uri := "https://bewijs.example/t/gemeente-utrecht/statuslists/0b0e"
	tests := []struct {
		name    string
		uri     string
		nilList bool
		iat     time.Time
		exp     time.Time
		ttl     time.Duration
		absent  string
		wantErr bool
	}{
		{"ok", uri, false, iat, exp, time.Hour, "", false},
		{"ok - no exp", uri, false, iat, time.Time{}, time.Hour, "exp", false},
		{"ok - no ttl", uri, false, iat, exp, 0, "ttl", false},
		{"error - no list", uri, true, iat, exp, time.Hour, "", true},
		{"error - relative uri", "/statuslists/1", false, iat, exp, time.Hour, "", true},
		{"error - urn", "urn:x:1", false, iat, exp, time.Hour, "", true},
		{"error - empty uri", "", false, iat, exp, time.Hour, "", true},
		{"error - zero iat", uri, false, time.Time{}, exp, time.Hour, "", true},
		{"error - exp before iat", uri, false, iat, iat.Add(-time.Second), time.Hour, "", true},
		{"error - exp equals iat", uri, false, iat, iat, time.Hour, "", true},
		{"error - negative ttl", uri, false, iat, exp, -time.Hour, "", true},
		{"error - sub-second ttl", uri, false, iat, exp, 500 * time.Millisecond, "", true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			l := exampleList(t, 1)
			if tt.nilList {
				l = nil
			}

			claims, err := statuslist.TokenClaims(tt.uri, l, tt.iat, tt.exp, tt.ttl)

			if tt.wantErr {
				if !errors.Is(err, statuslist.ErrClaims) || claims != nil {
					t.Fatalf("TokenClaims() = %v, %v; want ErrClaims", claims, err)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if _, ok := claims[tt.absent]; tt.absent != "" && ok {
				t.Fatalf("claim %s present: %v", tt.absent, claims)
			}
			if claims["sub"] != tt.uri || claims["iat"] != tt.iat.Unix() {
				t.Fatalf("claims = %v", claims)
			}
		})
	}
}

func TestReferenceJSON(t *testing.T) {
	raw, err := json.Marshal(map[string]any{"status_list": statuslist.Reference{Index: 0, URI: "https://example.com/statuslists/1"}})
	if err != nil {
		t.Fatal(err)
	}
	// §6.2 example: "status": {"status_list": {"idx": 0, "uri": "https://example.com/statuslists/1"}}
	if want := `{"status_list":{"idx":0,"uri":"https://example.com/statuslists/1"}}`; string(raw) != want {
		t.Fatalf("got %s, want %s", raw, want)
	}
}

func exampleList(t *testing.T, n int) *statuslist.List {
	t.Helper()
	ex := draftExamples[n]
	l, err := statuslist.New(ex.bits, len(ex.statuses))
	if err != nil {
		t.Fatal(err)
	}
	for i, s := range ex.statuses {
		if err := l.Set(i, s); err != nil {
			t.Fatal(err)
		}
	}
	return l
}
