package api

import (
	_ "embed"
	"encoding/json"
	"fmt"
	"net/http"

	"github.com/labstack/echo/v4"
	"go.yaml.in/yaml/v3"
)

// OpenAPIYAML is the admin API's OpenAPI 3 document, linted against the NL GOV API Design Rules.
//
//go:embed openapi.yaml
var OpenAPIYAML []byte

// OpenAPIDocument parses openapi.yaml into generic JSON-ready values.
func OpenAPIDocument() (map[string]any, error) {
	var doc map[string]any
	if err := yaml.Unmarshal(OpenAPIYAML, &doc); err != nil {
		return nil, fmt.Errorf("openapi.yaml: %w", err)
	}
	return doc, nil
}

// openAPIJSON renders the document as JSON with this server's public URL as its server.
func (s *Server) openAPIJSON() ([]byte, error) {
	doc, err := OpenAPIDocument()
	if err != nil {
		return nil, err
	}
	doc["servers"] = []map[string]string{{"url": s.cfg.PublicURL.String() + "/api/v1", "description": "this bewijs server"}}
	return json.Marshal(doc)
}

func (s *Server) openAPI(c echo.Context) error {
	return c.Blob(http.StatusOK, echo.MIMEApplicationJSON, s.openapi)
}
