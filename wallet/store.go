package wallet

import (
	"crypto/aes"
	"crypto/cipher"
	"crypto/ecdsa"
	"crypto/rand"
	"crypto/x509"
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"sync"
)

// Store is the wallet's encrypted local store: a folder with a 256-bit key file (mode 0600)
// and the state (keys and credentials) sealed with AES-256-GCM.
type Store struct {
	dir  string
	aead cipher.AEAD
	mu   sync.Mutex
}

// State is everything the wallet keeps.
type State struct {
	Version     int          `json:"version"`
	Keys        []Key        `json:"keys"`
	Credentials []Credential `json:"credentials"`
}

const (
	keyFile   = "wallet.key"
	stateFile = "wallet.state"
	stateAAD  = "bewijs/wallet/state/v1"
)

// ErrNoWallet is returned when a folder holds no wallet; run Init first.
var ErrNoWallet = errors.New("no wallet here (run `bewijs wallet init`)")

// Init creates a wallet in dir. It refuses a folder that already holds one.
func Init(dir string) (*Store, error) {
	if err := os.MkdirAll(dir, 0o700); err != nil {
		return nil, err
	}
	key := make([]byte, 32)
	if _, err := rand.Read(key); err != nil {
		return nil, err
	}
	f, err := os.OpenFile(filepath.Join(dir, keyFile), os.O_WRONLY|os.O_CREATE|os.O_EXCL, 0o600)
	if err != nil {
		return nil, fmt.Errorf("wallet: %w", err)
	}
	if _, err := f.Write(key); err != nil {
		_ = f.Close()
		return nil, err
	}
	if err := f.Close(); err != nil {
		return nil, err
	}
	s, err := newStore(dir, key)
	if err != nil {
		return nil, err
	}
	return s, s.Save(State{Version: 1})
}

// Open opens the wallet in dir.
func Open(dir string) (*Store, error) {
	key, err := os.ReadFile(filepath.Join(dir, keyFile))
	if errors.Is(err, fs.ErrNotExist) {
		return nil, ErrNoWallet
	}
	if err != nil {
		return nil, err
	}
	if len(key) != 32 {
		return nil, errors.New("wallet: key file is damaged")
	}
	return newStore(dir, key)
}

func newStore(dir string, key []byte) (*Store, error) {
	block, err := aes.NewCipher(key)
	if err != nil {
		return nil, err
	}
	aead, err := cipher.NewGCM(block)
	if err != nil {
		return nil, err
	}
	return &Store{dir: dir, aead: aead}, nil
}

// Load decrypts the state.
func (s *Store) Load() (State, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.load()
}

func (s *Store) load() (State, error) {
	sealed, err := os.ReadFile(filepath.Join(s.dir, stateFile))
	if err != nil {
		return State{}, fmt.Errorf("wallet: %w", err)
	}
	n := s.aead.NonceSize()
	if len(sealed) < n {
		return State{}, errors.New("wallet: state file is damaged")
	}
	plain, err := s.aead.Open(nil, sealed[:n], sealed[n:], []byte(stateAAD))
	if err != nil {
		return State{}, errors.New("wallet: state cannot be decrypted with this key")
	}
	var st State
	if err := json.Unmarshal(plain, &st); err != nil {
		return State{}, fmt.Errorf("wallet: state: %w", err)
	}
	for k := range st.Keys {
		priv, err := x509.ParsePKCS8PrivateKey(st.Keys[k].PKCS8)
		if err != nil {
			return State{}, fmt.Errorf("wallet: key %s: %w", st.Keys[k].ID, err)
		}
		ec, ok := priv.(*ecdsa.PrivateKey)
		if !ok {
			return State{}, fmt.Errorf("wallet: key %s is not ECDSA", st.Keys[k].ID)
		}
		st.Keys[k].Private = ec
	}
	return st, nil
}

// Save encrypts and writes the state atomically (temporary file, then rename).
func (s *Store) Save(st State) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.save(st)
}

func (s *Store) save(st State) error {
	plain, err := json.Marshal(st)
	if err != nil {
		return err
	}
	nonce := make([]byte, s.aead.NonceSize())
	if _, err := rand.Read(nonce); err != nil {
		return err
	}
	sealed := s.aead.Seal(nonce, nonce, plain, []byte(stateAAD))
	tmp, err := os.CreateTemp(s.dir, stateFile+".*")
	if err != nil {
		return err
	}
	defer os.Remove(tmp.Name())
	if _, err := tmp.Write(sealed); err != nil {
		_ = tmp.Close()
		return err
	}
	if err := tmp.Chmod(0o600); err != nil {
		_ = tmp.Close()
		return err
	}
	if err := tmp.Close(); err != nil {
		return err
	}
	return os.Rename(tmp.Name(), filepath.Join(s.dir, stateFile))
}

// Update loads the state, lets fn change it and saves it, under one lock.
func (s *Store) Update(fn func(*State) error) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	st, err := s.load()
	if err != nil {
		return err
	}
	if err := fn(&st); err != nil {
		return err
	}
	return s.save(st)
}
