package wallet

import (
	"context"
	"slices"
)

// Present answers an OpenID4VP link from the stored credentials: it resolves and verifies the
// request, plans what to disclose, asks consent (nil consent counts as no), and sends the
// presentation. When the holder declines, the verifier is told access_denied (§8.5), no
// credential is sent, and ErrConsentRefused is returned.
func (w *Wallet) Present(ctx context.Context, link string, opts PresentOptions, consent func(Request, Plan) bool) (PresentResult, error) {
	st, err := w.Store.Load()
	if err != nil {
		return PresentResult{}, err
	}
	req, err := w.Client.ResolveRequest(ctx, link, opts)
	if err != nil {
		return PresentResult{}, err
	}
	plan, err := w.Client.PlanPresentation(req, st.Credentials)
	if err != nil {
		return PresentResult{}, err
	}
	if consent == nil || !consent(req, plan) {
		// Best effort: the refusal stands whether or not the verifier hears of it.
		_ = w.Client.Decline(ctx, req)
		return PresentResult{}, ErrConsentRefused
	}
	return w.Client.Present(ctx, req, plan, keyLookup(st.Keys))
}

// keyLookup finds a holder key by id.
func keyLookup(keys []Key) func(string) (Key, error) {
	return func(id string) (Key, error) {
		k := slices.IndexFunc(keys, func(k Key) bool { return k.ID == id })
		if k < 0 {
			return Key{}, ErrUnknownKey
		}
		return keys[k], nil
	}
}
