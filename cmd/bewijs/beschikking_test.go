package main

import (
	"testing"
	"time"

	"github.com/sociaaldomein/bewijs/issuer"
)

func TestDeliveryLine(t *testing.T) {
	at := time.Date(2026, 11, 29, 10, 0, 0, 0, time.UTC)
	local := at.Local().Format("2006-01-02 15:04:05 MST")
	const aanbieder = "did:web:aanbieder.example"
	for _, tt := range []struct {
		d    issuer.DeliveryView
		want string
	}{
		{issuer.DeliveryView{Aanbieder: aanbieder, State: "delivered", Attempts: 1, DeliveredAt: &at},
			"zorgtoewijzing offer to " + aanbieder + ": delivered " + local},
		{issuer.DeliveryView{Aanbieder: aanbieder, State: "delivering", Attempts: 2, NextAttempt: &at, LastError: "HTTP 503"},
			"zorgtoewijzing offer to " + aanbieder + ": delivering, attempt 2 failed (HTTP 503), next attempt " + local},
		{issuer.DeliveryView{Aanbieder: aanbieder, State: "abandoned", Attempts: 9, LastError: "HTTP 503"},
			"zorgtoewijzing offer to " + aanbieder + ": abandoned after 9 attempts (HTTP 503): the offer expires first"},
	} {
		if got := deliveryLine(tt.d); got != tt.want {
			t.Errorf("deliveryLine(%s) =\n %q, want\n %q", tt.d.State, got, tt.want)
		}
	}
}
