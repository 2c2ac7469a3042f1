package client

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"sync"
	"testing"
)

func TestPaginationFollowsNextStartKey(t *testing.T) {
	f := newFakeCrossbar(t)
	const total, pageSize = 7, 3
	var startKeys []string
	f.handle = func(w http.ResponseWriter, r *http.Request, _ []byte) {
		q := r.URL.Query()
		startKeys = append(startKeys, q.Get("start_key"))
		if q.Get("filter_name") != "x" {
			t.Errorf("query lost: %v", q)
		}
		start := 0
		if k := q.Get("start_key"); k != "" {
			start, _ = strconv.Atoi(strings.TrimPrefix(k, "key-"))
		}
		var rows []map[string]any
		for i := start; i < min(start+pageSize, total); i++ {
			rows = append(rows, map[string]any{"id": fmt.Sprint("id", i)})
		}
		env := map[string]any{"status": "success", "data": rows, "page_size": len(rows), "start_key": fmt.Sprint("key-", start)}
		if start+pageSize < total {
			env["next_start_key"] = fmt.Sprint("key-", start+pageSize)
		}
		writeJSON(w, 200, env)
	}
	c := f.client(t, nil)
	var ids []string
	for row, err := range c.List(ctxT(t), AccountPath(testAccountID, "devices"), url.Values{"filter_name": {"x"}}) {
		if err != nil {
			t.Fatal(err)
		}
		var r struct{ ID string }
		if err := json.Unmarshal(row, &r); err != nil {
			t.Fatal(err)
		}
		ids = append(ids, r.ID)
	}
	if strings.Join(ids, ",") != "id0,id1,id2,id3,id4,id5,id6" {
		t.Fatalf("ids = %v", ids)
	}
	if strings.Join(startKeys, ",") != ",key-3,key-6" {
		t.Fatalf("start keys sent = %q", startKeys)
	}

	// Stopping early fetches no further page.
	startKeys = nil
	for range c.List(ctxT(t), AccountPath(testAccountID, "devices"), url.Values{"filter_name": {"x"}}) {
		break
	}
	if len(startKeys) != 1 {
		t.Fatalf("pages fetched after break = %d", len(startKeys))
	}
}

func TestPaginationStopsOnARepeatedKey(t *testing.T) {
	f := newFakeCrossbar(t)
	f.handle = func(w http.ResponseWriter, r *http.Request, _ []byte) {
		writeJSON(w, 200, map[string]any{"status": "success", "data": []any{map[string]any{"id": "a"}}, "next_start_key": "same"})
	}
	c := f.client(t, nil)
	n, failed := 0, false
	for _, err := range c.List(ctxT(t), AccountPath(testAccountID, "users"), nil) {
		if err != nil {
			failed = true
			break
		}
		n++
	}
	if !failed || n != 2 {
		t.Fatalf("rows=%d failed=%v, want 2 rows then an error", n, failed)
	}
}

func TestAccountPathEscapesEachPart(t *testing.T) {
	got := AccountPath(testAccountID, "phone_numbers", "+15551234567")
	if want := "/v2/accounts/" + testAccountID + "/phone_numbers/%2B15551234567"; got != want {
		t.Fatalf("got %s, want %s", got, want)
	}
	if got := AccountPath("a", "lists", "x/y z"); got != "/v2/accounts/a/lists/x%2Fy%20z" {
		t.Fatalf("got %s", got)
	}
	if got := AccountPath("a"); got != "/v2/accounts/a" {
		t.Fatalf("got %s", got)
	}
}

func TestEscapedPathReachesTheServerIntact(t *testing.T) {
	f := newFakeCrossbar(t)
	c := f.client(t, nil)
	p := AccountPath(testAccountID, "phone_numbers", "+15551234567")
	if _, err := c.Get(ctxT(t), p, nil); err != nil {
		t.Fatal(err)
	}
	if f.count("GET "+p) != 1 {
		t.Fatalf("server did not see %s: %v", p, f.requests)
	}
}

func TestBaseURLWithOrWithoutV2(t *testing.T) {
	for raw, want := range map[string]string{
		"http://kazoo.example.com:8000":         "http://kazoo.example.com:8000",
		"http://kazoo.example.com:8000/":        "http://kazoo.example.com:8000",
		"http://kazoo.example.com:8000/v2":      "http://kazoo.example.com:8000",
		"https://kazoo.example.com/v2/":         "https://kazoo.example.com",
		"https://proxy.example.com/crossbar/v2": "https://proxy.example.com/crossbar",
	} {
		u, err := ParseBaseURL(raw)
		if err != nil || u.String() != want {
			t.Errorf("ParseBaseURL(%q) = %v, %v; want %s", raw, u, err, want)
		}
	}
	for _, bad := range []string{"", "kazoo.example.com:8000", "ftp://kazoo", "http://", "http:///v2", "http://h/v2?x=1"} {
		if _, err := ParseBaseURL(bad); err == nil {
			t.Errorf("ParseBaseURL(%q) accepted", bad)
		}
	}

	// Both spellings reach the same endpoint.
	f := newFakeCrossbar(t)
	for _, u := range []string{f.srv.URL, f.srv.URL + "/v2", f.srv.URL + "/v2/"} {
		c := f.client(t, func(cfg *Config) { cfg.URL = u })
		if _, err := c.Get(ctxT(t), "/v2/accounts/"+testAccountID, nil); err != nil {
			t.Fatalf("%s: %v", u, err)
		}
	}
	if n := f.count("GET /v2/accounts/" + testAccountID); n != 3 {
		t.Fatalf("count = %d", n)
	}
}

func TestConfigNeedsExactlyOneCredentialMethod(t *testing.T) {
	base := Config{URL: "http://h:8000"}
	for name, cfg := range map[string]Config{
		"none":                    base,
		"api key and token":       {URL: base.URL, APIKey: "k", AuthToken: "t"},
		"api key and username":    {URL: base.URL, APIKey: "k", Username: "u", Password: "p", AccountName: "a"},
		"username only":           {URL: base.URL, Username: "u", AccountName: "a"},
		"no account selector":     {URL: base.URL, Username: "u", Password: "p"},
		"two account selectors":   {URL: base.URL, Username: "u", Password: "p", AccountName: "a", AccountRealm: "r"},
		"selector without a user": {URL: base.URL, APIKey: "k", AccountName: "a"},
		"bad account id":          {URL: base.URL, APIKey: "k", AccountID: "ABC"},
	} {
		if _, err := New(cfg); err == nil {
			t.Errorf("%s: accepted", name)
		}
	}
}

func TestWritesAreWrappedInTheEnvelope(t *testing.T) {
	f := newFakeCrossbar(t)
	t.Run("default", func(t *testing.T) {
		c := f.client(t, nil)
		if _, err := c.Put(ctxT(t), AccountPath(testAccountID, "devices"), map[string]any{"name": "d"}); err != nil {
			t.Fatal(err)
		}
		if _, err := c.Patch(ctxT(t), AccountPath(testAccountID, "devices", "x"), json.RawMessage(`{"name":null}`), WithAcceptCharges(true)); err != nil {
			t.Fatal(err)
		}
		if _, err := c.Delete(ctxT(t), AccountPath(testAccountID, "devices", "x")); err != nil {
			t.Fatal(err)
		}
		f.mu.Lock()
		defer f.mu.Unlock()
		want := []string{`{"data":{"name":"d"}}`, `{"accept_charges":true,"data":{"name":null}}`, ``}
		if strings.Join(f.bodies, "|") != strings.Join(want, "|") {
			t.Fatalf("bodies = %q", f.bodies)
		}
		f.bodies = nil
	})
	t.Run("client accepts charges, one request declines", func(t *testing.T) {
		c := f.client(t, func(cfg *Config) { cfg.AcceptCharges = true })
		_, _ = c.Post(ctxT(t), AccountPath(testAccountID, "devices", "x"), map[string]any{})
		_, _ = c.Post(ctxT(t), AccountPath(testAccountID, "devices", "x"), map[string]any{}, WithAcceptCharges(false))
		_, _ = c.Get(ctxT(t), AccountPath(testAccountID, "devices", "x"), nil)
		f.mu.Lock()
		defer f.mu.Unlock()
		if strings.Join(f.bodies, "|") != `{"accept_charges":true,"data":{}}|{"data":{}}|` {
			t.Fatalf("bodies = %q", f.bodies)
		}
	})
}

func TestUserAgentAndHeaders(t *testing.T) {
	f := newFakeCrossbar(t)
	var ua, ct, rid string
	f.handle = func(w http.ResponseWriter, r *http.Request, _ []byte) {
		ua, ct, rid = r.Header.Get("User-Agent"), r.Header.Get("Content-Type"), r.Header.Get("X-Request-ID")
		writeJSON(w, 200, map[string]any{"status": "success", "data": map[string]any{}})
	}
	c := f.client(t, func(cfg *Config) { cfg.UserAgent = "terraform-provider-kazoo/1.2.3" })
	if _, err := c.Post(ctxT(t), AccountPath(testAccountID), map[string]any{}); err != nil {
		t.Fatal(err)
	}
	if ua != "terraform-provider-kazoo/1.2.3" || ct != "application/json" || len(rid) != 32 {
		t.Fatalf("User-Agent=%q Content-Type=%q X-Request-ID=%q", ua, ct, rid)
	}
}

// TestLogsNeverCarrySecrets logs in with every method, writes a document
// holding passwords, hits errors, and then greps everything logged for the
// secrets.
func TestLogsNeverCarrySecrets(t *testing.T) {
	var mu sync.Mutex
	var logged strings.Builder
	logger := func(_ context.Context, level LogLevel, msg string, fields map[string]any) {
		mu.Lock()
		defer mu.Unlock()
		b, _ := json.Marshal(fields)
		fmt.Fprintf(&logged, "%d %s %s\n", level, msg, b)
	}
	f := newFakeCrossbar(t)
	var tokens []string
	f.handle = func(w http.ResponseWriter, r *http.Request, body []byte) {
		tokens = append(tokens, r.Header.Get("X-Auth-Token"))
		// Echo the document back, as KAZOO does for devices' sip.password.
		var env map[string]any
		_ = json.Unmarshal(body, &env)
		writeJSON(w, 200, map[string]any{"status": "success", "data": env["data"], "auth_token": r.Header.Get("X-Auth-Token")})
	}
	const devicePassword = "dev1ce-SIP-pa55"
	const vmPin = "918273"
	doc := map[string]any{"name": "d", "sip": map[string]any{"username": "u1", "password": devicePassword}, "pin": vmPin}

	// API key.
	c := f.client(t, func(cfg *Config) { cfg.Logger = logger })
	if _, err := c.Put(ctxT(t), AccountPath(testAccountID, "devices"), doc); err != nil {
		t.Fatal(err)
	}
	if _, err := c.Get(ctxT(t), AccountPath(testAccountID, "devices"), url.Values{"auth_token": {"query-secret-token"}, "api_key": {testAPIKey}}); err != nil {
		t.Fatal(err)
	}
	// Unknown API key: KAZOO echoes it back in the 404.
	badKey := "ffff" + testAPIKey[4:]
	bad := f.client(t, func(cfg *Config) { cfg.Logger = logger; cfg.APIKey = badKey })
	loginErr := bad.Login(ctxT(t))
	// User credentials.
	u := f.client(t, func(cfg *Config) {
		cfg.Logger, cfg.APIKey, cfg.Username, cfg.Password, cfg.AccountName = logger, "", testUser, testPassword, testAccount
	})
	if _, err := u.Patch(ctxT(t), AccountPath(testAccountID, "users", "u"), map[string]any{"password": testPassword}); err != nil {
		t.Fatal(err)
	}
	// Pre-made token.
	f.mu.Lock()
	premade := f.issue()
	f.mu.Unlock()
	p := f.client(t, func(cfg *Config) { cfg.Logger, cfg.APIKey, cfg.AuthToken = logger, "", premade })
	if _, err := p.Get(ctxT(t), AccountPath(testAccountID), nil); err != nil {
		t.Fatal(err)
	}

	out := logged.String()
	secrets := map[string]string{
		"api key": testAPIKey, "unknown api key": badKey, "password": testPassword,
		"credentials hash": Credentials(testUser, testPassword), "device password": devicePassword,
		"voicemail pin": vmPin, "query token": "query-secret-token", "pre-made token": premade,
	}
	for i, tok := range tokens {
		secrets[fmt.Sprint("token ", i)] = tok
	}
	for what, secret := range secrets {
		if secret != "" && strings.Contains(out, secret) {
			t.Errorf("the logs contain the %s", what)
		}
		if loginErr != nil && secret != "" && strings.Contains(loginErr.Error(), secret) {
			t.Errorf("the login error contains the %s", what)
		}
	}
	// The logs still say what happened.
	mustContain(t, out, `"method":"PUT"`, `"path":"/v2/accounts/`+testAccountID+`/devices"`, `"status":200`, `"request_id":"req-200"`, "duration_ms", "[REDACTED]", `"status":404`)
	if t.Failed() {
		t.Log(out)
	}
}

// TestRedactJSON covers nested keys and non-JSON bodies.
func TestRedactJSON(t *testing.T) {
	got := RedactJSON([]byte(`{"data":{"api_key":"k","list":[{"password":"p","ok":1}],"sip":{"password":"x","realm":"r"}},"auth_token":"t"}`))
	for _, s := range []string{`"k"`, `"p"`, `"x"`, `"t"`} {
		if strings.Contains(got, s) {
			t.Fatalf("%s leaked in %s", s, got)
		}
	}
	mustContain(t, got, `"realm":"r"`, `"ok":1`)
	// PINs under any of KAZOO's names; a flag about PINs is no secret.
	got = RedactJSON([]byte(`{"member":{"pins":["1234"]},"record_pin":"5678","hotdesk":{"pin":"9012","require_pin":true}}`))
	for _, s := range []string{"1234", "5678", "9012"} {
		if strings.Contains(got, s) {
			t.Fatalf("%s leaked in %s", s, got)
		}
	}
	mustContain(t, got, `"require_pin":true`)
	if got := RedactJSON([]byte("api_key=secret")); strings.Contains(got, "secret") {
		t.Fatalf("non-JSON leaked: %s", got)
	}
}
