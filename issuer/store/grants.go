package store

import (
	"context"
	"crypto/subtle"
	"errors"
	"time"

	"gorm.io/gorm"

	"github.com/sociaaldomein/bewijs/internal/dbutil"
	"github.com/sociaaldomein/bewijs/issuer"
)

type codeRow struct {
	CodeHash       string `gorm:"primaryKey"`
	Kind           string
	TenantID       string
	BeschikkingID  string
	TxCodeHash     *string
	TxFailures     int
	CodeChallenge  *string
	RedirectURI    *string `gorm:"column:redirect_uri"`
	ClientID       *string
	DPoPJKT        *string `gorm:"column:dpop_jkt"`
	ExpiresAt      time.Time
	UsedAt         *time.Time
	BeschikkingIDs *string `gorm:"column:beschikking_ids"`
}

func (codeRow) TableName() string { return "oid4vci_codes" }

func toCodeRow(c issuer.Code) *codeRow {
	return &codeRow{CodeHash: c.Hash, Kind: c.Kind, TenantID: c.TenantID, BeschikkingID: c.BeschikkingID, TxCodeHash: dbutil.Opt(c.TxCodeHash),
		CodeChallenge: dbutil.Opt(c.CodeChallenge), RedirectURI: dbutil.Opt(c.RedirectURI), ClientID: dbutil.Opt(c.ClientID), DPoPJKT: dbutil.Opt(c.DPoPJKT),
		ExpiresAt: c.ExpiresAt.UTC(), BeschikkingIDs: joinIDs(c.BeschikkingIDs)}
}

func (r codeRow) toCode() issuer.Code {
	return issuer.Code{Hash: r.CodeHash, Kind: r.Kind, TenantID: r.TenantID, BeschikkingID: r.BeschikkingID, TxCodeHash: dbutil.Deref(r.TxCodeHash),
		CodeChallenge: dbutil.Deref(r.CodeChallenge), RedirectURI: dbutil.Deref(r.RedirectURI), ClientID: dbutil.Deref(r.ClientID), DPoPJKT: dbutil.Deref(r.DPoPJKT),
		ExpiresAt: r.ExpiresAt.UTC(), BeschikkingIDs: splitIDs(r.BeschikkingIDs)}
}

// SaveCode stores a code.
func (s *Store) SaveCode(ctx context.Context, c issuer.Code) error {
	return mapErr("save code", s.db.WithContext(ctx).Create(toCodeRow(c)).Error)
}

// RedeemPreAuthorizedCode uses a pre-authorized code once. A wrong tx_code is counted with an
// atomic increment; the code dies at maxFailures.
func (s *Store) RedeemPreAuthorizedCode(ctx context.Context, tenantID, codeHash, txCodeHash string, maxFailures int, now time.Time) (issuer.Code, error) {
	var r codeRow
	db := s.db.WithContext(ctx)
	if err := db.Where("code_hash = ? AND tenant_id = ? AND kind = ?", codeHash, tenantID, "pre-authorized").Take(&r).Error; err != nil {
		return issuer.Code{}, mapErr("find code", err)
	}
	switch {
	case r.UsedAt != nil:
		return issuer.Code{}, issuer.ErrReplay
	case now.After(r.ExpiresAt):
		return issuer.Code{}, issuer.ErrExpired
	case r.TxFailures >= maxFailures:
		return issuer.Code{}, issuer.ErrCodeDead
	case r.TxCodeHash != nil && txCodeHash == "":
		return issuer.Code{}, issuer.ErrTxCodeRequired
	case r.TxCodeHash == nil && txCodeHash != "":
		return issuer.Code{}, issuer.ErrTxCodeUnexpected
	case r.TxCodeHash != nil && subtle.ConstantTimeCompare([]byte(*r.TxCodeHash), []byte(txCodeHash)) != 1:
		res := db.Model(&codeRow{}).Where("code_hash = ? AND used_at IS NULL", codeHash).
			Update("tx_failures", gorm.Expr("tx_failures + 1"))
		if res.Error != nil {
			return issuer.Code{}, mapErr("count tx_code failure", res.Error)
		}
		if r.TxFailures+1 >= maxFailures {
			return issuer.Code{}, issuer.ErrCodeDead
		}
		return issuer.Code{}, issuer.ErrTxCode
	}
	return s.markUsed(ctx, r, maxFailures, now)
}

// markUsed sets used_at only if nobody else did (and the code is still alive): single use
// under concurrency on both engines.
func (s *Store) markUsed(ctx context.Context, r codeRow, maxFailures int, now time.Time) (issuer.Code, error) {
	res := s.db.WithContext(ctx).Model(&codeRow{}).
		Where("code_hash = ? AND used_at IS NULL AND tx_failures < ?", r.CodeHash, maxFailures).
		Update("used_at", now.UTC())
	if res.Error != nil {
		return issuer.Code{}, mapErr("use code", res.Error)
	}
	if res.RowsAffected != 1 {
		return issuer.Code{}, issuer.ErrReplay
	}
	return r.toCode(), nil
}

// RedeemAuthorizationCode uses an authorization code once.
func (s *Store) RedeemAuthorizationCode(ctx context.Context, tenantID, codeHash string, now time.Time) (issuer.Code, error) {
	var r codeRow
	if err := s.db.WithContext(ctx).Where("code_hash = ? AND tenant_id = ? AND kind = ?", codeHash, tenantID, "authorization").Take(&r).Error; err != nil {
		return issuer.Code{}, mapErr("find code", err)
	}
	if r.UsedAt != nil {
		return issuer.Code{}, issuer.ErrReplay
	}
	if now.After(r.ExpiresAt) {
		return issuer.Code{}, issuer.ErrExpired
	}
	return s.markUsed(ctx, r, 1<<30, now)
}

// RedeemLoginCode uses a pilot login code once.
func (s *Store) RedeemLoginCode(ctx context.Context, tenantID, codeHash string, now time.Time) (issuer.Code, error) {
	var r codeRow
	if err := s.db.WithContext(ctx).Where("code_hash = ? AND tenant_id = ? AND kind = ?", codeHash, tenantID, "login").Take(&r).Error; err != nil {
		return issuer.Code{}, mapErr("find login code", err)
	}
	if r.UsedAt != nil {
		return issuer.Code{}, issuer.ErrReplay
	}
	if now.After(r.ExpiresAt) {
		return issuer.Code{}, issuer.ErrExpired
	}
	return s.markUsed(ctx, r, 1<<30, now)
}

type tokenRow struct {
	TokenHash      string `gorm:"primaryKey"`
	TenantID       string
	BeschikkingID  string
	DPoPJKT        *string `gorm:"column:dpop_jkt"`
	ExpiresAt      time.Time
	BeschikkingIDs *string `gorm:"column:beschikking_ids"`
}

func (tokenRow) TableName() string { return "oid4vci_access_tokens" }

// SaveAccessToken stores an access token hash.
func (s *Store) SaveAccessToken(ctx context.Context, t issuer.AccessToken) error {
	return mapErr("save token", s.db.WithContext(ctx).Create(&tokenRow{TokenHash: t.Hash, TenantID: t.TenantID,
		BeschikkingID: t.BeschikkingID, DPoPJKT: dbutil.Opt(t.DPoPJKT), ExpiresAt: t.ExpiresAt.UTC(), BeschikkingIDs: joinIDs(t.BeschikkingIDs)}).Error)
}

// AccessToken loads an unexpired access token.
func (s *Store) AccessToken(ctx context.Context, tenantID, hash string, now time.Time) (issuer.AccessToken, error) {
	var r tokenRow
	if err := s.db.WithContext(ctx).Where("token_hash = ? AND tenant_id = ?", hash, tenantID).Take(&r).Error; err != nil {
		return issuer.AccessToken{}, mapErr("find token", err)
	}
	if now.After(r.ExpiresAt) {
		return issuer.AccessToken{}, issuer.ErrExpired
	}
	return issuer.AccessToken{Hash: r.TokenHash, TenantID: r.TenantID, BeschikkingID: r.BeschikkingID, DPoPJKT: dbutil.Deref(r.DPoPJKT), ExpiresAt: r.ExpiresAt,
		BeschikkingIDs: splitIDs(r.BeschikkingIDs)}, nil
}

type replayRow struct {
	Key       string `gorm:"primaryKey"`
	ExpiresAt time.Time
}

func (replayRow) TableName() string { return "replay_guard" }

// Remember stores a key; one seen before gives ErrReplay. Sweep removes expired keys.
func (s *Store) Remember(ctx context.Context, key string, expires time.Time) error {
	err := s.db.WithContext(ctx).Create(&replayRow{Key: key, ExpiresAt: expires.UTC()}).Error
	if errors.Is(err, gorm.ErrDuplicatedKey) {
		return issuer.ErrReplay
	}
	return mapErr("remember", err)
}
