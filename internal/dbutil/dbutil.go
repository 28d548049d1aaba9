// Package dbutil holds the small helpers the gorm stores share: optional columns, and group
// commit of concurrent writes.
package dbutil

import "gorm.io/gorm"

// Opt maps "" to NULL.
func Opt(s string) *string {
	if s == "" {
		return nil
	}
	return &s
}

// Deref maps NULL to "".
func Deref(s *string) string {
	if s == nil {
		return ""
	}
	return *s
}

// RawScan is db.Raw(query, args...).Scan(dest) without what gorm's Scan adds to every call:
// it renders the statement with its arguments for the logger, by regular expression, even
// when nothing is logged. That costs more than the round trip on hot paths.
func RawScan(db *gorm.DB, dest any, query string, args ...any) error {
	rows, err := db.Raw(query, args...).Rows()
	if err != nil {
		return err
	}
	defer rows.Close()
	if rows.Next() {
		if err := db.ScanRows(rows, dest); err != nil {
			return err
		}
	}
	return rows.Err()
}
