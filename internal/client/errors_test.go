package client

import (
	"errors"
	"net/http"
	"testing"
)

var allSentinels = []error{ErrBadRequest, ErrUnauthorized, ErrPaymentRequired, ErrForbidden, ErrNotFound,
	ErrMethodNotAllowed, ErrConflict, ErrLocked, ErrRateLimited, ErrServer}

// Each answer is a body KAZOO sends (FACTS §2b), with the sentinel it must
// match and words the rendered error must carry.
func TestErrorDecodingForEveryClass(t *testing.T) {
	const dev = "/v2/accounts/" + testAccountID + "/devices/0123456789abcdef0123456789abcdef"
	cases := []struct {
		name     string
		method   string
		path     string
		status   int
		body     string
		sentinel error
		words    []string
	}{
		{"validation", "PUT", "/v2/accounts/" + testAccountID + "/devices", 400,
			`{"status":"error","error":"400","message":"validation error","request_id":"r400","data":{"sip.username":{"minLength":{"message":"String must be at least 2 characters","target":2,"value":"a"}},"name":{"required":{"message":"Field is required but missing"}}}}`,
			ErrBadRequest, []string{"400 validation error", "name: Field is required but missing (required)", `sip.username: String must be at least 2 characters (minLength 2, got "a")`, "request_id r400"}},
		{"invalid json", "POST", dev, 400,
			`{"status":"error","error":"400","message":"invalid request envelope","data":{"json":{"invalid":{"message":"unexpected end around 3","target":"body"}}}}`,
			ErrBadRequest, []string{"json: unexpected end around 3"}},
		{"401", "GET", dev, 401,
			`{"auth_token":"undefined","data":{"message":"invalid credentials"},"error":"401","message":"invalid_credentials","status":"error","request_id":"r401"}`,
			ErrUnauthorized, []string{"401 invalid_credentials", "auth token"}},
		{"402 accept charges", "PUT", "/v2/accounts/" + testAccountID + "/phone_numbers/%2B15551234567", 402,
			`{"status":"error","error":"402","message":"accept charges","data":{"phone_numbers":{"did_us":{"quantity":1,"rate":1.0}},"activation_charges":5}}`,
			ErrPaymentRequired, []string{"402 accept charges", "accept_charges = true", "activation_charges"}},
		{"403", "GET", "/v2/accounts/ffffffffffffffffffffffffffffffff", 403,
			`{"status":"error","error":"403","message":"forbidden","data":{"message":"forbidden"}}`,
			ErrForbidden, []string{"403 forbidden", "own account"}},
		{"404 bad_identifier", "GET", dev, 404,
			`{"status":"error","error":"404","message":"bad_identifier","request_id":"r404","data":{"cause":"0123456789abcdef0123456789abcdef","message":"bad identifier"}}`,
			ErrNotFound, []string{`no device with id "0123456789abcdef0123456789abcdef" exists in account ` + testAccountID, "request_id r404"}},
		{"404 module not loaded", "GET", "/v2/accounts/" + testAccountID + "/faxboxes", 404,
			`{"status":"error","error":"404","message":"not_found","data":{"message":"not found"}}`,
			ErrNotFound, []string{"404 not_found", "module", "may not be loaded"}},
		{"405", "PATCH", "/v2/accounts/" + testAccountID + "/media/x", 405,
			`{"status":"error","error":"405","message":"invalid_method","data":{"message":"method not allowed"}}`,
			ErrMethodNotAllowed, []string{"405 invalid_method", "does not accept PATCH"}},
		{"409", "POST", dev, 409,
			`{"status":"error","error":"409","message":"datastore_conflict","data":{"message":"conflicting documents"}}`,
			ErrConflict, []string{"409 datastore_conflict", "another writer"}},
		{"423", "PUT", "/v2/user_auth", 423,
			`{"status":"error","error":"423","message":"locked","data":{"account":{"expired":{}}}}`,
			ErrLocked, []string{"expired or disabled"}},
		{"429", "GET", dev, 429,
			`{"status":"error","error":"429","message":"too_many_requests","data":{"message":"too many requests"}}`,
			ErrRateLimited, []string{"429 too_many_requests", "rate limit"}},
		{"500", "DELETE", "/v2/accounts/" + testAccountID, 500,
			`{"status":"error","error":"500","message":"account_has_descendants","data":{"message":"account has descendants"}}`,
			ErrServer, []string{"500 account_has_descendants", "still has sub-accounts", "delete or move them first"}},
		{"503 not an envelope", "GET", dev, 503, `<html><body>Service Unavailable</body></html>`,
			ErrServer, []string{"HTTP 503 Service Unavailable", "not a Crossbar envelope", "<html><body>Service Unavailable"}},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			_, err := DecodeEnvelope(tc.status, http.Header{}, []byte(tc.body))
			var apiErr *Error
			if !errors.As(err, &apiErr) {
				t.Fatalf("err = %v, want *Error", err)
			}
			apiErr.Method, apiErr.Path = tc.method, tc.path
			if apiErr.StatusCode != tc.status {
				t.Fatalf("StatusCode = %d", apiErr.StatusCode)
			}
			for _, s := range allSentinels {
				if got, want := errors.Is(err, s), s == tc.sentinel; got != want {
					t.Errorf("errors.Is(err, %v) = %v, want %v", s, got, want)
				}
			}
			mustContain(t, apiErr.Error(), tc.words...)
		})
	}
}

func TestValidationMapIsDecoded(t *testing.T) {
	body := `{"status":"error","error":"400","message":"validation error","data":{"numbers":{"unique":{"message":"Number 1000 exists","cause":"1000"}},"sip.username":{"minLength":{"message":"too short","target":2,"value":"a"}}}}`
	_, err := DecodeEnvelope(400, http.Header{}, []byte(body))
	var apiErr *Error
	if !errors.As(err, &apiErr) {
		t.Fatal(err)
	}
	d := apiErr.Validation["sip.username"]["minLength"]
	if d.Message != "too short" || d.Target != float64(2) || d.Value != "a" {
		t.Fatalf("detail = %+v", d)
	}
	if apiErr.Validation["numbers"]["unique"].Cause != "1000" {
		t.Fatalf("validation = %+v", apiErr.Validation)
	}
}

func TestSuccessEnvelopeIsDecoded(t *testing.T) {
	body := `{"status":"success","data":[{"id":"a"}],"revision":"3-abc","request_id":"rid","auth_token":"tok","page_size":1,"start_key":["g2g"],"next_start_key":"g2gCbQ","node":"n","version":"4.3.142"}`
	env, err := DecodeEnvelope(200, http.Header{"X-Request-Id": {"hdr"}}, []byte(body))
	if err != nil {
		t.Fatal(err)
	}
	if env.Status != "success" || string(env.Data) != `[{"id":"a"}]` || env.Revision != "3-abc" || env.RequestID != "rid" ||
		env.AuthToken != "tok" || env.PageSize != 1 || env.StartKey != `["g2g"]` || env.NextStartKey != "g2gCbQ" {
		t.Fatalf("env = %+v", env)
	}
	raw, err := DecodeEnvelope(200, http.Header{"Content-Type": {"audio/mpeg"}}, []byte("ID3\x00binary"))
	if err != nil || string(raw.Raw) != "ID3\x00binary" {
		t.Fatalf("binary answer: %+v %v", raw, err)
	}
}

func TestAPIErrorsComeBackFromCalls(t *testing.T) {
	f := newFakeCrossbar(t)
	f.handle = func(w http.ResponseWriter, r *http.Request, _ []byte) {
		writeJSON(w, 404, errorEnvelope(404, "bad_identifier", map[string]any{"cause": "d9", "message": "bad identifier"}))
	}
	c := f.client(t, nil)
	_, err := c.Get(ctxT(t), AccountPath(testAccountID, "devices", "d9"), nil)
	var apiErr *Error
	if !errors.As(err, &apiErr) || !errors.Is(err, ErrNotFound) {
		t.Fatalf("err = %v", err)
	}
	if apiErr.Method != "GET" || apiErr.Path != AccountPath(testAccountID, "devices", "d9") || apiErr.RequestID != "rid-bad_identifier" {
		t.Fatalf("apiErr = %+v", apiErr)
	}
}
