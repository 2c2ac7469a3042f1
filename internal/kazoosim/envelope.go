package kazoosim

import (
	"bytes"
	"crypto/md5"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"strconv"
	"time"

	"github.com/kazoo-community/terraform-provider-kazoo/internal/kazooschema"
)

// Version is the Crossbar version the simulator reports in every envelope.
const Version = "4.3.142"

// maxUploadSize is crossbar.max_upload_size's default: larger bodies answer 413.
const maxUploadSize = 8000000

// successEnvelope is Crossbar's success response, fields in Crossbar's order.
type successEnvelope struct {
	PageSize     *int   `json:"page_size,omitempty"`
	StartKey     string `json:"start_key,omitempty"`
	NextStartKey string `json:"next_start_key,omitempty"`
	Data         any    `json:"data"`
	Revision     string `json:"revision,omitempty"`
	Timestamp    string `json:"timestamp"`
	Version      string `json:"version"`
	Node         string `json:"node"`
	RequestID    string `json:"request_id"`
	Status       string `json:"status"`
	AuthToken    string `json:"auth_token,omitempty"`
}

// errorEnvelope is Crossbar's error response.
type errorEnvelope struct {
	Data      any    `json:"data"`
	Error     string `json:"error"`
	Message   string `json:"message"`
	Status    string `json:"status"`
	Timestamp string `json:"timestamp"`
	Version   string `json:"version"`
	Node      string `json:"node"`
	RequestID string `json:"request_id"`
	AuthToken string `json:"auth_token"`
}

// apiError is an error answer: HTTP status, Crossbar's message and the data details.
type apiError struct {
	status  int
	message string
	data    any
}

func (e *apiError) Error() string { return fmt.Sprintf("%d %s", e.status, e.message) }

func errBadIdentifier(id string) *apiError {
	return &apiError{404, "bad_identifier", map[string]any{"cause": id, "message": "bad identifier"}}
}

var (
	errNotFound     = &apiError{404, "not_found", map[string]any{"message": "not found"}}
	errForbidden    = &apiError{403, "forbidden", map[string]any{"message": "forbidden"}}
	errMethod       = &apiError{405, "invalid_method", map[string]any{"message": "method not allowed"}}
	errConflict409  = &apiError{409, "datastore_conflict", map[string]any{"message": "conflicting documents"}}
	errTooMany      = &apiError{429, "too_many_requests", map[string]any{"message": "too many requests"}}
	errUnauthorized = &apiError{401, "invalid_credentials", map[string]any{"message": "invalid credentials"}}
	// errExpired is what crossbar_util:response_401 says for a token that is no longer valid.
	errExpired = &apiError{401, "invalid credentials", map[string]any{}}
	errFault   = &apiError{500, "unspecified_fault", map[string]any{"message": "unspecified fault"}}
	errBusy    = &apiError{503, "datastore_fault", map[string]any{"message": "datastore fatal error"}}
)

func validationError(errs kazooschema.Errors) *apiError {
	return &apiError{400, "validation error", errs}
}

// invalid is a one-rule validation error, for module-level checks.
func invalid(path, rule, message string, cause any) *apiError {
	errs := kazooschema.Errors{}
	errs.Add(path, rule, kazooschema.ErrorDetail{Message: message, Cause: cause})
	return validationError(errs)
}

func timestamp() string { return time.Now().UTC().Format("2006-01-02T15:04:05Z") }

// writeJSON marshals v and writes it with the status and Crossbar's headers. With ?jsonp=fn
// the body is wrapped as fn(...); and served as JavaScript (api_util:create_resp_content/2),
// errors included.
func (s *Server) writeJSON(rc *reqCtx, status int, v any) {
	body, err := s.encodeJSON(rc, v)
	if err != nil {
		http.Error(rc.w, err.Error(), http.StatusInternalServerError)
		return
	}
	h := rc.w.Header()
	h.Set("Content-Type", "application/json")
	if fn := rc.query.Get("jsonp"); fn != "" {
		body = append(append([]byte(fn+"("), bytes.TrimRight(body, "\n")...), ");"...)
		h.Set("Content-Type", "application/javascript")
	}
	h.Set("Content-Length", strconv.Itoa(len(body)))
	rc.status = status
	rc.w.WriteHeader(status)
	_, _ = rc.w.Write(body)
}

func (s *Server) encodeJSON(rc *reqCtx, v any) ([]byte, error) {
	var buf bytes.Buffer
	enc := json.NewEncoder(&buf)
	enc.SetEscapeHTML(false)
	if rc.r.Header.Get("X-Pretty-Print") == "true" || rc.query.Get("pretty_print") == "true" {
		enc.SetIndent("", "    ")
	}
	if err := enc.Encode(v); err != nil {
		return nil, err
	}
	return buf.Bytes(), nil
}

// reply writes a success envelope. rev is the document revision (envelope "revision" and
// ETag), or "" for answers that have none.
func (s *Server) reply(rc *reqCtx, status int, data any, rev string) {
	s.replyPaged(rc, status, data, rev, nil)
}

// replyList writes a listing's envelope: a non-empty list gets crossbar_doc:rev_to_etag/1's
// 'automatic' tag, the md5 of the answer (api_resource:generate_etag/2); an empty one none.
func (s *Server) replyListEnvelope(rc *reqCtx, data []any, pg *pageInfo) {
	if len(data) == 0 {
		s.replyPaged(rc, http.StatusOK, data, "", pg)
		return
	}
	env := s.successEnvelope(rc, data, "automatic", pg)
	body, err := s.encodeJSON(rc, env)
	if err != nil {
		s.fail(rc, errFault)
		return
	}
	sum := md5.Sum(body)
	s.replyPaged(rc, http.StatusOK, data, hex.EncodeToString(sum[:]), pg)
}

func (s *Server) successEnvelope(rc *reqCtx, data any, rev string, pg *pageInfo) successEnvelope {
	env := successEnvelope{
		Data:      data,
		Revision:  rev,
		Timestamp: timestamp(),
		Version:   Version,
		Node:      s.node,
		RequestID: rc.reqID,
		Status:    "success",
		AuthToken: rc.token,
	}
	if pg != nil {
		env.PageSize = &pg.size
		env.StartKey = pg.start
		env.NextStartKey = pg.next
	}
	return env
}

func (s *Server) replyPaged(rc *reqCtx, status int, data any, rev string, pg *pageInfo) {
	if rc.r.Method == http.MethodGet && wantsCSV(rc) {
		s.writeCSV(rc, data)
		return
	}
	if rev != "" {
		rc.w.Header().Set("ETag", strconv.Quote(rev))
	}
	s.writeJSON(rc, status, s.successEnvelope(rc, data, rev, pg))
}

// fail writes an error envelope.
func (s *Server) fail(rc *reqCtx, e *apiError) {
	token := rc.token
	if token == "" {
		// 4.3 renders a missing token through kz_term:to_binary.
		token = "undefined"
	}
	s.writeJSON(rc, e.status, errorEnvelope{
		Data:      e.data,
		Error:     strconv.Itoa(e.status),
		Message:   e.message,
		Status:    "error",
		Timestamp: timestamp(),
		Version:   Version,
		Node:      s.node,
		RequestID: rc.reqID,
		AuthToken: token,
	})
}

// envelope is a decoded request body.
type envelope struct {
	Data          any
	AcceptCharges bool
	Action        string
	AuthToken     string
	raw           map[string]any
}

// readObjectEnvelope reads a request envelope whose data must be a JSON object, as every
// document write requires.
func readObjectEnvelope(r *http.Request) (*envelope, map[string]any, *apiError) {
	env, e := readEnvelope(r)
	if e != nil {
		return nil, nil, e
	}
	data, ok := env.Data.(map[string]any)
	if !ok {
		return nil, nil, invalid("data", "type", "Value did not match type(s): object", nil)
	}
	return env, data, nil
}

// readEnvelope decodes the request body, answering Crossbar's errors for bodies that are too
// large, not JSON, or not an envelope. An empty body is an envelope with empty data.
func readEnvelope(r *http.Request) (*envelope, *apiError) {
	body, err := io.ReadAll(io.LimitReader(r.Body, maxUploadSize+1))
	if err != nil {
		return nil, &apiError{400, "parse_error", map[string]any{"message": err.Error()}}
	}
	if len(body) > maxUploadSize {
		errs := kazooschema.Errors{}
		errs.Add("file", "maxSize", kazooschema.ErrorDetail{Message: "Payload or Files must not be more than " + strconv.Itoa(maxUploadSize) + " bytes", Target: maxUploadSize})
		return nil, &apiError{413, "validation error", errs}
	}
	env := &envelope{Data: Doc{}}
	if len(bytes.TrimSpace(body)) == 0 {
		return env, nil
	}
	dec := json.NewDecoder(bytes.NewReader(body))
	dec.UseNumber()
	var top any
	if err := dec.Decode(&top); err == nil && dec.More() {
		err = fmt.Errorf("unexpected data after the JSON value")
		return nil, invalidJSON(err, dec.InputOffset())
	} else if err != nil {
		off := dec.InputOffset()
		var se *json.SyntaxError
		if ok := asSyntax(err, &se); ok {
			off = se.Offset
		}
		return nil, invalidJSON(err, off)
	}
	m, ok := top.(map[string]any)
	if !ok {
		// A body that is JSON but no object cannot be normalized as an envelope
		// (api_util:try_json/4 -> stop_on_invalid_envelope/2).
		return nil, &apiError{400, "validation error", map[string]any{"json": map[string]any{"invalid": map[string]any{
			"message": "All JSON must be valid", "target": "body"}}}}
	}
	env.raw = m
	if d, ok := m["data"]; ok {
		switch d.(type) {
		case map[string]any, []any:
			env.Data = d
		default:
			// api_util ?ENVELOPE_SCHEMA: data must be an object or an array; the failure is a
			// plain validation error on "data" (cb_context:failed/2).
			errs := kazooschema.Errors{}
			errs.Add("data", "type", kazooschema.ErrorDetail{Message: "Value did not match type(s): object, array",
				Target: "object, array", Value: d})
			return nil, validationError(errs)
		}
	}
	env.AcceptCharges = truthy(m["accept_charges"])
	env.Action = str(m["action"])
	env.AuthToken = str(m["auth_token"])
	if d, ok := env.Data.(map[string]any); ok {
		if env.AuthToken == "" {
			env.AuthToken = str(d["auth_token"])
		}
	}
	return env, nil
}

func invalidJSON(err error, off int64) *apiError {
	return &apiError{400, "validation error", map[string]any{"json": map[string]any{"invalid": map[string]any{
		"message": fmt.Sprintf("%s around %d", err.Error(), off),
		"target":  "body",
	}}}}
}

func asSyntax(err error, target **json.SyntaxError) bool {
	return errors.As(err, target)
}

func truthy(v any) bool {
	switch x := v.(type) {
	case bool:
		return x
	case string:
		return x == "true"
	}
	return false
}
