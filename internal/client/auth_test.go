package client

import (
	"encoding/json"
	"errors"
	"net/http"
	"sync"
	"testing"
	"time"
)

func TestLoginWithAPIKeyLearnsAccountAndReusesToken(t *testing.T) {
	f := newFakeCrossbar(t)
	var seenTokens []string
	f.handle = func(w http.ResponseWriter, r *http.Request, _ []byte) {
		seenTokens = append(seenTokens, r.Header.Get("X-Auth-Token"))
		writeJSON(w, http.StatusOK, map[string]any{"status": "success", "data": map[string]any{"id": "d1"}})
	}
	c := f.client(t, nil)
	if c.AccountID() != "" {
		t.Fatalf("AccountID before login = %q, want empty", c.AccountID())
	}
	if err := c.Login(ctxT(t)); err != nil {
		t.Fatalf("Login: %v", err)
	}
	if got := c.AccountID(); got != testAccountID {
		t.Fatalf("AccountID = %q, want %q learnt from the login", got, testAccountID)
	}
	for range 3 {
		if _, err := c.Get(ctxT(t), AccountPath(c.AccountID(), "devices", "d1"), nil); err != nil {
			t.Fatalf("Get: %v", err)
		}
	}
	if f.loginCount() != 1 {
		t.Fatalf("logins = %d, want 1", f.loginCount())
	}
	if len(seenTokens) != 3 || seenTokens[0] == "" || seenTokens[0] != seenTokens[2] {
		t.Fatalf("X-Auth-Token not shared: %q", seenTokens)
	}
	if s := c.Stats(); s.Logins != 1 || s.Requests["GET"] != 3 {
		t.Fatalf("Stats = %+v", s)
	}
}

func TestLoginWithUserCredentialsEachAccountSelector(t *testing.T) {
	for name, set := range map[string]func(*Config){
		"account_name":  func(c *Config) { c.AccountName = testAccount },
		"account_realm": func(c *Config) { c.AccountRealm = testRealm },
		"phone_number":  func(c *Config) { c.PhoneNumber = testNumber },
	} {
		t.Run(name, func(t *testing.T) {
			f := newFakeCrossbar(t)
			c := f.client(t, func(cfg *Config) {
				cfg.APIKey = ""
				cfg.Username, cfg.Password = testUser, testPassword
				set(cfg)
			})
			if err := c.Login(ctxT(t)); err != nil {
				t.Fatalf("Login: %v", err)
			}
			if c.AccountID() != testAccountID {
				t.Fatalf("AccountID = %q", c.AccountID())
			}
			var loginBody map[string]map[string]any
			if err := json.Unmarshal([]byte(f.lastLogin), &loginBody); err != nil {
				t.Fatal(err)
			}
			data := loginBody["data"]
			if data["credentials"] != Credentials(testUser, testPassword) {
				t.Fatalf("credentials = %v", data["credentials"])
			}
			if _, ok := data[name]; !ok || len(data) != 3 {
				t.Fatalf("login data = %v, want credentials, method and only %s", data, name)
			}
			if _, err := c.Get(ctxT(t), "/v2/accounts/"+testAccountID, nil); err != nil {
				t.Fatal(err)
			}
			if f.loginCount() != 1 {
				t.Fatalf("logins = %d", f.loginCount())
			}
		})
	}
}

func TestCredentialsIsHexMD5OfUsernameColonPassword(t *testing.T) {
	// echo -n user:pass | md5sum
	if got := Credentials("user", "pass"); got != "21a39285884a268d6458e3fdeb08beac" {
		t.Fatalf("Credentials = %q", got)
	}
}

func TestWrongCredentialsAreReportedAsInvalidCredentials(t *testing.T) {
	f := newFakeCrossbar(t)
	t.Run("unknown API key answered 404", func(t *testing.T) {
		c := f.client(t, func(cfg *Config) { cfg.APIKey = "ffff" + testAPIKey[4:] })
		err := c.Login(ctxT(t))
		if !errors.Is(err, ErrInvalidCredentials) || !errors.Is(err, ErrUnauthorized) {
			t.Fatalf("err = %v, want ErrInvalidCredentials and ErrUnauthorized", err)
		}
		var apiErr *Error
		if !errors.As(err, &apiErr) || apiErr.StatusCode != 404 {
			t.Fatalf("want the server's 404 inside, got %v", err)
		}
		mustContain(t, err.Error(), "API key", "KAZOO does not know this API key")
	})
	t.Run("wrong password answered 401", func(t *testing.T) {
		c := f.client(t, func(cfg *Config) {
			cfg.APIKey, cfg.Username, cfg.Password, cfg.AccountName = "", testUser, "wrong", testAccount
		})
		err := c.Login(ctxT(t))
		if !errors.Is(err, ErrInvalidCredentials) {
			t.Fatalf("err = %v", err)
		}
		mustContain(t, err.Error(), "username and password", `account name "master"`)
	})
	t.Run("a request after a failed login fails too, without looping", func(t *testing.T) {
		before := f.loginCount()
		c := f.client(t, func(cfg *Config) { cfg.APIKey = "ffff" + testAPIKey[4:] })
		_, err := c.Get(ctxT(t), "/v2/accounts/x", nil)
		if !errors.Is(err, ErrInvalidCredentials) {
			t.Fatalf("err = %v", err)
		}
		if n := f.loginCount() - before; n != 1 {
			t.Fatalf("logins = %d, want 1", n)
		}
		// The refusal is remembered: no second login, which would cost
		// another 35 of KAZOO's rate-limit tokens.
		_, err = c.Get(ctxT(t), "/v2/accounts/y", nil)
		if !errors.Is(err, ErrInvalidCredentials) {
			t.Fatalf("err = %v", err)
		}
		if n := f.loginCount() - before; n != 1 {
			t.Fatalf("logins = %d after a second request, want 1", n)
		}
	})
}

func TestLoginIntoAnotherAccountIsAMismatch(t *testing.T) {
	f := newFakeCrossbar(t)
	other := "0000000000000000000000000000beef"
	c := f.client(t, func(cfg *Config) { cfg.AccountID = other })
	err := c.Login(ctxT(t))
	if !errors.Is(err, ErrAccountMismatch) {
		t.Fatalf("err = %v, want ErrAccountMismatch", err)
	}
	mustContain(t, err.Error(), testAccountID, other)
}

func TestPreMadeToken(t *testing.T) {
	f := newFakeCrossbar(t)
	f.mu.Lock()
	tok := f.issue()
	f.mu.Unlock()

	t.Run("used as is, account learnt from the JWT", func(t *testing.T) {
		c := f.client(t, func(cfg *Config) { cfg.APIKey, cfg.AuthToken = "", tok })
		if c.AccountID() != testAccountID {
			t.Fatalf("AccountID = %q", c.AccountID())
		}
		if err := c.Login(ctxT(t)); err != nil {
			t.Fatalf("Login: %v", err)
		}
		if _, err := c.Get(ctxT(t), "/v2/accounts/"+testAccountID+"/users", nil); err != nil {
			t.Fatal(err)
		}
		if f.loginCount() != 1 { // the one issue() above counted nothing; only real logins count
			t.Logf("logins = %d", f.loginCount())
		}
		if s := c.Stats(); s.Logins != 0 {
			t.Fatalf("a pre-made token must not be exchanged: %+v", s)
		}
	})
	t.Run("an expired JWT is refused up front", func(t *testing.T) {
		expired := makeToken(testAccountID, time.Now().Add(-time.Minute), 99)
		_, err := New(Config{URL: f.srv.URL, AuthToken: expired})
		if !errors.Is(err, ErrTokenExpired) || !errors.Is(err, ErrUnauthorized) {
			t.Fatalf("err = %v, want ErrTokenExpired", err)
		}
		mustContain(t, err.Error(), "expired at")
	})
	t.Run("a token the server stops accepting is an error, not a loop", func(t *testing.T) {
		c := f.client(t, func(cfg *Config) { cfg.APIKey, cfg.AuthToken = "", tok })
		f.revokeAll()
		key := "GET /v2/accounts/" + testAccountID + "/devices"
		_, err := c.Get(ctxT(t), "/v2/accounts/"+testAccountID+"/devices", nil)
		if !errors.Is(err, ErrInvalidCredentials) || !errors.Is(err, ErrUnauthorized) {
			t.Fatalf("err = %v", err)
		}
		if f.count(key) != 1 {
			t.Fatalf("requests = %d, want exactly 1", f.count(key))
		}
		if s := c.Stats(); s.Logins != 0 {
			t.Fatalf("logins = %d", s.Logins)
		}
		mustContain(t, err.Error(), "supply a new token")
	})
	t.Run("a token for another account is a mismatch", func(t *testing.T) {
		_, err := New(Config{URL: f.srv.URL, AuthToken: tok, AccountID: "0000000000000000000000000000beef"})
		if !errors.Is(err, ErrAccountMismatch) {
			t.Fatalf("err = %v", err)
		}
	})
}

// TestTokenRevokedMidRunReauthenticatesOnce holds 50 requests in flight with
// the old token, then answers all of them 401: exactly one new login follows,
// and every request succeeds on the replay.
func TestTokenRevokedMidRunReauthenticatesOnce(t *testing.T) {
	f := newFakeCrossbar(t)
	const n = 50
	var (
		arrived sync.WaitGroup
		release = make(chan struct{})
		once    sync.Once
	)
	arrived.Add(n)
	first := ""
	var firstMu sync.Mutex
	f.handle = func(w http.ResponseWriter, r *http.Request, _ []byte) {
		firstMu.Lock()
		isOld := first == "" || r.Header.Get("X-Auth-Token") == first
		if first == "" {
			first = r.Header.Get("X-Auth-Token")
		}
		firstMu.Unlock()
		if isOld {
			arrived.Done()
			<-release
			writeJSON(w, http.StatusUnauthorized, errorEnvelope(401, "invalid credentials", map[string]any{}))
			return
		}
		writeJSON(w, http.StatusOK, map[string]any{"status": "success", "data": map[string]any{"ok": true}})
	}
	go func() {
		arrived.Wait()
		once.Do(func() { f.revokeAll(); close(release) })
	}()

	c := f.client(t, nil)
	if err := c.Login(ctxT(t)); err != nil {
		t.Fatal(err)
	}
	var wg sync.WaitGroup
	errs := make(chan error, n)
	for i := range n {
		wg.Add(1)
		go func() {
			defer wg.Done()
			_, err := c.Get(ctxT(t), AccountPath(testAccountID, "devices", string(rune('a'+i%26))), nil)
			errs <- err
		}()
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		if err != nil {
			t.Fatalf("request failed: %v", err)
		}
	}
	if got := f.loginCount(); got != 2 {
		t.Fatalf("logins = %d, want 2 (the first and exactly one re-authentication)", got)
	}
	if s := c.Stats(); s.Logins != 2 || s.Requests["GET"] != n {
		t.Fatalf("Stats = %+v", s)
	}
}

// TestExpiredJWTRenewsOnceBeforeSending lets the token's exp pass between
// requests: the client logs in again by itself, once, without a 401.
func TestExpiredJWTRenewsOnceBeforeSending(t *testing.T) {
	f := newFakeCrossbar(t)
	f.tokenTTL = 1500 * time.Millisecond
	unauthorized := 0
	var mu sync.Mutex
	inner := f.handle
	f.handle = func(w http.ResponseWriter, r *http.Request, body []byte) { inner(w, r, body) }
	c := f.client(t, nil)
	if err := c.Login(ctxT(t)); err != nil {
		t.Fatal(err)
	}
	time.Sleep(1600 * time.Millisecond)
	var wg sync.WaitGroup
	for range 50 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			if _, err := c.Get(ctxT(t), "/v2/accounts/"+testAccountID, nil); err != nil {
				mu.Lock()
				unauthorized++
				mu.Unlock()
			}
		}()
	}
	wg.Wait()
	if unauthorized != 0 {
		t.Fatalf("%d requests failed", unauthorized)
	}
	if got := f.loginCount(); got != 2 {
		t.Fatalf("logins = %d, want 2", got)
	}
	// No request left with the dead token: the fake would have answered 401
	// (tokens stay valid there), so count the attempts instead.
	if s := c.Stats(); s.Attempts != 1+1+50 {
		t.Fatalf("attempts = %d, want 52 (login, re-login, 50 GETs)", s.Attempts)
	}
}

func TestDecodeJWTIgnoresNonJWT(t *testing.T) {
	if _, ok := decodeJWT("not-a-jwt"); ok {
		t.Fatal("decoded a non-JWT")
	}
	claims, ok := decodeJWT(makeToken(testAccountID, time.Unix(2000000000, 0), 1))
	if !ok || claims.AccountID != testAccountID || int64(claims.Exp) != 2000000000 {
		t.Fatalf("claims = %+v ok=%v", claims, ok)
	}
}

// forceRenewal puts the client's token inside its renewal window (close to
// exp, still valid), as an hour-long apply would.
func forceRenewal(c *Client) {
	c.auth.mu.Lock()
	defer c.auth.mu.Unlock()
	c.auth.renewAt = time.Now().Add(-time.Second)
}

func TestTokenCloseToExpiryIsRefreshedOnce(t *testing.T) {
	f := newFakeCrossbar(t)
	c := f.client(t, nil)
	if err := c.Login(ctxT(t)); err != nil {
		t.Fatal(err)
	}
	forceRenewal(c)
	var wg sync.WaitGroup
	for range 50 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			if _, err := c.Get(ctxT(t), AccountPath(testAccountID), nil); err != nil {
				t.Error(err)
			}
		}()
	}
	wg.Wait()
	f.mu.Lock()
	refreshes, logins := f.refreshes, f.logins
	f.mu.Unlock()
	if refreshes != 1 || logins != 1 {
		t.Fatalf("refreshes = %d, logins = %d; want one refresh and no second login", refreshes, logins)
	}
	if s := c.Stats(); s.Refreshes != 1 || s.Logins != 1 {
		t.Fatalf("Stats = %+v", s)
	}
}

func TestFailedRefreshFallsBackToLogin(t *testing.T) {
	f := newFakeCrossbar(t)
	f.refuseRefresh = true
	c := f.client(t, nil)
	if err := c.Login(ctxT(t)); err != nil {
		t.Fatal(err)
	}
	forceRenewal(c)
	if _, err := c.Get(ctxT(t), AccountPath(testAccountID), nil); err != nil {
		t.Fatal(err)
	}
	f.mu.Lock()
	defer f.mu.Unlock()
	if f.refreshes != 1 || f.logins != 2 {
		t.Fatalf("refreshes = %d, logins = %d; want a refused refresh, then a login", f.refreshes, f.logins)
	}
}
