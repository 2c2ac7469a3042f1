package client

import (
	"errors"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"
)

func okDevice(w http.ResponseWriter, _ *http.Request, _ []byte) {
	writeJSON(w, http.StatusOK, map[string]any{"data": map[string]any{"id": "d"}})
}

// TestTokenCacheOneLoginAcrossClients: the first client logs in and keeps
// the token in a file only its owner can read, named without the key; the
// next clients (the next Terraform commands) reuse it without logging in.
func TestTokenCacheOneLoginAcrossClients(t *testing.T) {
	f := newFakeCrossbar(t)
	f.handle = okDevice
	dir := t.TempDir()
	cached := func(cfg *Config) { cfg.TokenCache, cfg.TokenCacheDir = true, dir }
	for i := range 3 {
		c := f.client(t, cached)
		if err := c.Login(ctxT(t)); err != nil {
			t.Fatal(err)
		}
		if _, err := c.Get(ctxT(t), AccountPath(testAccountID, "devices", "d"), nil); err != nil {
			t.Fatalf("client %d: %v", i, err)
		}
	}
	if n := f.loginCount(); n != 1 {
		t.Fatalf("%d logins for three clients, want 1", n)
	}
	files, _ := filepath.Glob(filepath.Join(dir, "*"))
	if len(files) != 1 {
		t.Fatalf("cache files: %v", files)
	}
	st, err := os.Stat(files[0])
	if err != nil {
		t.Fatal(err)
	}
	if st.Mode().Perm() != 0o600 {
		t.Fatalf("cache file mode %v, want 0600", st.Mode().Perm())
	}
	raw, _ := os.ReadFile(files[0])
	if strings.Contains(string(raw), testAPIKey) || strings.Contains(files[0], testAPIKey[:16]) {
		t.Fatal("the API key is in the cache")
	}
	// Another credential, account or server has its own entry.
	other := f.client(t, func(cfg *Config) {
		cached(cfg)
		cfg.Username, cfg.Password, cfg.AccountName, cfg.APIKey = testUser, testPassword, testAccount, ""
	})
	if err := other.Login(ctxT(t)); err != nil {
		t.Fatal(err)
	}
	if n := f.loginCount(); n != 2 {
		t.Fatalf("user credentials reused the API key's token (%d logins)", n)
	}
}

// revokedCache logs in once with a token cache, then revokes the token: the cache holds a
// token the server refuses. It returns the server and the option that uses that cache.
func revokedCache(t *testing.T) (*fakeCrossbar, func(*Config)) {
	f := newFakeCrossbar(t)
	f.handle = okDevice
	dir := t.TempDir()
	cached := func(cfg *Config) { cfg.TokenCache, cfg.TokenCacheDir = true, dir }
	if err := f.client(t, cached).Login(ctxT(t)); err != nil {
		t.Fatal(err)
	}
	f.revokeAll()
	return f, cached
}

// TestTokenCacheRevokedTokenOneLogin: a cached token the server no longer
// accepts is dropped and replaced by exactly one login; the request succeeds.
func TestTokenCacheRevokedTokenOneLogin(t *testing.T) {
	f, cached := revokedCache(t)
	c := f.client(t, cached)
	if err := c.Login(ctxT(t)); err != nil {
		t.Fatal(err)
	}
	if _, err := c.Get(ctxT(t), AccountPath(testAccountID, "devices", "d"), nil); err != nil {
		t.Fatal(err)
	}
	if n := f.loginCount(); n != 2 {
		t.Fatalf("%d logins, want 2 (the first, then one after the revocation)", n)
	}
	// The new token was cached: a third client does not log in.
	c3 := f.client(t, cached)
	if _, err := c3.Get(ctxT(t), AccountPath(testAccountID, "devices", "d"), nil); err != nil {
		t.Fatal(err)
	}
	if n := f.loginCount(); n != 2 {
		t.Fatalf("%d logins after the new token was cached, want 2", n)
	}
}

// TestTokenCacheLoginChecksTheServer: with a cached token, Login still finds out at once
// that the server is gone (so that the provider reports it once, at configuration, and not
// once per resource), at the price of one read instead of a login.
func TestTokenCacheLoginChecksTheServer(t *testing.T) {
	f := newFakeCrossbar(t)
	dir := t.TempDir()
	cached := func(cfg *Config) { cfg.TokenCache, cfg.TokenCacheDir = true, dir }
	if err := f.client(t, cached).Login(ctxT(t)); err != nil {
		t.Fatal(err)
	}
	c := f.client(t, cached)
	if err := c.Login(ctxT(t)); err != nil {
		t.Fatal(err)
	}
	if n, reads := f.loginCount(), f.count("GET "+AccountPath(testAccountID)); n != 1 || reads != 1 {
		t.Fatalf("%d logins and %d reads of the account for a cached token, want 1 and 1", n, reads)
	}
	f.srv.Close()
	err := f.client(t, func(cfg *Config) { cached(cfg); cfg.MaxRetries = -1 }).Login(ctxT(t))
	if !errors.Is(err, ErrUnreachable) {
		t.Fatalf("Login with a cached token and no server: %v, want ErrUnreachable", err)
	}
}

// TestTokenCacheHonoursXDGCacheHome: the default place is the user's cache
// directory.
func TestTokenCacheHonoursXDGCacheHome(t *testing.T) {
	dir := t.TempDir()
	t.Setenv("XDG_CACHE_HOME", dir)
	got, err := DefaultTokenCacheDir()
	if err != nil {
		t.Fatal(err)
	}
	if want := filepath.Join(dir, "kazoo-tf", "tokens"); got != want {
		t.Fatalf("DefaultTokenCacheDir = %q, want %q", got, want)
	}
}

// TestTokenCacheConcurrentRefusals: requests refused the same cached token at once make one
// login, and the new token stays cached (a late refusal does not remove it).
func TestTokenCacheConcurrentRefusals(t *testing.T) {
	f, cached := revokedCache(t)
	c := f.client(t, cached)
	var wg sync.WaitGroup
	for range 10 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			if _, err := c.Get(ctxT(t), AccountPath(testAccountID, "devices", "d"), nil); err != nil {
				t.Error(err)
			}
		}()
	}
	wg.Wait()
	if n := f.loginCount(); n != 2 {
		t.Fatalf("%d logins, want 2", n)
	}
	if _, ok := c.cache.load(time.Now()); !ok {
		t.Fatal("the new token is not in the cache")
	}
}
