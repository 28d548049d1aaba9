package oauth_test

import (
	"encoding/json"
	"errors"
	"testing"

	"github.com/sociaaldomein/bewijs/internal/oauth"
)

func TestErrorWireShapeKeepsCauseOut(t *testing.T) {
	cause := errors.New("internal detail")
	e := oauth.NewError(400, "invalid_request", "the form does not parse", cause)
	b, err := json.Marshal(e)
	if err != nil {
		t.Fatal(err)
	}
	if string(b) != `{"error":"invalid_request","error_description":"the form does not parse"}` {
		t.Fatalf("wire form %s", b)
	}
	if !errors.Is(e, cause) || e.Error() != "invalid_request: the form does not parse: internal detail" {
		t.Fatalf("cause chain: %v", e)
	}
	if b, _ := json.Marshal(oauth.NewError(500, "server_error", "", nil)); string(b) != `{"error":"server_error"}` {
		t.Fatalf("without description: %s", b)
	}
}
