package resolver

import (
	"errors"
	"time"
)

const (
	defaultCacheTTL  = 5 * time.Minute
	defaultCacheSize = 1000
)

// Config configures Multi.
type Config struct {
	// CacheTTL is how long a successful resolution is reused. Zero disables caching.
	// Default 5m.
	CacheTTL time.Duration
	// CacheSize bounds the number of cached documents; the least recently used is evicted
	// first. Zero disables caching. Default 1000.
	CacheSize int
	// Now is the clock; nil means time.Now.
	Now func() time.Time
}

// DefaultConfig returns the production defaults.
func DefaultConfig() Config {
	return Config{CacheTTL: defaultCacheTTL, CacheSize: defaultCacheSize, Now: time.Now}
}

// Validate reports configuration errors.
func (c Config) Validate() error {
	var errs []error
	if c.CacheTTL < 0 {
		errs = append(errs, errors.New("did/resolver: CacheTTL must not be negative"))
	}
	if c.CacheSize < 0 {
		errs = append(errs, errors.New("did/resolver: CacheSize must not be negative"))
	}
	return errors.Join(errs...)
}
