package policies

import (
	"errors"
	"time"
)

// Config says where the policies come from and how often they are reloaded.
type Config struct {
	// Dir holds *.rego files that replace the embedded default policies; "" uses the embedded
	// ones (which never change, so Run only waits).
	Dir string
	// ReloadInterval is how often Run reads the files of Dir to see whether they changed.
	ReloadInterval time.Duration
	// Now is the clock policies see (time.now_ns).
	Now func() time.Time
}

// DefaultConfig uses the embedded policies, polls every five seconds and reads the system clock.
func DefaultConfig() Config {
	return Config{ReloadInterval: 5 * time.Second, Now: time.Now}
}

// Validate checks the configuration without reading any file.
func (c Config) Validate() error {
	switch {
	case c.ReloadInterval <= 0:
		return errors.New("policies: reload interval must be positive")
	case c.Now == nil:
		return errors.New("policies: a clock (Now) is required")
	}
	return nil
}
