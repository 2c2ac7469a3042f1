package kazoosim

import (
	"bytes"
	"encoding/json"
	"net/http"
	"strings"

	"github.com/kazoo-community/terraform-provider-kazoo/internal/kazooschema"
)

// handleSchemas serves /v2/schemas (the names), /v2/schemas/{name} (the facts of one schema,
// without KAZOO's descriptions) and PUT /v2/schemas/{name}/validation (validate a document and
// answer it with its defaults filled in). Crossbar asks no credentials for them.
func (s *Server) handleSchemas(rc *reqCtx, method, name string, validation bool) {
	switch {
	case name == "":
		if method != http.MethodGet {
			s.fail(rc, errMethod)
			return
		}
		internals := rc.query.Get("internals") == "true"
		names := []any{}
		for _, n := range kazooschema.Names() {
			if internals || !strings.HasPrefix(n, "kapi.") {
				names = append(names, n)
			}
		}
		s.reply(rc, http.StatusOK, names, "")
	case !validation:
		if method != http.MethodGet {
			s.fail(rc, errMethod)
			return
		}
		raw, ok := kazooschema.Raw(name)
		if !ok {
			s.fail(rc, errBadIdentifier(name))
			return
		}
		dec := json.NewDecoder(bytes.NewReader(raw))
		dec.UseNumber()
		var doc Doc
		if err := dec.Decode(&doc); err != nil {
			s.fail(rc, errFault)
			return
		}
		doc["id"] = name
		doc["$schema"] = "http://json-schema.org/draft-04/schema#"
		s.reply(rc, http.StatusOK, doc, "")
	default:
		if method != http.MethodPut {
			s.fail(rc, errMethod)
			return
		}
		if _, ok := kazooschema.Raw(name); !ok {
			s.fail(rc, errBadIdentifier(name))
			return
		}
		_, data, e := readObjectEnvelope(rc.r)
		if e != nil {
			s.fail(rc, e)
			return
		}
		doc := publicFields(data)
		errs, ae := s.validate(name, doc)
		if ae != nil {
			s.fail(rc, ae)
			return
		}
		if len(errs) > 0 {
			s.fail(rc, validationError(errs))
			return
		}
		s.reply(rc, http.StatusOK, doc, "")
	}
}
