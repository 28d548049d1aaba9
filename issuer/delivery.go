package issuer

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/sociaaldomein/bewijs/internal/audit"
	"github.com/sociaaldomein/bewijs/internal/tenant"
)

// Delivery of offers to a holder's credential offer endpoint (a zorgtoewijzing for an
// aanbieder on another instance). The first attempt is made when the offer is created; one
// that fails stays due, and DeliverDue tries it again with growing pauses, on whichever
// replica claims it first, until it is delivered or its offer expires. So an aanbieder whose
// endpoint was down for an hour still gets the zorgtoewijzing, without the gemeente doing
// anything; every attempt is audited.
const (
	// deliveryLease holds a claimed delivery back from other replicas while one attempt
	// runs (an attempt takes at most 10 s).
	deliveryLease = time.Minute
	// deliveryRetryFirst is the pause after the first failure; it doubles with each further
	// failure up to deliveryRetryMax.
	deliveryRetryFirst = 30 * time.Second
	deliveryRetryMax   = time.Hour
	// deliveryBatch bounds the deliveries one DeliverDue call attempts.
	deliveryBatch = 50
)

// retryDelay is the pause after the failed attempt number n (1 for the first).
func retryDelay(n int) time.Duration {
	d := deliveryRetryFirst
	for k := 1; k < n && d < deliveryRetryMax; k++ {
		d *= 2
	}
	return min(d, deliveryRetryMax)
}

// DeliverDue attempts the deliveries that are due and returns how many succeeded. Run it
// periodically (serve does, every 30 s).
func (i *Issuer) DeliverDue(ctx context.Context) (int, error) {
	if i.zorg == nil {
		return 0, nil
	}
	due, err := i.store.DueDeliveries(ctx, i.now(), deliveryBatch)
	if err != nil {
		return 0, err
	}
	delivered := 0
	var failed error
	for _, d := range due {
		switch err := i.deliver(ctx, d); {
		case err == nil:
			delivered++
		case errors.Is(err, ErrConflict):
			// Another replica claimed it.
		case ctx.Err() != nil:
			return delivered, ctx.Err()
		default:
			failed = err
		}
	}
	if failed != nil {
		return delivered, fmt.Errorf("issuer: %d of %d due offers delivered; last failure: %w", delivered, len(due), failed)
	}
	return delivered, nil
}

// deliver makes one attempt at d: claim it, send the offer, record the outcome and, after a
// failure, when to try next (never, once the offer expires first).
func (i *Issuer) deliver(ctx context.Context, d Delivery) error {
	if err := i.store.ClaimDelivery(ctx, d, i.now().Add(deliveryLease)); err != nil {
		return err
	}
	sendErr := i.zorg.DeliverOffer(ctx, d.TenantID, d.HolderDID, i.OfferURI(d.Slug, d.OfferID))
	at := i.now()
	if sendErr == nil {
		return i.store.FinishDelivery(context.WithoutCancel(ctx), d.OfferID, at, "", nil)
	}
	var next *time.Time
	if t := at.Add(retryDelay(d.Attempts + 1)); t.Before(d.ExpiresAt) {
		next = &t
	} else {
		i.record(ctx, audit.Event{Action: "zorgtoewijzing.deliver", Outcome: audit.Failure, Actor: "gemeente", TenantID: d.TenantID,
			Subject: d.HolderDID, Reason: "no further attempt: the offer expires first",
			Details: map[string]string{"offer": d.OfferID, "attempts": fmt.Sprint(d.Attempts + 1)}})
	}
	if err := i.store.FinishDelivery(context.WithoutCancel(ctx), d.OfferID, at, sendErr.Error(), next); err != nil {
		return errors.Join(sendErr, err)
	}
	return sendErr
}

// RedeliverZorgtoewijzing sends the zorgtoewijzing offer of beschikking id to its aanbieder
// again now, whatever the pause would have been: for a gemeente told that the aanbieder's
// endpoint is back. ErrNotFound when the beschikking has no offer to an aanbieder on another
// instance; ErrConflict when it was delivered or the offer expired. A failed attempt is not
// an error: the view says how the delivery stands, and retries go on.
func (i *Issuer) RedeliverZorgtoewijzing(ctx context.Context, actor tenant.Principal, slug, id string) (View, error) {
	tenantID, _, err := i.scope(ctx, actor, slug, id)
	if err != nil {
		return View{}, err
	}
	if i.zorg == nil {
		return View{}, ErrNotFound
	}
	d, err := i.store.ResumeDelivery(ctx, tenantID, aanbiederOfferID(id), i.now())
	if err != nil {
		return View{}, err
	}
	if err := i.deliver(ctx, d); err != nil && !errors.Is(err, ErrConflict) && ctx.Err() != nil {
		return View{}, err
	}
	return i.Beschikking(ctx, actor, slug, id)
}
