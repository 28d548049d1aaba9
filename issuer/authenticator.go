package issuer

import (
	"context"
	"crypto/rand"
	"errors"
	"math/big"
	"strings"
)

// Authenticator is the login step of the authorization code flow: it shows fields and,
// from what the citizen entered, finds the beschikking to issue. The pilot one takes a
// one-time login code; the verification issue adds login by presenting a PID.
type Authenticator interface {
	Fields() []LoginField
	// Authenticate returns the beschikking id, or an error wrapping errLogin when the input
	// is wrong.
	Authenticate(ctx context.Context, tenantID string, form map[string]string) (string, error)
}

// LoginField is one input of the login page.
type LoginField struct {
	Name         string
	Label        string
	Autocomplete string
}

// loginCodes is the pilot authenticator: the gemeente gives the citizen a one-time code
// with the beschikking (CreateOptions.LoginCode); the code identifies the beschikking.
type loginCodes struct{ i *Issuer }

func (loginCodes) Fields() []LoginField {
	return []LoginField{{Name: "login_code", Label: "Inlogcode van de gemeente / Login code from the gemeente", Autocomplete: "one-time-code"}}
}

func (l loginCodes) Authenticate(ctx context.Context, tenantID string, form map[string]string) (string, error) {
	code := normalizeLoginCode(form["login_code"])
	if code == "" {
		return "", errLogin
	}
	c, err := l.i.store.RedeemLoginCode(ctx, tenantID, hashSecret(code), l.i.now().UTC())
	if errors.Is(err, ErrNotFound) || errors.Is(err, ErrReplay) || errors.Is(err, ErrExpired) {
		return "", errLogin
	}
	if err != nil {
		return "", err
	}
	return c.BeschikkingID, nil
}

// loginCodeAlphabet avoids look-alikes (no 0/O, 1/I/L).
const loginCodeAlphabet = "ABCDEFGHJKMNPQRSTUVWXYZ23456789"

// newLoginCode is 12 characters (about 59 bits) shown as XXXX-XXXX-XXXX.
func newLoginCode() (string, error) {
	var b strings.Builder
	for k := range 12 {
		n, err := rand.Int(rand.Reader, big.NewInt(int64(len(loginCodeAlphabet))))
		if err != nil {
			return "", err
		}
		if k > 0 && k%4 == 0 {
			b.WriteByte('-')
		}
		b.WriteByte(loginCodeAlphabet[n.Int64()])
	}
	return b.String(), nil
}

// normalizeLoginCode accepts lower case, spaces and missing dashes.
func normalizeLoginCode(s string) string {
	var b strings.Builder
	for _, r := range strings.ToUpper(s) {
		if strings.ContainsRune(loginCodeAlphabet, r) {
			b.WriteRune(r)
		}
	}
	out := b.String()
	if len(out) != 12 {
		return ""
	}
	return out[:4] + "-" + out[4:8] + "-" + out[8:]
}
