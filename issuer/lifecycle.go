package issuer

import (
	"context"
	"errors"
	"strings"
	"unicode/utf8"

	"github.com/sociaaldomein/bewijs/internal/audit"
	"github.com/sociaaldomein/bewijs/internal/statuslist"
	"github.com/sociaaldomein/bewijs/internal/tenant"
)

// StatusChange is a revocation, suspension or reinstatement.
type StatusChange string

// The changes a gemeente can make.
const (
	Revoke    StatusChange = "revoke"
	Suspend   StatusChange = "suspend"
	Reinstate StatusChange = "reinstate"
)

// transitions: which states each change starts from, where it ends, and the status list value
// of every credential issued for the beschikking afterwards.
var transitions = map[StatusChange]struct {
	from   []State
	to     State
	status statuslist.Status
}{
	Revoke:    {from: []State{Offered, Issued, Suspended}, to: Revoked, status: statuslist.Invalid},
	Suspend:   {from: []State{Issued}, to: Suspended, status: statuslist.Suspended},
	Reinstate: {from: []State{Suspended}, to: Issued, status: statuslist.Valid},
}

// ErrReasonRequired is returned when a status change has no reason.
var ErrReasonRequired = errors.New("a reason is required (1-500 characters)")

// ChangeStatus revokes, suspends or reinstates a beschikking and every credential issued for
// it. Revoking an offered beschikking kills its offer: the code and offer stop working.
func (i *Issuer) ChangeStatus(ctx context.Context, actor tenant.Principal, slug, id string, change StatusChange, reason string) (View, error) {
	tr, ok := transitions[change]
	if !ok {
		return View{}, ErrConflict
	}
	reason = strings.TrimSpace(reason)
	if reason == "" || utf8.RuneCountInString(reason) > 500 {
		return View{}, ErrReasonRequired
	}
	tenantID, resolved, err := i.scope(ctx, actor, slug, id)
	if err != nil {
		return View{}, err
	}
	err = i.store.SetState(ctx, tenantID, id, tr.from, tr.to, reason, i.now().UTC(), tr.status)
	e := audit.Event{Action: "beschikking." + string(change), Outcome: audit.Success, Actor: actor.Actor(), TenantID: tenantID, Subject: id, Reason: reason}
	if err != nil {
		e.Outcome, e.Reason = audit.Denied, err.Error()
		i.record(ctx, e)
		return View{}, err
	}
	i.record(ctx, e)
	// Revoking the beschikking revokes the aanbieder's zorgtoewijzingen with it.
	if tr.to == Revoked && i.zorg != nil {
		if err := i.zorg.RevokeBeschikking(ctx, tenantID, id, reason); err != nil {
			return View{}, err
		}
		i.revokeAanbiederOffer(ctx, tenantID, id, reason)
	}
	b, creds, err := i.store.Beschikking(ctx, tenantID, id)
	if err != nil {
		return View{}, err
	}
	return i.view(resolved, b, creds, ""), nil
}
