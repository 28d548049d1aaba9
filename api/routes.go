package api

// PublicRoutes are the routes outside the admin API, each governed by its own specification
// rather than openapi.yaml. A test fails when a registered route is in neither.
var PublicRoutes = map[string]string{
	"GET /healthz":          "liveness probe",
	"GET /readyz":           "readiness: database reachable and migrations current",
	"GET /metrics":          "Prometheus metrics",
	"GET /o/:slug/did.json": "did:web DID document (W3C did:web method)",
}

func (s *Server) routes() {
	root := s.echo.Group(s.basePath())
	root.GET("/healthz", s.healthz)
	root.GET("/readyz", s.readyz)
	root.GET("/metrics", s.metricsHandler())
	root.GET("/o/:slug/did.json", s.didDocument)

	v1 := root.Group("/api/v1")
	v1.GET("/openapi.json", s.openAPI)
	admin := v1.Group("", s.requireAPIKey)
	admin.GET("/tenants", s.listTenants)
	admin.POST("/tenants", s.createTenant)
	admin.GET("/tenants/:slug", s.getTenant)
	admin.GET("/tenants/:slug/keys", s.listKeys)
	admin.POST("/tenants/:slug/keys", s.rotateKey)
	admin.DELETE("/tenants/:slug/keys/:kid", s.removeKey)
	admin.POST("/tenants/:slug/api-keys", s.createAPIKey)
	admin.GET("/did-documents", s.resolveDID)
}
