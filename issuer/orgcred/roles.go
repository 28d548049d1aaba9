package orgcred

import (
	"context"
	"encoding/base64"
	"encoding/json"
	"strings"
	"time"
)

// RolesOf gives the trust policy the roles issued on this instance to an organisation (the
// input.roles of trust.rego): issuer, subject, role, status and validity. The credentials
// come from this instance's own database, so their payload is read without a signature
// check; their status is the database's.
func (s *Service) RolesOf(ctx context.Context, subjectDID string) ([]map[string]any, error) {
	recs, err := s.store.RolesOf(ctx, subjectDID)
	if err != nil {
		return nil, err
	}
	out := make([]map[string]any, 0, len(recs))
	for _, r := range recs {
		iss, role, ok := roleOf(r.Credential)
		if !ok {
			continue
		}
		in := map[string]any{"issuer": iss, "subject": r.SubjectDID, "role": role, "status": "valid",
			"valid_from": r.ValidFrom.UTC().Format(time.RFC3339)}
		if r.RevokedAt != nil {
			in["status"] = "revoked"
		}
		if r.ValidUntil != nil {
			in["valid_until"] = r.ValidUntil.UTC().Format(time.RFC3339)
		}
		out = append(out, in)
	}
	return out, nil
}

// roleOf reads iss and credentialSubject.role from a JWT VC payload.
func roleOf(jwt string) (iss, role string, ok bool) {
	parts := strings.Split(jwt, ".")
	if len(parts) != 3 {
		return "", "", false
	}
	b, err := base64.RawURLEncoding.DecodeString(parts[1])
	if err != nil {
		return "", "", false
	}
	var c struct {
		Iss string `json:"iss"`
		VC  struct {
			CredentialSubject struct {
				Role string `json:"role"`
			} `json:"credentialSubject"`
		} `json:"vc"`
	}
	if json.Unmarshal(b, &c) != nil || c.Iss == "" || c.VC.CredentialSubject.Role == "" {
		return "", "", false
	}
	return c.Iss, c.VC.CredentialSubject.Role, true
}
