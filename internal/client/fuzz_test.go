package client

import (
	"errors"
	"net/http"
	"strings"
	"testing"
)

// FuzzDecodeEnvelope feeds arbitrary status codes and bodies to the decoder:
// it must never panic, a 2xx must give an envelope and anything else an
// *Error of that status that renders and matches at most one status sentinel.
func FuzzDecodeEnvelope(f *testing.F) {
	seeds := []struct {
		status int
		body   string
	}{
		{200, `{"status":"success","data":{"id":"abc"},"revision":"1-x","request_id":"r","auth_token":"t"}`},
		{200, `{"status":"success","data":[{"id":"a"}],"page_size":1,"start_key":"k","next_start_key":"n"}`},
		{200, `{"status":"success","data":[],"start_key":["g2g",1],"next_start_key":{"a":1},"page_size":"7"}`},
		{201, `{"status":"success","data":{"account_id":"4f5c6e1a9b8d7c6e5f4a3b2c1d0e9f8a"},"auth_token":"a.b.c"}`},
		{200, "ID3\x03\x00\x00binary audio"},
		{200, ``},
		{400, `{"status":"error","error":"400","message":"validation error","data":{"sip.username":{"minLength":{"message":"m","target":2,"value":"a"}}}}`},
		{400, `{"status":"error","error":"400","message":"invalid data","data":{"a%2Eb":{"pattern":"legacy string"}}}`},
		{400, `{"data":{"json":{"invalid":{"message":"bad","target":"body"}}},"error":"400"}`},
		{401, `{"auth_token":"undefined","data":{"message":"invalid credentials"},"error":"401","message":"invalid_credentials","status":"error"}`},
		{402, `{"error":"402","message":"accept charges","data":{"devices":{"sip_device":{"quantity":1}},"activation_charges":3}}`},
		{403, `{"error":"403","message":"forbidden","data":{"message":"forbidden"}}`},
		{404, `{"error":"404","message":"bad_identifier","data":{"cause":"x","message":"bad identifier"}}`},
		{404, `{"error":"404","message":"bad identifier","data":["0123"]}`},
		{404, `{"error":"404","message":"not_found","data":{"message":"not found"}}`},
		{405, `{"error":"405","message":"invalid_method","data":{"message":"method not allowed"}}`},
		{409, `{"error":"409","message":"datastore_conflict","data":{"message":"conflicting documents"}}`},
		{413, `{"error":"413","message":"validation error","data":{"file":{"maxSize":{"message":"too big","target":8000000}}}}`},
		{423, `{"error":"423","message":"locked","data":{"account":{"expired":{}}}}`},
		{429, `{"error":"429","message":"too_many_requests","data":{"message":"too many requests"}}`},
		{500, `{"error":"500","message":"unspecified_fault","data":{"message":"boom","cause":{"x":1}}}`},
		{502, `<html>Bad Gateway</html>`},
		{503, `{"error":"503","message":"datastore_unreachable","data":null}`},
		{412, ``},
		{999, `{"message":5,"data":"x","request_id":7}`},
	}
	for _, s := range seeds {
		f.Add(s.status, []byte(s.body))
	}
	f.Fuzz(func(t *testing.T, status int, body []byte) {
		if status < 100 || status > 999 {
			return
		}
		env, err := DecodeEnvelope(status, http.Header{}, body)
		if status >= 200 && status < 300 {
			if err != nil || env == nil {
				t.Fatalf("2xx gave err=%v env=%v", err, env)
			}
			return
		}
		var apiErr *Error
		if !errors.As(err, &apiErr) || env != nil {
			t.Fatalf("status %d gave env=%v err=%v", status, env, err)
		}
		if apiErr.StatusCode != status {
			t.Fatalf("StatusCode %d, want %d", apiErr.StatusCode, status)
		}
		apiErr.Method, apiErr.Path = "GET", "/v2/accounts/a/devices/b"
		msg := apiErr.Error()
		if !strings.HasPrefix(msg, "KAZOO answered ") && !strings.HasPrefix(msg, "the server answered HTTP ") {
			t.Fatalf("rendering %q", msg)
		}
		matched := 0
		for _, s := range allSentinels {
			if errors.Is(err, s) {
				matched++
			}
		}
		if matched > 1 {
			t.Fatalf("status %d matches %d sentinels", status, matched)
		}
	})
}
