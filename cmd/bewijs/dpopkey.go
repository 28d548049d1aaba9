package main

import (
	"bytes"
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"encoding/base64"
	"encoding/json"
	"errors"
	"fmt"
	"os"

	"github.com/sociaaldomein/bewijs/did"
)

// A declareren access token is bound to a DPoP key (RFC 9449): without the key the token is
// useless, and with it anyone can use the token until it expires. `org-wallet token` makes a
// fresh P-256 key per token and hands it over as a private JWK (RFC 7517; EC members RFC 7518
// §6.2), in a file of mode 0600 or in its --json output; `declaratie submit` reads it back.

// newDPoPKey generates a fresh DPoP key.
func newDPoPKey() (*ecdsa.PrivateKey, error) {
	return ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
}

// privateJWK is k as a JWK with its private member d (RFC 7518 §6.2.2.1).
func privateJWK(k *ecdsa.PrivateKey) (json.RawMessage, error) {
	pub, err := did.PublicJWK(&k.PublicKey)
	if err != nil {
		return nil, err
	}
	var members map[string]any
	if err := json.Unmarshal(pub, &members); err != nil {
		return nil, err
	}
	d, err := k.Bytes()
	if err != nil {
		return nil, err
	}
	members["d"] = base64.RawURLEncoding.EncodeToString(d)
	return json.Marshal(members)
}

// parsePrivateJWK reads a P-256 private JWK and checks that d belongs to x and y.
func parsePrivateJWK(data []byte) (*ecdsa.PrivateKey, error) {
	var members map[string]json.RawMessage
	if err := json.Unmarshal(data, &members); err != nil || members == nil {
		return nil, errors.New("the DPoP key is not a JWK (a JSON object)")
	}
	var d string
	if err := json.Unmarshal(members["d"], &d); err != nil || d == "" {
		return nil, errors.New("the DPoP key has no private member d")
	}
	delete(members, "d")
	public, err := json.Marshal(members)
	if err != nil {
		return nil, err
	}
	pub, err := did.ParseJWK(public)
	if err != nil {
		return nil, fmt.Errorf("the DPoP key: %w", err)
	}
	raw, err := base64.RawURLEncoding.DecodeString(d)
	if err != nil {
		return nil, errors.New("the DPoP key's d is not base64url")
	}
	key, err := ecdsa.ParseRawPrivateKey(elliptic.P256(), raw)
	if err != nil {
		return nil, fmt.Errorf("the DPoP key is not a P-256 private key: %w", err)
	}
	if !key.PublicKey.Equal(pub) {
		return nil, errors.New("the DPoP key's d does not belong to its x and y")
	}
	return key, nil
}

// writeKeyFile writes a private JWK readable by the owner only, also over an existing file.
func writeKeyFile(path string, jwk []byte) error {
	f, err := os.OpenFile(path, os.O_WRONLY|os.O_CREATE|os.O_TRUNC, 0o600)
	if err != nil {
		return err
	}
	if err := f.Chmod(0o600); err != nil {
		_ = f.Close()
		return err
	}
	if _, err := f.Write(append(bytes.Clone(jwk), '\n')); err != nil {
		_ = f.Close()
		return err
	}
	return f.Close()
}

// readKeyFile reads a DPoP key written by writeKeyFile (or the dpop_key of --json output).
func readKeyFile(path string) (*ecdsa.PrivateKey, error) {
	data, err := os.ReadFile(path)
	if err != nil {
		return nil, err
	}
	return parsePrivateJWK(data)
}
