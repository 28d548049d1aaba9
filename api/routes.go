package api

import (
	"github.com/labstack/echo/v4"

	"github.com/sociaaldomein/bewijs/issuer"
)

// PublicRoutes are the routes outside the admin API, each governed by its own specification
// rather than openapi.yaml. A test fails when a registered route is in neither.
var PublicRoutes = map[string]string{
	"GET /healthz":          "liveness probe",
	"GET /readyz":           "readiness: database reachable and migrations current",
	"GET /metrics":          "Prometheus metrics",
	"GET /o/:slug/did.json": "did:web DID document (W3C did:web method)",

	"GET /.well-known/openid-credential-issuer/o/:slug":   "OpenID4VCI 1.0 §12.2 credential issuer metadata",
	"GET /.well-known/oauth-authorization-server/o/:slug": "RFC 8414 authorization server metadata",
	"GET /o/:slug/credential-offer/:id":                   "OpenID4VCI 1.0 §4.1.3 credential offer by reference",
	"GET /o/:slug/offer/:id":                              "offer page: QR code and same-device link (HTML)",
	"GET /o/:slug/offer/:id/qr.png":                       "offer QR code (PNG)",
	"POST /o/:slug/par":                                   "RFC 9126 pushed authorization request endpoint",
	"GET /o/:slug/authorize":                              "authorization endpoint: login page (HTML)",
	"POST /o/:slug/authorize":                             "authorization endpoint: login form, redirects with the code",
	"POST /o/:slug/token":                                 "RFC 6749 / OpenID4VCI 1.0 §6 token endpoint (DPoP RFC 9449)",
	"POST /o/:slug/nonce":                                 "OpenID4VCI 1.0 §7 nonce endpoint",
	"POST /o/:slug/credential":                            "OpenID4VCI 1.0 §8 credential endpoint",
	"POST /o/:slug/notification":                          "OpenID4VCI 1.0 §11 notification endpoint",
	"GET /o/:slug/credential-offer-endpoint":              "OpenID4VCI 1.0 §4 credential offer endpoint of an organisation wallet",
	"GET /o/:slug/status/:list":                           "Token Status List (statuslist+jwt)",
	"GET /vct/:vct":                                       "SD-JWT VC type metadata",

	"GET /o/:slug/oid4vp/requests/:id":    "OpenID4VP 1.0 §5.10 request_uri: signed request object",
	"POST /o/:slug/oid4vp/requests/:id":   "OpenID4VP 1.0 §5.10.1 request_uri_method=post with wallet_nonce",
	"POST /o/:slug/oid4vp/responses/:id":  "OpenID4VP 1.0 §8.2 response_uri (direct_post, direct_post.jwt)",
	"GET /o/:slug/verify/:id":             "verify page: QR code, same-device link and live result (HTML)",
	"GET /o/:slug/verify/:id/qr.png":      "presentation request QR code (PNG)",
	"GET /o/:slug/verify/:id/events":      "verify page result stream (Server-Sent Events)",
	"GET /o/:slug/authorize/pid":          "login by disclosure: redirects the wallet to an OpenID4VP request for its PID",
	"GET /o/:slug/bitstring-status/:list": "W3C Bitstring Status List credential (JWT) of organisation credentials",
	"POST /o/:slug/token-nonce":           "server nonce for the presentation of a declareren token request (VP Token grant)",
	"GET /o/:slug/authorize/pid/callback": "login by disclosure: after the PID presentation, redirects to the wallet with the code",
}

// protocolRoutes answer errors in the OAuth shape ({error, error_description}), not as
// problem JSON.
var protocolRoutes = map[string]bool{
	"/.well-known/openid-credential-issuer/o/:slug":   true,
	"/.well-known/oauth-authorization-server/o/:slug": true,
	"/o/:slug/credential-offer/:id":                   true,
	"/o/:slug/par":                                    true,
	"/o/:slug/token":                                  true,
	"/o/:slug/nonce":                                  true,
	"/o/:slug/credential":                             true,
	"/o/:slug/notification":                           true,
	"/o/:slug/oid4vp/requests/:id":                    true,
	"/o/:slug/oid4vp/responses/:id":                   true,
	"/o/:slug/token-nonce":                            true,
	"/o/:slug/credential-offer-endpoint":              true,
}

func (s *Server) routes() {
	root := s.echo.Group(s.basePath())
	root.GET("/healthz", s.healthz)
	root.GET("/readyz", s.readyz)
	root.GET("/metrics", s.metricsHandler())
	root.GET("/o/:slug/did.json", s.didDocument)
	if s.deps.Issuer != nil {
		s.issuerRoutes(root)
	}
	if s.deps.Verifier != nil {
		s.verifierRoutes(root)
	}
	if s.deps.OrgCreds != nil {
		root.GET("/o/:slug/bitstring-status/:list", s.bitstringStatus)
	}
	s.orgWalletRoutes(root)
	if s.deps.Declareren != nil {
		root.POST("/o/:slug/token-nonce", s.declarerenNonce)
	}
	if s.deps.Issuer != nil && s.deps.Verifier != nil {
		root.GET("/o/:slug/authorize/pid", s.authorizePID)
		root.GET("/o/:slug/authorize/pid/callback", s.authorizePIDCallback)
	}

	v1 := root.Group("/api/v1")
	v1.GET("/openapi.json", s.openAPI)
	if s.deps.Declareren != nil {
		v1.POST("/declaraties", s.declare) // authenticated by the declareren access token, not an API key
	}
	admin := v1.Group("", s.requireAPIKey)
	admin.GET("/tenants", s.listTenants)
	admin.POST("/tenants", s.createTenant)
	admin.GET("/tenants/:slug", s.getTenant)
	admin.GET("/tenants/:slug/keys", s.listKeys)
	admin.POST("/tenants/:slug/keys", s.rotateKey)
	admin.DELETE("/tenants/:slug/keys/:kid", s.removeKey)
	admin.POST("/tenants/:slug/api-keys", s.createAPIKey)
	admin.GET("/did-documents", s.resolveDID)
	if s.deps.Issuer != nil {
		admin.POST("/beschikkingen", s.createBeschikking)
		admin.GET("/beschikkingen/:id", s.beschikkingView(s.deps.Issuer.Beschikking))
		admin.POST("/beschikkingen/:id/revoke", s.changeBeschikking(issuer.Revoke))
		admin.POST("/beschikkingen/:id/suspend", s.changeBeschikking(issuer.Suspend))
		admin.POST("/beschikkingen/:id/reinstate", s.changeBeschikking(issuer.Reinstate))
		// Sends the zorgtoewijzing offer to the aanbieder on another instance again, now.
		admin.POST("/beschikkingen/:id/zorgtoewijzing-delivery", s.beschikkingView(s.deps.Issuer.RedeliverZorgtoewijzing))
	}
	if s.deps.Verifier != nil {
		admin.POST("/presentation-requests", s.createPresentationRequest)
		admin.GET("/presentation-requests/:id", s.getPresentationRequest)
		admin.GET("/presentation-requests/:id/events", s.presentationEvents)
		admin.GET("/tenants/:slug/verifier-settings", s.getVerifierSettings)
		admin.PUT("/tenants/:slug/verifier-settings", s.putVerifierSettings)
	}
	if s.deps.OrgCreds != nil {
		admin.POST("/organisation-credentials", s.issueOrgCredential)
		admin.GET("/organisation-credentials", s.listOrgCredentials)
		admin.POST("/organisation-credentials/:id/revoke", s.revokeOrgCredential)
		admin.GET("/organisation-wallet", s.orgWallet)
		if s.deps.OfferClient != nil {
			admin.POST("/organisation-wallet/receive", s.receiveOffer)
		}
	}
	if s.deps.Declareren != nil {
		admin.GET("/declaraties", s.listDeclaraties)
	}
}

func (s *Server) verifierRoutes(root *echo.Group) {
	root.GET("/o/:slug/oid4vp/requests/:id", s.requestObject)
	root.POST("/o/:slug/oid4vp/requests/:id", s.requestObject)
	root.POST("/o/:slug/oid4vp/responses/:id", s.presentationResponse)
	root.GET("/o/:slug/verify/:id", s.verifyPageHandler)
	root.GET("/o/:slug/verify/:id/qr.png", s.verifyQR)
	root.GET("/o/:slug/verify/:id/events", s.verifyEvents)
}

func (s *Server) issuerRoutes(root *echo.Group) {
	root.GET("/.well-known/openid-credential-issuer/o/:slug", s.issuerMetadata)
	root.GET("/.well-known/oauth-authorization-server/o/:slug", s.authorizationServerMetadata)
	root.GET("/o/:slug/credential-offer/:id", s.credentialOffer)
	root.GET("/o/:slug/offer/:id", s.offerPage)
	root.GET("/o/:slug/offer/:id/qr.png", s.offerQR)
	root.POST("/o/:slug/par", s.par)
	root.GET("/o/:slug/authorize", s.authorizePage)
	root.POST("/o/:slug/authorize", s.authorizeSubmit)
	root.POST("/o/:slug/token", s.token)
	root.POST("/o/:slug/nonce", s.nonce)
	root.POST("/o/:slug/credential", s.credential)
	root.POST("/o/:slug/notification", s.notification)
	root.GET("/o/:slug/status/:list", s.statusList)
	root.GET("/vct/:vct", s.typeMetadata)
}
