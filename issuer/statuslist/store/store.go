// Package store keeps Token Status Lists in the database (gorm over SQLite or PostgreSQL):
// which lists a tenant has, which indexes of them were handed out, and the status of each.
//
// Allocation is built to scale without a shared counter row: an index is drawn at random
// within the tenant's current list and inserted with ON CONFLICT DO NOTHING against the
// primary key (list_id, idx), drawing again on a collision. The current list is the tenant's
// list with the highest seq; the next one is opened by inserting seq + 1, which concurrent
// openers meet on a unique index. Random indexes also keep the issuance order and volume out
// of the list: draft-ietf-oauth-status-list-20 §12.5.1 "Status Issuers are RECOMMENDED to:
// choose non-sequential, pseudo-random or random indices" (and §12.4). List ids are random
// UUIDs; seq never leaves the database.
//
// The store expects READ COMMITTED (PostgreSQL's default) for the caller's transaction.
package store

import (
	"crypto/rand"
	"errors"
	"fmt"
	"io"
	"sync"
	"time"

	"gorm.io/gorm"

	"github.com/sociaaldomein/bewijs/internal/statuslist"
)

// ErrNotFound is returned for an unknown list, entry or tenant.
var ErrNotFound = errors.New("status list: not found")

// Config shapes new lists. Existing lists keep the bits and size they were opened with.
type Config struct {
	// ListSize is the number of entries of a new list. Large lists give herd privacy: an index
	// says nothing about when or to whom it was issued among ListSize others.
	ListSize int
	// Bits per entry of a new list: 1, 2, 4 or 8. SUSPENDED needs 2.
	Bits int
	// FillThreshold is the share of a list's entries after which the next list is opened.
	// Below 1, so random draws keep finding free indexes quickly.
	FillThreshold float64
	// Rand is the source of the random indexes; it must be safe to read from one goroutine at
	// a time (the store serialises reads).
	Rand io.Reader
	// Now is the clock for created_at and updated_at.
	Now func() time.Time
}

// DefaultConfig: 2^17 entries of 2 bits (32 KiB uncompressed), next list at 75%.
func DefaultConfig() Config {
	return Config{ListSize: 1 << 17, Bits: 2, FillThreshold: 0.75, Rand: rand.Reader, Now: time.Now}
}

// withDefaults fills the zero fields from DefaultConfig.
func (c Config) withDefaults() Config {
	d := DefaultConfig()
	if c.ListSize == 0 {
		c.ListSize = d.ListSize
	}
	if c.Bits == 0 {
		c.Bits = d.Bits
	}
	if c.FillThreshold == 0 {
		c.FillThreshold = d.FillThreshold
	}
	if c.Rand == nil {
		c.Rand = d.Rand
	}
	if c.Now == nil {
		c.Now = d.Now
	}
	return c
}

// Validate checks the configuration; zero fields count as their defaults.
func (c Config) Validate() error {
	c = c.withDefaults()
	if _, err := statuslist.New(c.Bits, c.ListSize); err != nil {
		return fmt.Errorf("status list store: %w", err)
	}
	// §13.4: "It is RECOMMENDED that the size of a Status List in bits is divisible in bytes
	// (8 bits) without a remainder".
	if c.ListSize*c.Bits%8 != 0 {
		return fmt.Errorf("status list store: list size %d × %d bits is not a whole number of bytes", c.ListSize, c.Bits)
	}
	if c.FillThreshold <= 0 || c.FillThreshold > 1 {
		return fmt.Errorf("status list store: fill threshold must be in (0, 1], got %v", c.FillThreshold)
	}
	return nil
}

// Store implements status list storage on a gorm database.
type Store struct {
	db     *gorm.DB
	cfg    Config
	randMu sync.Mutex
}

// New returns a store over db. Zero fields of cfg take their defaults. New panics on a
// configuration that Validate refuses: call Validate first to get an error instead.
func New(db *gorm.DB, cfg Config) *Store {
	if err := cfg.Validate(); err != nil {
		panic(err)
	}
	return &Store{db: db, cfg: cfg.withDefaults()}
}

// Entry is an allocated index of a list.
type Entry struct {
	ListID string
	Index  int
}

func (s *Store) now() time.Time { return s.cfg.Now().UTC() }
