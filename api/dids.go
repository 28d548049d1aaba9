package api

import (
	"errors"
	"net/http"

	"github.com/labstack/echo/v4"

	"github.com/sociaaldomein/bewijs/did"
)

// resolveDID resolves a DID the way bewijs does when it verifies (same methods, cache and
// network policy), so a pilot team can see whether a partner's DID works from here.
func (s *Server) resolveDID(c echo.Context) error {
	id := c.QueryParam("did")
	if id == "" {
		return &Problem{Type: problemBase + "invalid-input", Title: "Invalid input", Status: http.StatusBadRequest,
			Detail: "give the DID as query parameter did", InvalidParams: []InvalidParam{{Name: "did", Reason: "required"}}}
	}
	doc, err := s.deps.Resolver.Resolve(c.Request().Context(), id)
	if err != nil {
		return didProblem(err)
	}
	return c.JSON(http.StatusOK, doc)
}

// didProblem maps DID resolution failures: the caller's input (400, 404) or the remote
// side (502).
func didProblem(err error) error {
	var de *did.Error
	if !errors.As(err, &de) {
		return err
	}
	reason := de.Reason.String()
	switch de.Reason {
	case did.InvalidDID, did.UnsupportedMethod, did.RefusedTarget:
		return &Problem{Type: problemBase + "invalid-input", Title: "Invalid input", Status: http.StatusBadRequest,
			Detail: "the DID cannot be resolved: " + reason, InvalidParams: []InvalidParam{{Name: "did", Reason: reason}}}
	case did.NotFound:
		return problem(http.StatusNotFound, "not-found", "Not found", "the DID's host says the DID does not exist")
	}
	return problem(http.StatusBadGateway, "did-resolution-failed", "DID resolution failed", "the DID could not be resolved: "+reason)
}
