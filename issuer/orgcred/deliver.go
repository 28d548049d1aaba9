package orgcred

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"strings"
	"time"

	"github.com/sociaaldomein/bewijs/did"
	"github.com/sociaaldomein/bewijs/internal/audit"
	"github.com/sociaaldomein/bewijs/internal/safehttp"
)

// deliverTimeout bounds one delivery of an offer.
const deliverTimeout = 10 * time.Second

// ErrNoOfferEndpoint is an aanbieder DID whose document names no credential offer endpoint.
var ErrNoOfferEndpoint = errors.New("orgcred: the DID document names no credential offer endpoint")

// DeliverOffer sends a credential offer of tenant tenantID by reference to the credential
// offer endpoint that holderDID's document names (OpenID4VCI 1.0 §4.1: "GET
// ...?credential_offer_uri=..."), and audits the attempt. The endpoint is dialled only on a
// public address (or on localhost with InsecureLocalhost).
func (s *Service) DeliverOffer(ctx context.Context, tenantID, holderDID, credentialOfferURI string) error {
	endpoint, err := s.offerEndpoint(ctx, holderDID)
	if err == nil {
		err = s.get(ctx, endpoint+sep(endpoint)+url.Values{"credential_offer_uri": {credentialOfferURI}}.Encode())
	}
	e := audit.Event{Action: "zorgtoewijzing.deliver", Outcome: audit.Success, Actor: "gemeente", TenantID: tenantID, Subject: holderDID}
	if err != nil {
		e.Outcome, e.Reason = audit.Failure, err.Error()
	}
	_ = s.audit.Record(ctx, e)
	return err
}

func (s *Service) offerEndpoint(ctx context.Context, holderDID string) (string, error) {
	if s.resolver == nil {
		return "", errors.New("orgcred: no DID resolver to find the aanbieder's offer endpoint")
	}
	doc, err := s.resolver.Resolve(ctx, holderDID)
	if err != nil {
		return "", err
	}
	endpoint, ok := doc.ServiceEndpoint(did.ServiceTypeCredentialOffer)
	if !ok {
		return "", ErrNoOfferEndpoint
	}
	return endpoint, nil
}

func (s *Service) get(ctx context.Context, target string) error {
	u, err := url.Parse(target)
	if err != nil {
		return err
	}
	client := safehttp.Client(deliverTimeout)
	switch {
	case s.insecureLocalhost && safehttp.IsLocalhost(u.Hostname()):
		client = safehttp.LocalClient(deliverTimeout)
	case u.Scheme != "https":
		return fmt.Errorf("orgcred: the offer endpoint %s is not https", u.Host)
	}
	ctx, cancel := context.WithTimeout(ctx, deliverTimeout)
	defer cancel()
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, target, nil)
	if err != nil {
		return err
	}
	res, err := client.Do(req)
	if err != nil {
		return err
	}
	defer res.Body.Close()
	_, _ = io.Copy(io.Discard, io.LimitReader(res.Body, 64<<10))
	if res.StatusCode < 200 || res.StatusCode > 299 {
		return fmt.Errorf("orgcred: the offer endpoint answered HTTP %d", res.StatusCode)
	}
	return nil
}

func sep(endpoint string) string {
	if strings.Contains(endpoint, "?") {
		return "&"
	}
	return "?"
}
