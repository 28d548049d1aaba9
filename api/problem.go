package api

import (
	"errors"
	"log/slog"
	"net/http"
	"strings"

	"github.com/labstack/echo/v4"

	"github.com/sociaaldomein/bewijs/internal/tenant"
	"github.com/sociaaldomein/bewijs/issuer"
	"github.com/sociaaldomein/bewijs/issuer/oid4vci"
	"github.com/sociaaldomein/bewijs/issuer/orgcred"
	slstore "github.com/sociaaldomein/bewijs/issuer/statuslist/store"
	"github.com/sociaaldomein/bewijs/issuer/toewijzing"
	"github.com/sociaaldomein/bewijs/verifier"
)

// Problem is an RFC 9457 problem details object.
type Problem struct {
	Type     string `json:"type"`
	Title    string `json:"title"`
	Status   int    `json:"status"`
	Detail   string `json:"detail"`
	Instance string `json:"instance,omitempty"`
	// InvalidParams names each invalid input field (the RFC 9457 §3 "invalid-params" extension).
	InvalidParams []InvalidParam `json:"invalid-params,omitempty"`
	// Reasons are a policy's reasons for a refusal (type policy-denied).
	Reasons []string `json:"reasons,omitempty"`
}

// InvalidParam is one invalid input field.
type InvalidParam struct {
	Name   string `json:"name"`
	Reason string `json:"reason"`
}

const problemBase = "https://bewijs.sociaaldomein.nl/problems/"

func problem(status int, kind, title, detail string) *Problem {
	return &Problem{Type: problemBase + kind, Title: title, Status: status, Detail: detail}
}

func (p *Problem) Error() string { return p.Title + ": " + p.Detail }

// toProblem maps any error to the problem the client sees. Unknown errors become a 500
// without detail; the cause is only logged.
func toProblem(err error) *Problem {
	var (
		p  *Problem
		v  *tenant.ValidationError
		tv *toewijzing.ValidationError
		he *echo.HTTPError
		vr *verifier.InvalidRequestError
		oi *orgcred.InvalidInputError
		oe *oid4vci.Error
		pd *verifier.PolicyDeniedError
	)
	switch {
	case errors.As(err, &p):
		return p
	case errors.As(err, &vr):
		out := problem(http.StatusBadRequest, "invalid-input", "Invalid input", vr.Error())
		for _, f := range vr.Fields {
			out.InvalidParams = append(out.InvalidParams, InvalidParam{Name: f.Field, Reason: f.Reason})
		}
		return out
	case errors.As(err, &oe) && oe.Status >= 400 && oe.Status < 500:
		// An OAuth error on an admin route (the declaratie endpoint's token and DPoP checks).
		return problem(oe.Status, strings.ReplaceAll(oe.Code, "_", "-"), oe.Code, oe.Description)
	case errors.As(err, &oi):
		out := problem(http.StatusBadRequest, "invalid-input", "Invalid input", oi.Error())
		out.InvalidParams = []InvalidParam{{Name: oi.Field, Reason: oi.Reason}}
		return out
	case errors.Is(err, orgcred.ErrNotFound):
		return problem(http.StatusNotFound, "not-found", "Not found", "no such resource")
	case errors.As(err, &pd):
		out := problem(http.StatusForbidden, "policy-denied", "Refused by policy", pd.Error())
		out.Reasons = pd.Reasons
		return out
	case errors.Is(err, verifier.ErrNotFound), errors.Is(err, verifier.ErrExpired):
		return problem(http.StatusNotFound, "not-found", "Not found", "no such resource")
	case errors.Is(err, verifier.ErrConflict):
		return problem(http.StatusConflict, "conflict", "Conflict", "the current state does not allow this")
	case errors.As(err, &v):
		out := problem(http.StatusBadRequest, "invalid-input", "Invalid input", v.Error())
		for _, f := range v.Fields {
			out.InvalidParams = append(out.InvalidParams, InvalidParam{Name: f.Field, Reason: f.Message})
		}
		return out
	case errors.As(err, &tv):
		out := problem(http.StatusBadRequest, "invalid-input", "Invalid input", tv.Error())
		for _, f := range tv.Fields {
			out.InvalidParams = append(out.InvalidParams, InvalidParam{Name: f.Field, Reason: f.Reason})
		}
		return out
	case errors.Is(err, issuer.ErrReasonRequired):
		out := problem(http.StatusBadRequest, "invalid-input", "Invalid input", err.Error())
		out.InvalidParams = []InvalidParam{{Name: "reason", Reason: err.Error()}}
		return out
	case errors.Is(err, issuer.ErrConflict):
		return problem(http.StatusConflict, "conflict", "Conflict", "the current state does not allow this")
	case errors.Is(err, issuer.ErrNotFound), errors.Is(err, issuer.ErrExpired), errors.Is(err, slstore.ErrNotFound):
		return problem(http.StatusNotFound, "not-found", "Not found", "no such resource")
	case errors.Is(err, tenant.ErrUnauthorized):
		return problem(http.StatusUnauthorized, "unauthorized", "Unauthorized", "send a valid API key as 'Authorization: Bearer <key>'")
	case errors.Is(err, tenant.ErrForbidden):
		return problem(http.StatusForbidden, "forbidden", "Forbidden", "this API key may not act for this organisation")
	case errors.Is(err, tenant.ErrNotFound):
		return problem(http.StatusNotFound, "not-found", "Not found", "no such resource")
	case errors.Is(err, tenant.ErrConflict):
		return problem(http.StatusConflict, "conflict", "Conflict", "an organisation with this slug or identifier already exists")
	case errors.As(err, &he):
		return fromEcho(he)
	}
	return problem(http.StatusInternalServerError, "internal", "Internal server error", "the server could not handle the request; see the server log with the request id")
}

func fromEcho(he *echo.HTTPError) *Problem {
	switch he.Code {
	case http.StatusNotFound:
		return problem(he.Code, "not-found", "Not found", "no such resource")
	case http.StatusMethodNotAllowed:
		return problem(he.Code, "method-not-allowed", "Method not allowed", "this resource does not support the method")
	case http.StatusRequestEntityTooLarge:
		return problem(he.Code, "too-large", "Request body too large", "the request body exceeds the size limit")
	}
	if he.Code >= 400 && he.Code < 500 {
		return problem(he.Code, "bad-request", http.StatusText(he.Code), "the request is not valid")
	}
	return problem(http.StatusInternalServerError, "internal", "Internal server error", "the server could not handle the request; see the server log with the request id")
}

// handleError is the one place where errors become responses: 5xx are logged as errors,
// 4xx as warnings; the client gets problem JSON.
func (s *Server) handleError(err error, c echo.Context) {
	if c.Response().Committed {
		return
	}
	if protocolRoutes[strings.TrimPrefix(c.Path(), s.basePath())] {
		s.handleProtocolError(err, c)
		return
	}
	p := toProblem(err)
	p.Instance = c.Request().URL.Path
	if p.Status == http.StatusUnauthorized && c.Request().Header.Get(echo.HeaderAuthorization) != "" &&
		strings.HasPrefix(strings.ToLower(c.Request().Header.Get(echo.HeaderAuthorization)), "dpop ") {
		// RFC 9449 §7.1: a DPoP-bound token refused at a resource says so.
		c.Response().Header().Set(echo.HeaderWWWAuthenticate, `DPoP error="invalid_token", algs="ES256 ES384 EdDSA"`)
	}
	level := slog.LevelWarn
	if p.Status >= 500 {
		level = slog.LevelError
	}
	s.log.LogAttrs(c.Request().Context(), level, "request failed",
		slog.String("route", c.Path()), slog.Int("status", p.Status), slog.String("error", err.Error()),
		slog.String("request_id", c.Response().Header().Get(echo.HeaderXRequestID)))
	c.Response().Header().Set(echo.HeaderContentType, "application/problem+json")
	c.Response().WriteHeader(p.Status)
	if c.Request().Method == http.MethodHead {
		return
	}
	_ = jsonEncode(c.Response(), p)
}

// handleProtocolError answers OAuth and OpenID4VCI endpoints in their own error shape
// (RFC 6749 §5.2): {"error", "error_description"}; unknown errors are server_error.
func (s *Server) handleProtocolError(err error, c echo.Context) {
	e := toOAuthError(err)
	level := slog.LevelWarn
	switch {
	case e.Status >= 500:
		level = slog.LevelError
	case e.Code == oid4vci.ErrUseDPoPNonce:
		level = slog.LevelDebug // a normal step of RFC 9449 §8, not a failure
	}
	s.log.LogAttrs(c.Request().Context(), level, "protocol request failed",
		slog.String("route", c.Path()), slog.Int("status", e.Status), slog.String("error", err.Error()),
		slog.String("request_id", c.Response().Header().Get(echo.HeaderXRequestID)))
	if e.Status == http.StatusUnauthorized {
		// RFC 6750 §3 and RFC 9449 §7.1: say which scheme and what went wrong.
		c.Response().Header().Set(echo.HeaderWWWAuthenticate, `Bearer error="invalid_token", DPoP error="invalid_token", algs="ES256 ES384 EdDSA"`)
	}
	// At a protected resource (credential, notification) DPoP errors are 401 with a
	// WWW-Authenticate challenge (RFC 9449 §7.1, §9, §12.2); at the token and PAR endpoints
	// they are 400 (§5, §8).
	route := strings.TrimPrefix(c.Path(), s.basePath())
	if resource := route != "/o/:slug/token" && route != "/o/:slug/par"; resource {
		switch e.Code {
		case oid4vci.ErrUseDPoPNonce:
			c.Response().Header().Set(echo.HeaderWWWAuthenticate, `DPoP error="use_dpop_nonce", algs="ES256 ES384 EdDSA"`)
			e.Status = http.StatusUnauthorized
		case oid4vci.ErrInvalidDPoPProof:
			c.Response().Header().Set(echo.HeaderWWWAuthenticate, `DPoP error="invalid_dpop_proof", algs="ES256 ES384 EdDSA"`)
			e.Status = http.StatusUnauthorized
		}
	}
	c.Response().Header().Set(echo.HeaderCacheControl, "no-store")
	_ = c.JSON(e.Status, e)
}

func toOAuthError(err error) *oid4vci.Error {
	var (
		e  *oid4vci.Error
		he *echo.HTTPError
	)
	switch {
	case errors.As(err, &e):
		return e
	case errors.Is(err, tenant.ErrNotFound), errors.Is(err, issuer.ErrNotFound), errors.Is(err, issuer.ErrExpired),
		errors.Is(err, verifier.ErrNotFound):
		return oid4vci.NewError(http.StatusNotFound, oid4vci.ErrInvalidRequest, "not found or expired", err)
	case errors.As(err, &he) && he.Code < 500:
		return oid4vci.NewError(he.Code, oid4vci.ErrInvalidRequest, http.StatusText(he.Code), err)
	}
	return oid4vci.NewError(http.StatusInternalServerError, oid4vci.ErrServerError, "the server could not handle the request", err)
}
