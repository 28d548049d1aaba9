package store

import "time"

// listRow maps status_lists.
type listRow struct {
	ID        string
	TenantID  string
	Seq       int64
	Bits      int
	Size      int
	CreatedAt time.Time
}

func (listRow) TableName() string { return "status_lists" }

// entryRow maps status_list_entries.
type entryRow struct {
	ListID       string
	Idx          int
	Status       int
	CredentialID string
	CreatedAt    time.Time
	UpdatedAt    time.Time
}

func (entryRow) TableName() string { return "status_list_entries" }
