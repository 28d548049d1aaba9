package wallet

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"time"

	"github.com/sociaaldomein/bewijs/internal/jose"
	"github.com/sociaaldomein/bewijs/internal/statuslist"
)

// maxStatusListBytes caps a decompressed status list (zip bomb guard).
const maxStatusListBytes = 1 << 20

// statusListClaims is a status list token's payload (Token Status List draft -20 §5.1).
type statusListClaims struct {
	Sub        string `json:"sub"`
	Iat        int64  `json:"iat"`
	Exp        int64  `json:"exp"`
	TTL        int64  `json:"ttl"`
	StatusList struct {
		Bits int    `json:"bits"`
		Lst  string `json:"lst"`
	} `json:"status_list"`
}

// Status fetches the credential's status list token, checks it (typ statuslist+jwt, signed by
// a key of the credential's issuer, sub equal to the URI, not expired) and returns the status
// of the credential's entry.
func (c *Client) Status(ctx context.Context, cred Credential) (statuslist.Status, error) {
	if cred.StatusURI == "" {
		return 0, errors.New("credential has no status list entry")
	}
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, cred.StatusURI, nil)
	if err != nil {
		return 0, err
	}
	req.Header.Set("Accept", statuslist.MediaType)
	res, err := c.httpClient().Do(req)
	if err != nil {
		return 0, err
	}
	defer res.Body.Close()
	if res.StatusCode != http.StatusOK {
		return 0, fmt.Errorf("status list %s: HTTP %d", cred.StatusURI, res.StatusCode)
	}
	token, err := readAll(res, 1<<20)
	if err != nil {
		return 0, err
	}
	claims, err := c.verifyStatusList(ctx, string(token), cred)
	if err != nil {
		return 0, err
	}
	list, err := statuslist.Decode(claims.StatusList.Lst, claims.StatusList.Bits, maxStatusListBytes)
	if err != nil {
		return 0, err
	}
	return list.Get(cred.StatusIndex)
}

func (c *Client) verifyStatusList(ctx context.Context, token string, cred Credential) (statusListClaims, error) {
	var claims statusListClaims
	hdr, err := jose.ParseHeader(token)
	if err != nil {
		return claims, err
	}
	// §5.1: typ MUST be statuslist+jwt.
	if hdr.Typ != statuslist.TokenType {
		return claims, fmt.Errorf("status list typ is %q", hdr.Typ)
	}
	issuerDID, key, err := c.issuerKey(ctx, hdr.Kid)
	if err != nil {
		return claims, err
	}
	if issuerDID != cred.Issuer {
		return claims, errors.New("status list is not signed by the credential's issuer")
	}
	payload, _, err := jose.Verify(token, key)
	if err != nil {
		return claims, err
	}
	if err := json.Unmarshal(payload, &claims); err != nil {
		return claims, err
	}
	// §8.3: the sub of the token MUST equal the uri the credential references.
	if claims.Sub != cred.StatusURI {
		return claims, fmt.Errorf("status list sub %q is not %q", claims.Sub, cred.StatusURI)
	}
	if claims.Exp != 0 && c.now().After(time.Unix(claims.Exp, 0)) {
		return claims, errors.New("status list token has expired")
	}
	return claims, nil
}

func readAll(res *http.Response, limit int64) ([]byte, error) {
	b, err := io.ReadAll(io.LimitReader(res.Body, limit+1))
	if err != nil {
		return nil, err
	}
	if int64(len(b)) > limit {
		return nil, errors.New("status list response too large")
	}
	return b, nil
}
