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

// TimeProblem is what CheckTimes found wrong with a JWT's time claims.
type TimeProblem int

const (
	TimesValid      TimeProblem = iota
	TimeMalformed               // the claim is not a NumericDate
	TimeExpired                 // exp has passed
	TimeNotYetValid             // nbf lies ahead
	TimeIssuedAhead             // iat lies ahead
)

// CheckTimes applies exp, nbf and iat, where present, at now with skew allowed either way:
// RFC 7519 §4.1.4 "the current date/time MUST be before the expiration date/time", §4.1.5
// "after or equal to the not-before date/time", and an iat in the future by more than skew
// is refused (§4.1.6). It returns the first problem, the claim and its time; each caller
// turns that into its own error.
func CheckTimes(claims map[string]any, now time.Time, skew time.Duration) (p TimeProblem, claim string, at time.Time) {
	for _, claim := range [...]string{"exp", "nbf", "iat"} {
		t, ok, err := NumericDate(claims, claim)
		switch {
		case err != nil:
			return TimeMalformed, claim, time.Time{}
		case !ok:
		case claim == "exp" && !now.Before(t.Add(skew)):
			return TimeExpired, claim, t
		case claim == "nbf" && now.Add(skew).Before(t):
			return TimeNotYetValid, claim, t
		case claim == "iat" && now.Add(skew).Before(t):
			return TimeIssuedAhead, claim, t
		}
	}
	return TimesValid, "", time.Time{}
}
