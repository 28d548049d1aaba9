package ident_test

import (
	"errors"
	"testing"

	"github.com/sociaaldomein/bewijs/internal/fixtures"
	"github.com/sociaaldomein/bewijs/internal/ident"
)

func TestValidators(t *testing.T) {
	tests := []struct {
		name  string
		check func(string) error
		in    string
		ok    bool
	}{
		{"ok - gemeentecode", ident.Gemeentecode, "0363", true},
		{"error - gemeentecode 3 digits", ident.Gemeentecode, "363", false},
		{"error - gemeentecode letters", ident.Gemeentecode, "03a3", false},
		{"ok - agb", ident.AGB, "98000101", true},
		{"error - agb 9 digits", ident.AGB, "980001011", false},
		{"ok - kvk", ident.KvK, "68750110", true},
		{"error - kvk 7 digits", ident.KvK, "6875011", false},
		{"ok - oin", ident.OIN, "00000099000000363000", true},
		{"error - oin 19 digits", ident.OIN, "0000009900000036300", false},
		{"ok - bsn worked example", ident.BSN, "111222333", true},
		{"ok - bsn 123456782", ident.BSN, "123456782", true},
		{"error - bsn bank variant", ident.BSN, "123456789", false},
		{"error - bsn all zero", ident.BSN, "000000000", false},
		{"error - bsn 8 digits", ident.BSN, "12345678", false},
		{"error - bsn unicode digit", ident.BSN, "12345678٢", false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			err := tt.check(tt.in)
			if (err == nil) != tt.ok {
				t.Fatalf("%q: err = %v, want ok=%v", tt.in, err, tt.ok)
			}
			if err != nil && !errors.Is(err, ident.ErrInvalid) {
				t.Fatalf("err %v does not wrap ErrInvalid", err)
			}
		})
	}
}

// The embedded fixtures hold elfproef-valid BSNs and invalid ones with their reason.
func TestBSNFixtures(t *testing.T) {
	valid, invalid, err := fixtures.Burgers()
	if err != nil {
		t.Fatal(err)
	}
	if len(valid) == 0 || len(invalid) == 0 {
		t.Fatalf("fixtures: %d valid, %d invalid BSNs; want some of each", len(valid), len(invalid))
	}
	for _, b := range valid {
		if err := ident.BSN(b.BSN); err != nil {
			t.Errorf("fixture BSN %s: %v", b.BSN, err)
		}
	}
	for _, b := range invalid {
		if err := ident.BSN(b.BSN); err == nil {
			t.Errorf("invalid fixture BSN %s accepted (%s)", b.BSN, b.Reason)
		}
	}
}
