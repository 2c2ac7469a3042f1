package client

import (
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"time"
)

// The token cache keeps the token of a login in a file of the user's cache
// directory, so that the next provider process of a run (Terraform starts one
// per graph walk, each would log in and pay a login's 35 rate-limit tokens)
// reuses it. The file is named after a hash of the server URL, the account
// and a hash of the credential, never the credential itself; it is readable
// by its owner only. A token is reused until cacheMargin before its exp; a
// token the server refuses is dropped from the cache and replaced by one
// fresh login.
const cacheMargin = 2 * time.Minute

// cachedToken is the file's content.
type cachedToken struct {
	Token     string    `json:"token"`
	AccountID string    `json:"account_id"`
	ExpiresAt time.Time `json:"expires_at"`
}

type tokenCache struct {
	path string
}

// DefaultTokenCacheDir is where tokens are kept: os.UserCacheDir() (which
// honours XDG_CACHE_HOME) followed by kazoo-tf/tokens.
func DefaultTokenCacheDir() (string, error) {
	dir, err := os.UserCacheDir()
	if err != nil {
		return "", fmt.Errorf("no cache directory for the token cache: %w", err)
	}
	return filepath.Join(dir, "kazoo-tf", "tokens"), nil
}

// newTokenCache names the file of one server, account and credential. The
// credential enters only through a hash of it.
func newTokenCache(dir, baseURL, accountID, method, credential string) (*tokenCache, error) {
	if dir == "" {
		d, err := DefaultTokenCacheDir()
		if err != nil {
			return nil, err
		}
		dir = d
	}
	cred := sha256.Sum256([]byte(credential))
	key := sha256.Sum256([]byte(baseURL + "\x00" + accountID + "\x00" + method + "\x00" + hex.EncodeToString(cred[:])))
	return &tokenCache{path: filepath.Join(dir, hex.EncodeToString(key[:16])+".json")}, nil
}

// cacheCredential is what identifies the configured credential for the
// cache key: the API key, or the user_auth hash with the account selector.
func (c *Client) cacheCredential() string {
	switch c.method {
	case methodAPIKey:
		return c.cfg.APIKey
	case methodCredentials:
		return c.credentialsHash + "\x00" + c.cfg.AccountName + "\x00" + c.cfg.AccountRealm + "\x00" + c.cfg.PhoneNumber
	}
	return ""
}

// load returns the cached token when it is still good for cacheMargin.
func (tc *tokenCache) load(now time.Time) (cachedToken, bool) {
	raw, err := os.ReadFile(tc.path)
	if err != nil {
		return cachedToken{}, false
	}
	var ct cachedToken
	if json.Unmarshal(raw, &ct) != nil || ct.Token == "" || ct.ExpiresAt.IsZero() || now.Add(cacheMargin).After(ct.ExpiresAt) {
		return cachedToken{}, false
	}
	return ct, true
}

// store writes the token atomically, readable by its owner only.
func (tc *tokenCache) store(ct cachedToken) error {
	if ct.ExpiresAt.IsZero() {
		return nil // a token without exp cannot be known to be good later
	}
	dir := filepath.Dir(tc.path)
	if err := os.MkdirAll(dir, 0o700); err != nil {
		return err
	}
	raw, err := json.Marshal(ct)
	if err != nil {
		return err
	}
	f, err := os.CreateTemp(dir, ".token-*")
	if err != nil {
		return err
	}
	tmp := f.Name()
	_, werr := f.Write(raw)
	cerr := f.Close()
	if err := errors.Join(werr, cerr, os.Chmod(tmp, 0o600)); err != nil {
		_ = os.Remove(tmp)
		return err
	}
	if err := os.Rename(tmp, tc.path); err != nil {
		_ = os.Remove(tmp)
		return err
	}
	return nil
}

// drop removes the cached token if it is still refused, the one the server refused: a
// concurrent request that was refused the same token must not remove the token the first one
// has just obtained and cached.
func (tc *tokenCache) drop(refused string) {
	if ct, ok := tc.load(time.Now()); ok && ct.Token != refused {
		return
	}
	_ = os.Remove(tc.path)
}
