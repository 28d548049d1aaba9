// Package dbutil holds the small helpers the gorm stores share to map optional columns.
package dbutil

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
