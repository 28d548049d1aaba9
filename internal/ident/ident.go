// Package ident validates the Dutch identifiers of the social domain: BSN, AGB-code,
// gemeentecode, KvK-nummer and OIN. Rules from ../shared/domain/README.md §4.
package ident

import (
	"errors"
	"fmt"
)

// ErrInvalid is wrapped by every validation error of this package.
var ErrInvalid = errors.New("invalid identifier")

func digits(s string, n int) bool {
	if len(s) != n {
		return false
	}
	for _, r := range s {
		if r < '0' || r > '9' {
			return false
		}
	}
	return true
}

// Gemeentecode is the CBS code: exactly 4 digits with leading zeros (RS035).
func Gemeentecode(s string) error {
	if !digits(s, 4) {
		return fmt.Errorf("%w: gemeentecode must be exactly 4 digits (CBS code with leading zeros)", ErrInvalid)
	}
	return nil
}

// AGB is the Vektis AGB-code: exactly 8 digits, kept a string. No check digit is published,
// so nothing else is inferred (domain notes §4).
func AGB(s string) error {
	if !digits(s, 8) {
		return fmt.Errorf("%w: AGB-code must be exactly 8 digits", ErrInvalid)
	}
	return nil
}

// KvK is the Kamer van Koophandel number: exactly 8 digits.
func KvK(s string) error {
	if !digits(s, 8) {
		return fmt.Errorf("%w: KvK-nummer must be exactly 8 digits", ErrInvalid)
	}
	return nil
}

// OIN is the Organisatie-identificatienummer: exactly 20 digits.
func OIN(s string) error {
	if !digits(s, 20) {
		return fmt.Errorf("%w: OIN must be exactly 20 digits", ErrInvalid)
	}
	return nil
}

// BSN checks the burgerservicenummer: 9 digits passing the BSN elfproef, weights 9…2 and −1;
// the sum must be divisible by 11, and a sum of 0 is invalid (domain notes §4, CS002).
func BSN(s string) error {
	if !digits(s, 9) {
		return fmt.Errorf("%w: BSN must be exactly 9 digits", ErrInvalid)
	}
	sum := 0
	for i, r := range s {
		w := 9 - i
		if i == 8 {
			w = -1
		}
		sum += w * int(r-'0')
	}
	if sum == 0 || sum%11 != 0 {
		return fmt.Errorf("%w: BSN fails the elfproef", ErrInvalid)
	}
	return nil
}
