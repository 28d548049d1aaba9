// Package keys hides where private keys live. The server asks a Backend to generate a key and
// gets back an opaque reference to store; to sign it asks the Backend for a crypto.Signer by that
// reference. The Local backend keeps the private key inside the reference itself, sealed with
// AES-256-GCM under a master key; an HSM or Vault backend would keep a key label there instead.
package keys

import (
	"bufio"
	"bytes"
	"crypto/aes"
	"crypto/cipher"
	"crypto/hmac"
	"crypto/rand"
	"crypto/sha256"
	"encoding/base64"
	"errors"
	"fmt"
	"os"
	"regexp"
	"strings"
	"time"
)

// MasterKeys holds the AES-256 master keys by id. The first key in the file seals new data;
// the others only open what they sealed before, so a master key can be rotated.
type MasterKeys struct {
	active string
	aeads  map[string]cipher.AEAD
	raw    map[string][]byte
}

var masterKeyID = regexp.MustCompile(`^[A-Za-z0-9_-]{1,64}$`)

// ParseMasterKeys reads the master key file format: one key per line, "ID BASE64KEY", where
// the key is 32 random bytes; '#' starts a comment. The first key is the active one.
func ParseMasterKeys(data []byte) (*MasterKeys, error) {
	m := &MasterKeys{aeads: map[string]cipher.AEAD{}, raw: map[string][]byte{}}
	sc := bufio.NewScanner(bytes.NewReader(data))
	for n := 1; sc.Scan(); n++ {
		line := strings.TrimSpace(sc.Text())
		if line == "" || strings.HasPrefix(line, "#") {
			continue
		}
		if err := m.add(line); err != nil {
			return nil, fmt.Errorf("master key file line %d: %w", n, err)
		}
	}
	if m.active == "" {
		return nil, errors.New("master key file holds no key")
	}
	return m, nil
}

func (m *MasterKeys) add(line string) error {
	fields := strings.Fields(line)
	if len(fields) != 2 || !masterKeyID.MatchString(fields[0]) {
		return errors.New(`want "ID BASE64KEY"`)
	}
	raw, err := base64.StdEncoding.DecodeString(fields[1])
	if err != nil || len(raw) != 32 {
		return errors.New("key must be 32 bytes, base64")
	}
	if _, dup := m.aeads[fields[0]]; dup {
		return fmt.Errorf("key id %q appears twice", fields[0])
	}
	block, err := aes.NewCipher(raw)
	if err != nil {
		return err
	}
	aead, err := cipher.NewGCM(block)
	if err != nil {
		return err
	}
	m.aeads[fields[0]] = aead
	m.raw[fields[0]] = raw
	if m.active == "" {
		m.active = fields[0]
	}
	return nil
}

// LoadMasterKeys reads a master key file. It refuses a file that others may read.
func LoadMasterKeys(path string) (*MasterKeys, error) {
	info, err := os.Stat(path)
	if err != nil {
		return nil, fmt.Errorf("master key file: %w", err)
	}
	if info.Mode().Perm()&0o077 != 0 {
		return nil, fmt.Errorf("master key file %s is readable by others (mode %o); chmod 600 it", path, info.Mode().Perm())
	}
	data, err := os.ReadFile(path)
	if err != nil {
		return nil, fmt.Errorf("master key file: %w", err)
	}
	return ParseMasterKeys(data)
}

// GenerateMasterKeyFile writes a new master key file with mode 0600. It never overwrites.
func GenerateMasterKeyFile(path string, now time.Time) error {
	raw := make([]byte, 32)
	if _, err := rand.Read(raw); err != nil {
		return err
	}
	id := "mk-" + now.UTC().Format("20060102T150405")
	content := fmt.Sprintf("# bewijs master key file: keep it secret, back it up, share it between replicas.\n"+
		"# Lines are \"ID BASE64KEY\"; the first key seals new keys, later ones only open old ones.\n%s %s\n",
		id, base64.StdEncoding.EncodeToString(raw))
	f, err := os.OpenFile(path, os.O_WRONLY|os.O_CREATE|os.O_EXCL, 0o600)
	if err != nil {
		return fmt.Errorf("master key file: %w", err)
	}
	if _, err := f.WriteString(content); err != nil {
		_ = f.Close()
		_ = os.Remove(path)
		return fmt.Errorf("master key file: %w", err)
	}
	return f.Close()
}

// ActiveID is the id of the key that seals new data.
func (m *MasterKeys) ActiveID() string { return m.active }

const sealPrefix = "v1"

// Seal encrypts plaintext under the active key, binding it to aad. The result is
// "v1.<master key id>.<base64url(nonce || ciphertext)>".
func (m *MasterKeys) Seal(plaintext, aad []byte) (string, error) {
	aead := m.aeads[m.active]
	nonce := make([]byte, aead.NonceSize())
	if _, err := rand.Read(nonce); err != nil {
		return "", err
	}
	ct := aead.Seal(nonce, nonce, plaintext, aad)
	return sealPrefix + "." + m.active + "." + base64.RawURLEncoding.EncodeToString(ct), nil
}

// ErrUnseal is returned when sealed data cannot be opened: wrong master key, tampering, or a
// reference that was moved to another key slot (aad mismatch).
var ErrUnseal = errors.New("sealed key cannot be opened with the configured master keys")

// Open decrypts what Seal produced.
func (m *MasterKeys) Open(sealed string, aad []byte) ([]byte, error) {
	parts := strings.Split(sealed, ".")
	if len(parts) != 3 || parts[0] != sealPrefix {
		return nil, ErrUnseal
	}
	aead, ok := m.aeads[parts[1]]
	if !ok {
		return nil, fmt.Errorf("%w: master key %q is not configured", ErrUnseal, parts[1])
	}
	ct, err := base64.RawURLEncoding.DecodeString(parts[2])
	if err != nil || len(ct) < aead.NonceSize() {
		return nil, ErrUnseal
	}
	pt, err := aead.Open(nil, ct[:aead.NonceSize()], ct[aead.NonceSize():], aad)
	if err != nil {
		return nil, ErrUnseal
	}
	return pt, nil
}

// Derive returns a 32-byte secret for one purpose, the same on every replica that shares the
// master key file: HMAC-SHA256 of the label under the active master key. A new active master
// key gives new secrets (what they protected, like nonces, must be short-lived).
func (m *MasterKeys) Derive(label string) []byte {
	mac := hmac.New(sha256.New, m.raw[m.active])
	mac.Write([]byte("bewijs/derive/v1/" + label))
	return mac.Sum(nil)
}
