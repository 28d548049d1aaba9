package web

import (
	"errors"
	"time"
)

// Limits on configuration values, to catch unit mistakes (seconds given as bytes...).
const (
	maxTimeout      = time.Minute
	maxBodyLimit    = 10 << 20
	defaultTimeout  = 5 * time.Second
	defaultBodySize = 64 << 10
)

// Config configures the did:web Resolver.
type Config struct {
	// Timeout bounds one resolution: connecting, TLS, headers and body. Default 5s.
	Timeout time.Duration
	// MaxBodyBytes bounds the size of a DID document. Default 64 KiB.
	MaxBodyBytes int64
	// InsecureLocalhost allows plain http and loopback connections for DIDs whose host is
	// exactly localhost or 127.0.0.1. For development and tests only; every other refused
	// address stays refused.
	InsecureLocalhost bool
}

// DefaultConfig returns the production defaults.
func DefaultConfig() Config {
	return Config{Timeout: defaultTimeout, MaxBodyBytes: defaultBodySize}
}

// Validate reports configuration errors.
func (c Config) Validate() error {
	var errs []error
	if c.Timeout <= 0 || c.Timeout > maxTimeout {
		errs = append(errs, errors.New("did/web: Timeout must be between 0 and 1m"))
	}
	if c.MaxBodyBytes <= 0 || c.MaxBodyBytes > maxBodyLimit {
		errs = append(errs, errors.New("did/web: MaxBodyBytes must be between 0 and 10 MiB"))
	}
	return errors.Join(errs...)
}
