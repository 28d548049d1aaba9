package policies

import (
	"errors"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"
)

func TestConfigValidate(t *testing.T) {
	cases := []struct {
		name    string
		mutate  func(*Config)
		wantErr string
	}{
		{"ok", func(*Config) {}, ""},
		{"ok - directory", func(c *Config) { c.Dir = "/etc/bewijs/policies" }, ""},
		{"error - zero interval", func(c *Config) { c.ReloadInterval = 0 }, "reload interval"},
		{"error - negative interval", func(c *Config) { c.ReloadInterval = -time.Second }, "reload interval"},
		{"error - no clock", func(c *Config) { c.Now = nil }, "clock"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			cfg := DefaultConfig()
			tc.mutate(&cfg)

			err := cfg.Validate()

			if (err == nil) != (tc.wantErr == "") || (err != nil && !strings.Contains(err.Error(), tc.wantErr)) {
				t.Errorf("Validate() = %v, want error containing %q", err, tc.wantErr)
			}
		})
	}
}

// gatePolicy is a small custom policy: allow when input.n exceeds limit.
func gatePolicy(limit int) string {
	return strings.ReplaceAll(`package bewijs.gate

default allow := false

allow if input.n > LIMIT

decision := {"allow": allow, "reasons": [sprintf("limit is %d", [LIMIT])]}
`, "LIMIT", strconv.Itoa(limit))
}

func TestNewFails(t *testing.T) {
	cases := []struct {
		name  string
		files map[string]string
		want  error
		text  string
	}{
		{"error - no rego files", map[string]string{"README.md": "hallo"}, ErrLoadFailed, "no .rego files"},
		{"error - syntax error", map[string]string{"gate.rego": "package bewijs.gate\nallow if {"}, ErrCompileFailed, "gate.rego:"},
		{"error - unsafe variable", map[string]string{"gate.rego": "package bewijs.gate\ndecision := {\"allow\": x, \"reasons\": []}"}, ErrCompileFailed, "var x is unsafe"},
		{"error - network builtin", map[string]string{"gate.rego": "package bewijs.gate\ndecision := {\"allow\": http.send({\"method\": \"get\", \"url\": \"http://127.0.0.1/\"}).status_code == 200, \"reasons\": []}"}, ErrCompileFailed, "http.send"},
		{"error - runtime builtin", map[string]string{"gate.rego": "package bewijs.gate\ndecision := {\"allow\": true, \"reasons\": [opa.runtime().env.HOME]}"}, ErrCompileFailed, "opa.runtime"},
		{"error - failing rego test", map[string]string{"gate.rego": gatePolicy(10), "gate_test.rego": "package bewijs.gate_test\nimport data.bewijs.gate\ntest_allows_eleven if gate.allow with input as {\"n\": 11}\ntest_allows_five if gate.allow with input as {\"n\": 5}"}, ErrTestsFailed, "test_allows_five (gate_test.rego:4)"},
		{"error - no decision rule", map[string]string{"gate.rego": "package bewijs.gate\nallow := true"}, ErrCompileFailed, "no policy"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			dir := t.TempDir()
			writeFiles(t, dir, tc.files)
			cfg := DefaultConfig()
			cfg.Dir = dir

			_, err := New(t.Context(), cfg, nil)

			if !errors.Is(err, tc.want) || !strings.Contains(err.Error(), tc.text) {
				t.Errorf("New() = %v, want %v containing %q", err, tc.want, tc.text)
			}
		})
	}
}

func TestNewFailsOnMissingDirectory(t *testing.T) {
	cfg := DefaultConfig()
	cfg.Dir = filepath.Join(t.TempDir(), "absent")

	_, err := New(t.Context(), cfg, nil)

	if KindOf(err) != LoadFailed {
		t.Fatalf("New() = %v, want LoadFailed", err)
	}
}

func TestDirectoryReplacesTheDefaults(t *testing.T) {
	dir := t.TempDir()
	writeFiles(t, dir, map[string]string{"gate.rego": gatePolicy(10)})
	if err := os.Mkdir(filepath.Join(dir, "sub.rego"), 0o700); err != nil { // directories are skipped
		t.Fatal(err)
	}
	cfg := DefaultConfig()
	cfg.Dir = dir
	e, err := New(t.Context(), cfg, nil)
	if err != nil {
		t.Fatal(err)
	}

	_, err = e.Decide(t.Context(), "trust", trustInput{utrechtDID, vctWmo, ""})

	if !errors.Is(err, ErrUnknownPolicy) {
		t.Errorf("Decide(trust) = %v, want ErrUnknownPolicy: the directory replaces the embedded set", err)
	}
	if got := e.Policies(); len(got) != 1 || got[0] != "gate" {
		t.Errorf("Policies() = %v, want [gate]", got)
	}
	if d := mustDecide(t, e, "gate", map[string]any{"n": 11}); !d.Allow || d.Reasons[0] != "limit is 10" {
		t.Errorf("gate = %+v", d)
	}
}

func TestDecideErrors(t *testing.T) {
	dir := t.TempDir()
	writeFiles(t, dir, map[string]string{"odd.rego": `package bewijs.odd

decision := {"allow": true, "reasons": []} if input.ok

decision := {"allow": "yes", "reasons": []} if input.string_allow

decision := {"allow": true, "reasons": [1]} if input.number_reason
`})
	cfg := DefaultConfig()
	cfg.Dir = dir
	e, err := New(t.Context(), cfg, nil)
	if err != nil {
		t.Fatal(err)
	}
	cases := []struct {
		name   string
		policy string
		input  any
		want   error
	}{
		{"error - unknown policy", "declareren", map[string]any{}, ErrUnknownPolicy},
		{"error - undefined decision", "odd", map[string]any{}, ErrInvalidDecision},
		{"error - allow not a boolean", "odd", map[string]any{"string_allow": true}, ErrInvalidDecision},
		{"error - reason not a string", "odd", map[string]any{"number_reason": true}, ErrInvalidDecision},
		{"error - conflicting decisions", "odd", map[string]any{"ok": true, "string_allow": true}, ErrEvalFailed},
		{"error - input not JSON", "odd", map[string]any{"ch": make(chan int)}, ErrEvalFailed},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			_, err := e.Decide(t.Context(), tc.policy, tc.input)

			if !errors.Is(err, tc.want) {
				t.Errorf("Decide() = %v, want %v", err, tc.want)
			}
		})
	}
}

// Policies see the configured clock.
func TestDecideUsesTheClock(t *testing.T) {
	dir := t.TempDir()
	writeFiles(t, dir, map[string]string{"clock.rego": `package bewijs.clock

decision := {"allow": time.now_ns() < time.parse_rfc3339_ns("2027-01-01T00:00:00Z"), "reasons": []}
`})
	now := time.Date(2026, 12, 31, 23, 0, 0, 0, time.UTC)
	cfg := DefaultConfig()
	cfg.Dir = dir
	cfg.Now = func() time.Time { return now }
	e, err := New(t.Context(), cfg, nil)
	if err != nil {
		t.Fatal(err)
	}
	if !mustDecide(t, e, "clock", nil).Allow {
		t.Error("before 2027: want allow")
	}

	now = now.Add(2 * time.Hour)

	if mustDecide(t, e, "clock", nil).Allow {
		t.Error("after 2027: want deny")
	}
}

func TestEvalFile(t *testing.T) {
	dir := t.TempDir()
	writeFiles(t, dir, map[string]string{"gate.rego": gatePolicy(10)})
	cases := []struct {
		name   string
		dir    string
		policy string
		input  string
		allow  bool
		want   error
	}{
		{"ok - embedded trust", "", "trust", `{"issuer": "` + utrechtDID + `", "vct": "` + vctWmo + `"}`, true, nil},
		{"ok - embedded trust deny", "", "trust", `{"issuer": "` + lindeDID + `", "vct": "` + vctWmo + `"}`, false, nil},
		{"ok - directory, exact number", dir, "gate", `{"n": 10.000000000000000001}`, true, nil},
		{"error - not JSON", "", "trust", `{"issuer": `, false, ErrInvalidInput},
		{"error - two JSON values", "", "trust", `{} {}`, false, ErrInvalidInput},
		{"error - unknown policy", dir, "trust", `{}`, false, ErrUnknownPolicy},
		{"error - missing directory", filepath.Join(dir, "absent"), "trust", `{}`, false, ErrLoadFailed},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			d, err := EvalFile(t.Context(), tc.dir, tc.policy, []byte(tc.input))

			if tc.want != nil {
				if !errors.Is(err, tc.want) {
					t.Fatalf("EvalFile() = %v, want %v", err, tc.want)
				}
				return
			}
			if err != nil || d.Allow != tc.allow || d.Policy != tc.policy || d.Revision == "" {
				t.Fatalf("EvalFile() = %+v, %v; want allow %v", d, err, tc.allow)
			}
		})
	}
}
