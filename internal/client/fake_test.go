package client

import (
	"context"
	"encoding/base64"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"
	"time"
)

// Test fixtures: a master account and its credentials.
const (
	testAccountID = "4f5c6e1a9b8d7c6e5f4a3b2c1d0e9f8a"
	testAPIKey    = "0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef"
	testUser      = "admin"
	testPassword  = "s3cret-Passw0rd"
	testAccount   = "master"
	testRealm     = "master.example.com"
	testNumber    = "+15551234567"
)

// fakeCrossbar is a small Crossbar stand-in: it implements the two logins,
// checks tokens, and hands every other request to handle.
type fakeCrossbar struct {
	t        testing.TB
	srv      *httptest.Server
	tokenTTL time.Duration

	mu            sync.Mutex
	tokens        map[string]bool // valid tokens
	logins        int
	lastLogin     string
	refreshes     int
	refuseRefresh bool
	requests      map[string]int // "METHOD /path" → count, logins excluded
	bodies        []string       // request bodies, in order
	handle        func(w http.ResponseWriter, r *http.Request, body []byte)
	// before, when set, sees every request first (logins included) and
	// reports whether it answered it.
	before func(w http.ResponseWriter, r *http.Request) bool
	serial int
}

func newFakeCrossbar(t testing.TB) *fakeCrossbar {
	t.Helper()
	f := &fakeCrossbar{t: t, tokens: map[string]bool{}, requests: map[string]int{}, tokenTTL: time.Hour}
	f.handle = func(w http.ResponseWriter, r *http.Request, _ []byte) {
		writeJSON(w, http.StatusOK, map[string]any{"status": "success", "data": map[string]any{"path": r.URL.Path}, "revision": "1-abc"})
	}
	f.srv = httptest.NewServer(http.HandlerFunc(f.serve))
	t.Cleanup(f.srv.Close)
	return f
}

// makeToken issues an unsigned JWT-shaped token with the given claims.
func makeToken(accountID string, exp time.Time, serial int) string {
	header := base64.RawURLEncoding.EncodeToString([]byte(`{"alg":"RS256","typ":"JWT"}`))
	claims, _ := json.Marshal(map[string]any{"account_id": accountID, "exp": exp.Unix(), "iss": "kazoo", "n": serial})
	return header + "." + base64.RawURLEncoding.EncodeToString(claims) + ".c2lnbmF0dXJl"
}

func (f *fakeCrossbar) issue() string {
	f.serial++
	tok := makeToken(testAccountID, time.Now().Add(f.tokenTTL), f.serial)
	f.tokens[tok] = true
	return tok
}

// revokeAll makes every issued token invalid, as an expiry would.
func (f *fakeCrossbar) revokeAll() {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.tokens = map[string]bool{}
}

func (f *fakeCrossbar) loginCount() int {
	f.mu.Lock()
	defer f.mu.Unlock()
	return f.logins
}

func (f *fakeCrossbar) count(key string) int {
	f.mu.Lock()
	defer f.mu.Unlock()
	return f.requests[key]
}

func writeJSON(w http.ResponseWriter, status int, v any) {
	w.Header().Set("Content-Type", "application/json")
	w.Header().Set("X-Request-Id", "req-"+fmt.Sprint(status))
	w.WriteHeader(status)
	_ = json.NewEncoder(w).Encode(v)
}

func errorEnvelope(status int, message string, data any) map[string]any {
	return map[string]any{"status": "error", "error": fmt.Sprint(status), "message": message, "data": data,
		"request_id": "rid-" + message, "auth_token": "undefined"}
}

func (f *fakeCrossbar) serve(w http.ResponseWriter, r *http.Request) {
	f.mu.Lock()
	before := f.before
	f.mu.Unlock()
	if before != nil && before(w, r) {
		return
	}
	body, _ := io.ReadAll(r.Body)
	var env struct {
		Data map[string]any `json:"data"`
	}
	_ = json.Unmarshal(body, &env)
	if strings.HasSuffix(r.URL.Path, "_auth") {
		f.mu.Lock()
		f.lastLogin = string(body)
		f.mu.Unlock()
	}

	switch r.URL.Path {
	case "/v2/api_auth":
		f.mu.Lock()
		f.logins++
		if env.Data["api_key"] != testAPIKey {
			f.mu.Unlock()
			writeJSON(w, http.StatusNotFound, errorEnvelope(404, "bad identifier", []any{env.Data["api_key"]}))
			return
		}
		tok := f.issue()
		f.mu.Unlock()
		writeJSON(w, http.StatusCreated, map[string]any{"status": "success", "auth_token": tok,
			"data": map[string]any{"account_id": testAccountID, "account_name": testAccount}})
		return
	case "/v2/user_auth":
		f.mu.Lock()
		f.logins++
		ok := env.Data["credentials"] == Credentials(testUser, testPassword) && env.Data["method"] == "md5" &&
			(env.Data["account_name"] == testAccount || env.Data["account_realm"] == testRealm || env.Data["phone_number"] == testNumber)
		if !ok {
			f.mu.Unlock()
			writeJSON(w, http.StatusUnauthorized, errorEnvelope(401, "invalid_credentials", map[string]any{"message": "invalid credentials"}))
			return
		}
		tok := f.issue()
		f.mu.Unlock()
		writeJSON(w, http.StatusCreated, map[string]any{"status": "success", "auth_token": tok,
			"data": map[string]any{"account_id": testAccountID, "owner_id": "u1"}})
		return
	}

	if r.URL.Path == "/v2/auth" {
		var top struct {
			Action string `json:"action"`
		}
		_ = json.Unmarshal(body, &top)
		f.mu.Lock()
		f.refreshes++
		valid := f.tokens[r.Header.Get("X-Auth-Token")]
		if !valid || top.Action != "refresh_token" || f.refuseRefresh {
			f.mu.Unlock()
			writeJSON(w, http.StatusUnauthorized, errorEnvelope(401, "invalid_credentials", map[string]any{}))
			return
		}
		tok := f.issue()
		f.mu.Unlock()
		writeJSON(w, http.StatusCreated, map[string]any{"status": "success", "auth_token": tok, "data": map[string]any{"account_id": testAccountID}})
		return
	}

	f.mu.Lock()
	f.requests[r.Method+" "+r.URL.EscapedPath()]++
	f.bodies = append(f.bodies, string(body))
	valid := f.tokens[r.Header.Get("X-Auth-Token")]
	handle := f.handle
	f.mu.Unlock()
	if !valid {
		writeJSON(w, http.StatusUnauthorized, errorEnvelope(401, "invalid_credentials", map[string]any{"message": "invalid credentials"}))
		return
	}
	handle(w, r, body)
}

// client builds a client for the fake with rate limiting off and fast retries.
func (f *fakeCrossbar) client(t testing.TB, mutate func(*Config)) *Client {
	t.Helper()
	cfg := Config{URL: f.srv.URL, APIKey: testAPIKey, RequestsPerSecond: -1,
		RetryWaitMin: time.Millisecond, RetryWaitMax: 10 * time.Millisecond}
	if mutate != nil {
		mutate(&cfg)
	}
	c, err := New(cfg)
	if err != nil {
		t.Fatalf("New: %v", err)
	}
	return c
}

func ctxT(t testing.TB) context.Context {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	t.Cleanup(cancel)
	return ctx
}

func mustContain(t testing.TB, s string, subs ...string) {
	t.Helper()
	for _, sub := range subs {
		if !strings.Contains(s, sub) {
			t.Errorf("%q does not contain %q", s, sub)
		}
	}
}
