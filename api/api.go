// Package api holds the OpenAPI description of the REST API, so that the
// server can serve it and tests can check it against the routes.
package api

import _ "embed"

// OpenAPI is the OpenAPI 3.1 document of the REST API in YAML, served at
// GET /api/openapi.yaml. internal/httpapi's tests fail when it and the
// router disagree on routes, owners or security.
//
//go:embed openapi.yaml
var OpenAPI []byte
