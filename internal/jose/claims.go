package jose

import (
	"errors"
	"math"
	"time"
)

// ErrNumericDate is returned for a claim that is not an RFC 7519 NumericDate.
var ErrNumericDate = errors.New("jose: not a NumericDate")

// NumericDate reads an RFC 7519 §2 NumericDate claim of a decoded JWT payload (numbers as
// float64) as a UTC time; ok is false when the claim is absent.
func NumericDate(claims map[string]any, name string) (t time.Time, ok bool, err error) {
	v, present := claims[name]
	if !present {
		return time.Time{}, false, nil
	}
	f, isNumber := v.(float64)
	// Beyond ±2^53 seconds a float64 is not an exact second, and time.Unix overflows.
	if !isNumber || math.IsNaN(f) || math.Abs(f) > 1<<53 {
		return time.Time{}, false, ErrNumericDate
	}
	sec, frac := math.Modf(f)
	return time.Unix(int64(sec), int64(frac*1e9)).UTC(), true, nil
}
