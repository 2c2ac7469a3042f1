package client

import (
	"bytes"
	"encoding/json"
	"errors"
	"net/http"
	"strconv"
	"strings"
)

// Envelope is a decoded Crossbar response.
type Envelope struct {
	// Status is "success", "error" or "fatal".
	Status string `json:"status"`
	// Data is the envelope's data: a document, a list of summaries, or details.
	Data json.RawMessage `json:"data"`
	// Revision is the document's _rev (for lists, a hash of the body).
	Revision string `json:"revision"`
	// RequestID identifies the request in KAZOO's logs.
	RequestID string `json:"request_id"`
	// AuthToken is the token the request used, or the new one on login.
	AuthToken string `json:"auth_token"`
	// PageSize is the number of rows in a paginated list answer.
	PageSize int `json:"page_size"`
	// StartKey and NextStartKey are the opaque pagination keys;
	// NextStartKey is empty on the last page.
	StartKey     string `json:"-"`
	NextStartKey string `json:"-"`

	// StatusCode is the HTTP status of the answer.
	StatusCode int `json:"-"`
	// Header holds the response headers (ETag, Location, Content-Type).
	Header http.Header `json:"-"`
	// Raw is the body of an answer that is not JSON, such as a media file.
	Raw []byte `json:"-"`
}

// wireEnvelope is what Crossbar sends, with the fields whose JSON type varies.
type wireEnvelope struct {
	Status       json.RawMessage `json:"status"`
	Data         json.RawMessage `json:"data"`
	Revision     json.RawMessage `json:"revision"`
	RequestID    json.RawMessage `json:"request_id"`
	AuthToken    json.RawMessage `json:"auth_token"`
	PageSize     json.RawMessage `json:"page_size"`
	StartKey     json.RawMessage `json:"start_key"`
	NextStartKey json.RawMessage `json:"next_start_key"`
	Error        json.RawMessage `json:"error"`
	Message      json.RawMessage `json:"message"`
}

// DecodeEnvelope decodes a Crossbar answer. A success (2xx) gives the
// envelope; anything else gives an *Error. A 2xx whose body is not JSON (a
// media download) is returned in Envelope.Raw.
func DecodeEnvelope(statusCode int, header http.Header, body []byte) (*Envelope, error) {
	env := &Envelope{StatusCode: statusCode, Header: header}
	requestID := header.Get("X-Request-Id")
	trimmed := bytes.TrimSpace(body)
	var w wireEnvelope
	jsonErr := error(nil)
	if len(trimmed) == 0 {
		jsonErr = errEmptyBody
	} else {
		jsonErr = json.Unmarshal(trimmed, &w)
	}

	if statusCode >= 200 && statusCode < 300 {
		if jsonErr != nil {
			// Binary downloads and empty answers are not envelopes.
			env.Raw = body
			env.RequestID = requestID
			return env, nil
		}
		env.fill(&w)
		if env.RequestID == "" {
			env.RequestID = requestID
		}
		return env, nil
	}

	apiErr := &Error{StatusCode: statusCode, RequestID: requestID}
	if jsonErr != nil {
		apiErr.Message = strings.ToLower(http.StatusText(statusCode))
		if apiErr.Message == "" {
			apiErr.Message = "HTTP " + strconv.Itoa(statusCode)
		}
		apiErr.Body = truncate(strings.TrimSpace(string(printable(trimmed))), 200)
		return nil, apiErr
	}
	if id := jsonString(w.RequestID); id != "" {
		apiErr.RequestID = id
	}
	apiErr.Message = jsonString(w.Message)
	if apiErr.Message == "" {
		apiErr.Message = strings.ToLower(http.StatusText(statusCode))
	}
	if len(w.Data) > 0 && string(w.Data) != "null" {
		apiErr.Data = w.Data
	}
	if statusCode == http.StatusBadRequest || statusCode == http.StatusRequestEntityTooLarge {
		apiErr.Validation = decodeValidation(w.Data)
	}
	return nil, apiErr
}

var errEmptyBody = errors.New("empty body")

func (env *Envelope) fill(w *wireEnvelope) {
	env.Status = jsonString(w.Status)
	env.Data = w.Data
	env.Revision = jsonString(w.Revision)
	env.RequestID = jsonString(w.RequestID)
	env.AuthToken = jsonString(w.AuthToken)
	env.StartKey = jsonString(w.StartKey)
	env.NextStartKey = jsonString(w.NextStartKey)
	if n, err := strconv.Atoi(jsonString(w.PageSize)); err == nil {
		env.PageSize = n
	}
}

// jsonString reads a JSON scalar as text: "abc" → abc, 12 → 12, null → "".
// Crossbar's start keys are normally strings but may be other JSON values;
// those are kept as their JSON text so they can be sent back.
func jsonString(raw json.RawMessage) string {
	raw = bytes.TrimSpace(raw)
	if len(raw) == 0 || string(raw) == "null" {
		return ""
	}
	var s string
	if json.Unmarshal(raw, &s) == nil {
		return s
	}
	return string(raw)
}

// decodeValidation reads KAZOO's {"path":{"rule":{message,target,value,cause}}}
// map. Entries of another shape are skipped; nil when there is none.
func decodeValidation(data json.RawMessage) map[string]map[string]ValidationDetail {
	var fields map[string]json.RawMessage
	if json.Unmarshal(data, &fields) != nil {
		return nil
	}
	out := map[string]map[string]ValidationDetail{}
	for field, rawRules := range fields {
		var rules map[string]json.RawMessage
		if json.Unmarshal(rawRules, &rules) != nil {
			continue
		}
		for rule, rawDetail := range rules {
			var d ValidationDetail
			if json.Unmarshal(rawDetail, &d) != nil {
				// A bare message string is also seen on legacy paths.
				var msg string
				if json.Unmarshal(rawDetail, &msg) != nil {
					continue
				}
				d.Message = msg
			}
			if out[field] == nil {
				out[field] = map[string]ValidationDetail{}
			}
			out[field][rule] = d
		}
	}
	if len(out) == 0 {
		return nil
	}
	return out
}

// printable replaces control bytes so that a binary body cannot garble a message.
func printable(b []byte) []byte {
	out := make([]byte, 0, len(b))
	for _, c := range b {
		if c < 0x20 && c != '\n' && c != '\t' {
			c = '?'
		}
		out = append(out, c)
	}
	return out
}
