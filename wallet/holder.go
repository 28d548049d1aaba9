package wallet

import (
	"context"
	"errors"
	"slices"
)

// Wallet is a Client with its encrypted store: what `bewijs wallet` uses.
type Wallet struct {
	Client *Client
	Store  *Store
}

// Receive redeems an offer and stores the credentials and their keys.
func (w *Wallet) Receive(ctx context.Context, offerLink string, opts ReceiveOptions) ([]Credential, error) {
	creds, keys, err := w.Client.Receive(ctx, offerLink, opts)
	if err != nil {
		return nil, err
	}
	return creds, w.keep(creds, keys)
}

// ReceiveWithAuthorization runs the authorization code flow and stores the result.
func (w *Wallet) ReceiveWithAuthorization(ctx context.Context, issuer string, opts AuthorizeOptions) ([]Credential, error) {
	creds, keys, err := w.Client.ReceiveWithAuthorization(ctx, issuer, opts)
	if err != nil {
		return nil, err
	}
	return creds, w.keep(creds, keys)
}

func (w *Wallet) keep(creds []Credential, keys []Key) error {
	return w.Store.Update(func(st *State) error {
		st.Keys = append(st.Keys, keys...)
		st.Credentials = append(st.Credentials, creds...)
		return nil
	})
}

// List returns the stored credentials.
func (w *Wallet) List() ([]Credential, error) {
	st, err := w.Store.Load()
	return st.Credentials, err
}

// ErrUnknownCredential is returned by Show for an id the wallet does not hold.
var ErrUnknownCredential = errors.New("no credential with that id in this wallet")

// Show returns one credential by id.
func (w *Wallet) Show(id string) (Credential, error) {
	st, err := w.Store.Load()
	if err != nil {
		return Credential{}, err
	}
	k := slices.IndexFunc(st.Credentials, func(c Credential) bool { return c.ID == id })
	if k < 0 {
		return Credential{}, ErrUnknownCredential
	}
	return st.Credentials[k], nil
}
