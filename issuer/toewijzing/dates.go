package toewijzing

import (
	"sync"
	"time"
	_ "time/tzdata" // Europe/Amsterdam must resolve in minimal containers without /usr/share/zoneinfo
)

const (
	dateLayout = "2006-01-02" // xs:date without time zone (RS032)
	timeLayout = "15:04:05"   // xs:time without time zone (RS034)
)

// amsterdam is the zone the 301's dates and times are meant in: they carry no zone
// (RS032, RS034) and are Dutch civil dates.
var amsterdam = sync.OnceValue(func() *time.Location {
	loc, err := time.LoadLocation("Europe/Amsterdam")
	if err != nil {
		panic("toewijzing: time/tzdata is linked in, yet Europe/Amsterdam did not load: " + err.Error())
	}
	return loc
})

// parseDate reads an ISO date (YYYY-MM-DD, no zone) as 00:00 of that day in Amsterdam.
func parseDate(s string) (time.Time, bool) {
	if len(s) != len(dateLayout) {
		return time.Time{}, false
	}
	t, err := time.ParseInLocation(dateLayout, s, amsterdam())
	return t, err == nil
}

// validTime reports whether s is hh:mm:ss without zone or fraction (RS034).
func validTime(s string) bool {
	if len(s) != len(timeLayout) {
		return false
	}
	_, err := time.Parse(timeLayout, s)
	return err == nil
}

// today is 00:00 of the current date in Amsterdam: the day that decides "already ended".
func today(now func() time.Time) time.Time {
	if now == nil {
		now = time.Now
	}
	y, m, d := now().In(amsterdam()).Date()
	return time.Date(y, m, d, 0, 0, 0, 0, amsterdam())
}

// Validity is the period a product's credential is valid: nbf is 00:00 Europe/Amsterdam on
// the ingangsdatum ("first day the product may be delivered"), exp is 00:00 Europe/Amsterdam
// on the day after the einddatum ("last day the product may be delivered", README §2), so
// the whole last day counts. Without einddatum hasEnd is false and exp is zero: the issuer
// then applies its configured maximum. Call it on a validated product; an unreadable date
// gives zero times.
func Validity(p Product) (nbf time.Time, exp time.Time, hasEnd bool) {
	nbf, _ = parseDate(p.Ingangsdatum)
	if p.Einddatum == "" {
		return nbf, time.Time{}, false
	}
	end, ok := parseDate(p.Einddatum)
	if !ok {
		return nbf, time.Time{}, false
	}
	// AddDate on the calendar date, not +24h: the day may have 23 or 25 hours (DST).
	return nbf, end.AddDate(0, 0, 1), true
}

// Ended reports whether no credential may be issued for p any more at now: it was
// verwijderd (RedenWijziging 13, "toewijzing counts as never sent", OP087/OP259) or its
// einddatum lies before today in Europe/Amsterdam.
func (p Product) Ended(now time.Time) bool {
	if p.RedenWijziging == redenVerwijderd {
		return true
	}
	end, ok := parseDate(p.Einddatum)
	return ok && end.Before(today(func() time.Time { return now }))
}

// ToegewezenOp is the moment the gemeente decided this version of the toewijzing
// (Toewijzingsdatum + Toewijzingstijd in Amsterdam). Of several versions with the same
// ToewijzingNummer the latest one leads (OP033x1). ok is false when either is unreadable.
func (p Product) ToegewezenOp() (time.Time, bool) {
	if !validTime(p.Toewijzingstijd) {
		return time.Time{}, false
	}
	t, err := time.ParseInLocation(dateLayout+"T"+timeLayout, p.Toewijzingsdatum+"T"+p.Toewijzingstijd, amsterdam())
	return t, err == nil && len(p.Toewijzingsdatum) == len(dateLayout)
}
