package client

import (
	"context"
	"crypto/md5" //nolint:gosec // KAZOO's user_auth defines the credentials hash as md5
	"encoding/base64"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"strings"
	"sync"
	"time"
)

// authState is the token shared by every request of a client.
type authState struct {
	mu        sync.Mutex
	token     string
	renewAt   time.Time // zero: unknown expiry, rely on 401
	expiresAt time.Time
	accountID string
	flight    *loginFlight // the login in progress, if any
	// refused is a login the server refused for good (bad credentials, wrong
	// account): later requests fail with it instead of logging in again,
	// since every login costs 35 of KAZOO's rate-limit tokens.
	refused  error
	verified bool // a pre-made or cached token was checked against the server
	cached   bool // the token came from the token cache
}

// loginFlight is one login that concurrent requests wait for.
type loginFlight struct {
	done  chan struct{}
	token string
	err   error
}

// jwtClaims are the JWT claims the client reads. The signature is not
// verified: the server does that; the client only needs exp and account_id.
type jwtClaims struct {
	AccountID string  `json:"account_id"`
	OwnerID   string  `json:"owner_id"`
	Exp       float64 `json:"exp"`
}

// decodeJWT reads a JWT's payload without verifying it; ok is false when the
// token is not a JWT.
func decodeJWT(token string) (claims jwtClaims, ok bool) {
	parts := strings.Split(token, ".")
	if len(parts) != 3 {
		return claims, false
	}
	payload, err := base64.RawURLEncoding.DecodeString(strings.TrimRight(parts[1], "="))
	if err != nil {
		return claims, false
	}
	if json.Unmarshal(payload, &claims) != nil {
		return claims, false
	}
	return claims, true
}

// expiry returns when to renew a token issued now, and when it expires.
// Tokens are renewed a little early (a tenth of their lifetime, at most 30 s)
// so that a request does not leave with a token about to die. A token that
// already looks expired when issued means the clocks disagree: its exp is
// then ignored and only 401 answers trigger a new login.
func expiry(token string, now time.Time) (renewAt, expiresAt time.Time) {
	claims, ok := decodeJWT(token)
	if !ok || claims.Exp <= 0 {
		return time.Time{}, time.Time{}
	}
	expiresAt = time.Unix(int64(claims.Exp), 0)
	lifetime := expiresAt.Sub(now)
	if lifetime <= 0 {
		return time.Time{}, expiresAt
	}
	return expiresAt.Add(-min(lifetime/10, 30*time.Second)), expiresAt
}

// adoptToken installs a pre-made token, learning the account from its claims.
func (c *Client) adoptToken(token string) error {
	claims, ok := decodeJWT(token)
	if ok && claims.Exp > 0 && time.Now().After(time.Unix(int64(claims.Exp), 0)) {
		return &LoginError{Method: methodToken, Reason: ErrTokenExpired,
			Detail: fmt.Sprintf("the auth token expired at %s; supply a new token, or configure an API key or a username and password so the provider can log in by itself",
				time.Unix(int64(claims.Exp), 0).UTC().Format(time.RFC3339))}
	}
	switch {
	case ok && claims.AccountID != "" && c.auth.accountID != "" && claims.AccountID != c.auth.accountID:
		return &LoginError{Method: methodToken, Reason: ErrAccountMismatch,
			Detail: fmt.Sprintf("the auth token belongs to account %s, not to the configured account %s", claims.AccountID, c.auth.accountID)}
	case ok && claims.AccountID != "" && c.auth.accountID == "":
		c.auth.accountID = claims.AccountID
	case c.auth.accountID == "":
		return errors.New("an account ID is required with an auth token that does not name its account")
	}
	c.auth.token = token
	if ok && claims.Exp > 0 {
		c.auth.expiresAt = time.Unix(int64(claims.Exp), 0)
	}
	return nil
}

// token returns the shared token, logging in when there is none or it is
// about to expire.
func (c *Client) token(ctx context.Context) (string, error) {
	c.auth.mu.Lock()
	tok, renewAt, expiresAt := c.auth.token, c.auth.renewAt, c.auth.expiresAt
	c.auth.mu.Unlock()
	now := time.Now()
	if c.method == methodToken {
		if !expiresAt.IsZero() && now.After(expiresAt) {
			return "", c.tokenRejected(nil)
		}
		return tok, nil
	}
	if tok != "" && (renewAt.IsZero() || now.Before(renewAt)) {
		return tok, nil
	}
	return c.renew(ctx, tok, true)
}

// renew logs in again unless another request already replaced the stale
// token. However many requests call it at once, one login is made: the
// others wait for it and share its result. A stale token the server has not
// refused (it is only close to its exp) is first refreshed, which costs one
// of KAZOO's rate-limit tokens instead of a login's 35.
func (c *Client) renew(ctx context.Context, stale string, refreshable bool) (string, error) {
	for {
		c.auth.mu.Lock()
		if c.auth.token != "" && c.auth.token != stale {
			tok := c.auth.token
			c.auth.mu.Unlock()
			return tok, nil
		}
		if c.auth.refused != nil {
			err := c.auth.refused
			c.auth.mu.Unlock()
			return "", err
		}
		if f := c.auth.flight; f != nil {
			c.auth.mu.Unlock()
			select {
			case <-f.done:
			case <-ctx.Done():
				return "", ctx.Err()
			}
			if f.err == nil {
				return f.token, nil
			}
			// The leader's context may have ended; ours has not: try ourselves.
			if errors.Is(f.err, context.Canceled) || errors.Is(f.err, context.DeadlineExceeded) {
				continue
			}
			return "", f.err
		}
		f := &loginFlight{done: make(chan struct{})}
		c.auth.flight = f
		c.auth.mu.Unlock()

		f.token, f.err = c.obtain(ctx, stale, refreshable)

		c.auth.mu.Lock()
		c.auth.flight = nil
		if errors.Is(f.err, ErrInvalidCredentials) || errors.Is(f.err, ErrAccountMismatch) || errors.Is(f.err, ErrLocked) {
			c.auth.refused = f.err
		}
		c.auth.mu.Unlock()
		close(f.done)
		return f.token, f.err
	}
}

// Login logs in now, so that bad credentials and an unreachable server fail
// fast, once, at configuration. A token it did not get by logging in itself (a
// pre-made one, or one from the token cache) it proves by reading the account
// once: one request instead of a login's 35 bucket tokens. A cached token the
// server refuses is replaced by a login there and then.
func (c *Client) Login(ctx context.Context) error {
	if _, err := c.token(ctx); err != nil {
		return err
	}
	c.auth.mu.Lock()
	verify := (c.method == methodToken || c.auth.cached) && !c.auth.verified
	c.auth.mu.Unlock()
	if !verify {
		return nil
	}
	_, err := c.Get(ctx, AccountPath(c.AccountID()), nil)
	var apiErr *Error
	if c.method == methodToken && errors.As(err, &apiErr) && (apiErr.StatusCode == http.StatusForbidden || apiErr.StatusCode == http.StatusNotFound) {
		return &LoginError{Method: methodToken, Reason: ErrAccountMismatch, Err: apiErr,
			Detail: fmt.Sprintf("the auth token may not read account %s; it belongs to another account", c.AccountID())}
	}
	if err != nil {
		return err
	}
	c.auth.mu.Lock()
	c.auth.verified = true
	c.auth.mu.Unlock()
	return nil
}

// tokenRejected is the error for a pre-made token the server refuses or
// that has expired: it cannot be renewed.
func (c *Client) tokenRejected(apiErr *Error) error {
	c.auth.mu.Lock()
	expiresAt := c.auth.expiresAt
	c.auth.mu.Unlock()
	le := &LoginError{Method: methodToken, Reason: ErrInvalidCredentials,
		Detail: "KAZOO does not accept the auth token (expired or revoked); supply a new token, or configure an API key or a username and password so the provider can log in by itself"}
	if !expiresAt.IsZero() && time.Now().After(expiresAt) {
		le.Reason = ErrTokenExpired
		le.Detail = fmt.Sprintf("the auth token expired at %s; supply a new token, or configure an API key or a username and password so the provider can log in by itself",
			expiresAt.UTC().Format(time.RFC3339))
	}
	if apiErr != nil {
		le.Err = apiErr
	}
	return le
}

// obtain gets a new token: by refreshing a still-valid one, else by login.
func (c *Client) obtain(ctx context.Context, stale string, refreshable bool) (string, error) {
	c.auth.mu.Lock()
	expiresAt := c.auth.expiresAt
	c.auth.mu.Unlock()
	// Leave a margin: a refresh that arrives after exp is refused anyway.
	if refreshable && stale != "" && !expiresAt.IsZero() && time.Now().Add(2*time.Second).Before(expiresAt) {
		tok, err := c.refresh(ctx, stale)
		if err == nil {
			return tok, nil
		}
		if ctx.Err() != nil {
			return "", ctx.Err()
		}
		c.log(ctx, LevelDebug, "KAZOO token refresh failed; logging in again", map[string]any{"error": err.Error()})
	}
	return c.login(ctx)
}

// refresh exchanges a still-valid token for a new one (PUT /v2/auth with
// action refresh_token).
func (c *Client) refresh(ctx context.Context, stale string) (string, error) {
	c.stats.refresh()
	env, err := c.send(ctx, &Request{Method: http.MethodPut, Path: "/v2/auth", Data: map[string]any{},
		Envelope: map[string]any{"action": "refresh_token"}, Idempotent: true, AcceptCharges: new(bool)}, stale)
	if err != nil {
		return "", err
	}
	if env.AuthToken == "" || env.AuthToken == "undefined" || env.AuthToken == stale {
		return "", errors.New("the refresh answer carries no new token")
	}
	if claims, ok := decodeJWT(env.AuthToken); ok && claims.AccountID != "" && claims.AccountID != c.AccountID() {
		return "", errors.New("the refreshed token belongs to another account")
	}
	renewAt, expiresAt := expiry(env.AuthToken, time.Now())
	c.auth.mu.Lock()
	c.auth.token, c.auth.renewAt, c.auth.expiresAt = env.AuthToken, renewAt, expiresAt
	c.auth.mu.Unlock()
	c.cacheToken(ctx, env.AuthToken, expiresAt)
	return env.AuthToken, nil
}

// login exchanges the configured credentials for a token.
func (c *Client) login(ctx context.Context) (string, error) {
	var path string
	var data map[string]any
	switch c.method {
	case methodAPIKey:
		path = "/v2/api_auth"
		data = map[string]any{"api_key": c.cfg.APIKey}
	case methodCredentials:
		path = "/v2/user_auth"
		data = map[string]any{"credentials": c.credentialsHash, "method": "md5"}
		switch {
		case c.cfg.AccountName != "":
			data["account_name"] = c.cfg.AccountName
		case c.cfg.AccountRealm != "":
			data["account_realm"] = c.cfg.AccountRealm
		case c.cfg.PhoneNumber != "":
			data["phone_number"] = c.cfg.PhoneNumber
		}
	default:
		return "", c.tokenRejected(nil)
	}
	c.stats.login()
	c.log(ctx, LevelDebug, "KAZOO login", map[string]any{"path": path, "auth_method": c.method})

	// A login changes nothing on the server, so it is safe to retry.
	env, err := c.send(ctx, &Request{Method: http.MethodPut, Path: path, Data: data, Idempotent: true,
		AcceptCharges: new(bool), login: true}, "")
	if err != nil {
		return "", c.loginFailed(err)
	}
	if env.AuthToken == "" || env.AuthToken == "undefined" {
		return "", &LoginError{Method: c.method, Reason: ErrInvalidCredentials,
			Detail: "the server answered without an auth_token; is the URL a Crossbar API?"}
	}
	var who struct {
		AccountID string `json:"account_id"`
	}
	_ = json.Unmarshal(env.Data, &who)
	if who.AccountID == "" {
		if claims, ok := decodeJWT(env.AuthToken); ok {
			who.AccountID = claims.AccountID
		}
	}

	now := time.Now()
	renewAt, expiresAt := expiry(env.AuthToken, now)
	if configured := c.cfg.AccountID; configured != "" && who.AccountID != "" && who.AccountID != configured {
		return "", &LoginError{Method: c.method, Reason: ErrAccountMismatch,
			Detail: fmt.Sprintf("the credentials belong to account %s, not to the configured account %s", who.AccountID, configured)}
	}
	c.auth.mu.Lock()
	if c.auth.accountID == "" {
		c.auth.accountID = who.AccountID
	}
	c.auth.token, c.auth.renewAt, c.auth.expiresAt = env.AuthToken, renewAt, expiresAt
	c.auth.mu.Unlock()
	c.cacheToken(ctx, env.AuthToken, expiresAt)
	return env.AuthToken, nil
}

// cacheToken keeps a new token in the token cache, when there is one.
func (c *Client) cacheToken(ctx context.Context, token string, expiresAt time.Time) {
	if c.cache == nil {
		return
	}
	if err := c.cache.store(cachedToken{Token: token, AccountID: c.AccountID(), ExpiresAt: expiresAt}); err != nil {
		c.log(ctx, LevelWarn, "KAZOO token cache not written", map[string]any{"error": err.Error()})
	}
}

// adoptCached installs the cached token of an earlier process, unless it
// belongs to another account than the configured one.
func (c *Client) adoptCached() {
	now := time.Now()
	ct, ok := c.cache.load(now)
	if !ok {
		return
	}
	account := ct.AccountID
	if claims, isJWT := decodeJWT(ct.Token); isJWT && claims.AccountID != "" {
		account = claims.AccountID
	}
	if account == "" || (c.auth.accountID != "" && account != c.auth.accountID) {
		return
	}
	renewAt, expiresAt := expiry(ct.Token, now)
	if expiresAt.IsZero() {
		expiresAt = ct.ExpiresAt
		renewAt = expiresAt.Add(-cacheMargin)
	}
	c.auth.accountID = account
	c.auth.token, c.auth.renewAt, c.auth.expiresAt = ct.Token, renewAt, expiresAt
	c.auth.cached = true
}

// loginFailed turns the server's answer to a login into a LoginError where it
// is about the credentials; other failures (unreachable server, a URL that
// is not Crossbar) are returned as they are.
func (c *Client) loginFailed(err error) error {
	var apiErr *Error
	if !errors.As(err, &apiErr) {
		return err
	}
	// KAZOO echoes an unknown API key back in data: never carry it on.
	apiErr.Data, apiErr.Body, apiErr.Validation = nil, "", nil
	switch {
	case apiErr.StatusCode == http.StatusUnauthorized,
		// KAZOO answers an unknown API key with 404 bad_identifier.
		apiErr.StatusCode == http.StatusNotFound && apiErr.kind() == "bad_identifier",
		// A malformed key fails api_auth's schema (64 characters).
		apiErr.StatusCode == http.StatusBadRequest:
		detail := "KAZOO does not know this API key"
		if c.method == methodCredentials {
			detail = "KAZOO rejected the username and password for " + c.accountSelector()
		}
		return &LoginError{Method: c.method, Reason: ErrInvalidCredentials, Detail: detail, Err: apiErr}
	case apiErr.StatusCode == http.StatusLocked:
		return &LoginError{Method: c.method, Reason: ErrLocked, Detail: "the account is expired or disabled", Err: apiErr}
	}
	return err
}

func (c *Client) accountSelector() string {
	switch {
	case c.cfg.AccountName != "":
		return fmt.Sprintf("account name %q", c.cfg.AccountName)
	case c.cfg.AccountRealm != "":
		return fmt.Sprintf("account realm %q", c.cfg.AccountRealm)
	}
	return fmt.Sprintf("phone number %q", c.cfg.PhoneNumber)
}

// Credentials returns KAZOO's user_auth credentials: the hex md5 of
// "username:password".
func Credentials(username, password string) string {
	sum := md5.Sum([]byte(username + ":" + password)) //nolint:gosec // KAZOO's protocol
	return hex.EncodeToString(sum[:])
}
