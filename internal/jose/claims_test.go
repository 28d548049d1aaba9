package jose

import (
	"testing"
	"time"
)

func TestCheckTimes(t *testing.T) {
	now := time.Date(2026, 11, 29, 10, 0, 0, 0, time.UTC)
	skew := 30 * time.Second
	at := func(d time.Duration) float64 { return float64(now.Add(d).Unix()) }
	tests := []struct {
		name   string
		claims map[string]any
		want   TimeProblem
		claim  string
	}{
		{"ok - none", map[string]any{}, TimesValid, ""},
		{"ok - all in range", map[string]any{"exp": at(time.Hour), "nbf": at(-time.Hour), "iat": at(-time.Minute)}, TimesValid, ""},
		{"ok - expired within skew", map[string]any{"exp": at(-10 * time.Second)}, TimesValid, ""},
		{"ok - iat ahead within skew", map[string]any{"iat": at(20 * time.Second)}, TimesValid, ""},
		{"error - expired beyond skew", map[string]any{"exp": at(-skew)}, TimeExpired, "exp"},
		{"error - not yet valid", map[string]any{"nbf": at(time.Minute)}, TimeNotYetValid, "nbf"},
		{"error - issued ahead", map[string]any{"iat": at(time.Minute)}, TimeIssuedAhead, "iat"},
		{"error - exp not a NumericDate", map[string]any{"exp": "tomorrow"}, TimeMalformed, "exp"},
		{"error - exp checked before nbf", map[string]any{"exp": at(-time.Hour), "nbf": at(time.Hour)}, TimeExpired, "exp"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			p, claim, _ := CheckTimes(tt.claims, now, skew)
			if p != tt.want || claim != tt.claim {
				t.Fatalf("CheckTimes = %v %q, want %v %q", p, claim, tt.want, tt.claim)
			}
		})
	}
}
