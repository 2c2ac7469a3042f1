package kazoosim

import (
	"bytes"
	"crypto/md5"
	"crypto/sha1"
	"encoding/base64"
	"encoding/hex"
	"errors"
	"io"
	"net/http"
	"strings"
	"time"

	"github.com/golang-jwt/jwt/v5"

	"github.com/kazoo-community/terraform-provider-kazoo/internal/kazooschema"
)

// loginCost is what api_auth and user_auth take from the rate-limit bucket (api_auth_tokens).
const loginCost = 35

// authInfo is who a request authenticated as.
type authInfo struct {
	accountID  string
	ownerID    string
	method     string
	superduper bool
}

// tokenClaims are the claims of the JWTs the simulator issues, named as KAZOO names them.
type tokenClaims struct {
	AccountID string `json:"account_id"`
	OwnerID   string `json:"owner_id,omitempty"`
	Method    string `json:"method"`
	jwt.RegisteredClaims
}

func (s *Server) loadSigningKey() error {
	if k, ok := s.st.getMeta("jwt_key"); ok && len(k) >= 32 {
		s.key = k
		return nil
	}
	k, err := hex.DecodeString(randomHex(32))
	if err != nil {
		return err
	}
	s.key = k
	return s.st.putMeta("jwt_key", k)
}

func (s *Server) issueToken(accountID, ownerID, method string) (string, error) {
	now := time.Now()
	claims := tokenClaims{
		AccountID: accountID,
		OwnerID:   ownerID,
		Method:    method,
		RegisteredClaims: jwt.RegisteredClaims{
			Issuer:    "kazoo",
			IssuedAt:  jwt.NewNumericDate(now),
			ExpiresAt: jwt.NewNumericDate(now.Add(s.tokenTTL(accountID, method))),
			ID:        randomHex(8),
		},
	}
	return jwt.NewWithClaims(jwt.SigningMethodHS256, claims).SignedString(s.key)
}

// authenticate checks the request's token (X-Auth-Token, then ?auth_token=, then the envelope's
// auth_token) or Basic credentials, the order of api_util:get_auth_token/2.
func (s *Server) authenticate(rc *reqCtx) *apiError {
	tok := rc.r.Header.Get("X-Auth-Token")
	if tok == "" {
		tok = rc.query.Get("auth_token")
	}
	if tok == "" && rc.r.Body != nil && rc.r.ContentLength != 0 {
		tok = peekEnvelopeToken(rc.r)
	}
	if tok == "" {
		if h := rc.r.Header.Get("Authorization"); strings.HasPrefix(h, "Basic ") {
			return s.basicAuth(rc, strings.TrimPrefix(h, "Basic "))
		}
		return errUnauthorized
	}
	rc.token = tok
	var claims tokenClaims
	_, err := jwt.ParseWithClaims(tok, &claims, func(t *jwt.Token) (any, error) {
		return s.key, nil
	}, jwt.WithValidMethods([]string{"HS256"}), jwt.WithIssuer("kazoo"), jwt.WithExpirationRequired())
	if err != nil {
		if errors.Is(err, jwt.ErrTokenExpired) {
			return errExpired
		}
		return errUnauthorized
	}
	acct, ok := s.account(claims.AccountID)
	if !ok {
		return errUnauthorized
	}
	if h := rc.r.Header.Get("X-Auth-Account-ID"); h != "" && h != claims.AccountID {
		return &apiError{401, "invalid_credentials", map[string]any{"message": "account header mismatch"}}
	}
	rc.auth = &authInfo{
		accountID:  claims.AccountID,
		ownerID:    claims.OwnerID,
		method:     claims.Method,
		superduper: acct["pvt_superduper_admin"] == true,
	}
	return nil
}

// peekEnvelopeToken reads the body for a top-level or data auth_token and puts it back.
func peekEnvelopeToken(r *http.Request) string {
	if env := peekEnvelope(r); env != nil {
		return env.AuthToken
	}
	return ""
}

// peekEnvelope decodes the request body without consuming it; nil when it is no envelope.
func peekEnvelope(r *http.Request) *envelope {
	body, err := io.ReadAll(io.LimitReader(r.Body, maxUploadSize+1))
	r.Body = io.NopCloser(bytes.NewReader(body))
	if err != nil {
		return nil
	}
	env, e := readEnvelope(&http.Request{Body: io.NopCloser(bytes.NewReader(body))})
	if e != nil {
		return nil
	}
	return env
}

// basicAuth checks "Basic base64(account_id:md5(username:password))" (cb_basic_auth).
func (s *Server) basicAuth(rc *reqCtx, value string) *apiError {
	raw, err := base64.StdEncoding.DecodeString(value)
	if err != nil {
		return errUnauthorized
	}
	acctID, hash, ok := strings.Cut(string(raw), ":")
	if !ok || !hex32.MatchString(acctID) {
		return errUnauthorized
	}
	acct, found := s.account(acctID)
	if !found {
		return errUnauthorized
	}
	user := s.findUserByHash(acctID, strings.ToLower(hash), "md5")
	if user == nil {
		user = s.findUserByHash(acctID, strings.ToLower(hash), "sha")
	}
	if user == nil {
		return errUnauthorized
	}
	rc.auth = &authInfo{accountID: acctID, ownerID: str(user["_id"]), method: "cb_basic_auth",
		superduper: acct["pvt_superduper_admin"] == true}
	return nil
}

func (s *Server) findUserByHash(acctID, hash, method string) Doc {
	field := "pvt_md5_auth"
	if method == "sha" {
		field = "pvt_sha1_auth"
	}
	var found Doc
	s.st.each(acctID, func(u Doc) bool {
		if u["pvt_type"] == "user" && u["pvt_deleted"] != true && u[field] == hash && u["enabled"] != false {
			found = u
			return false
		}
		return true
	})
	return found
}

// authorizeAccount allows a token into its own account and its descendants; the master
// account's (superduper admin) tokens reach every account.
func (s *Server) authorizeAccount(rc *reqCtx, target string) *apiError {
	if rc.auth == nil {
		return errUnauthorized
	}
	if rc.auth.accountID == target {
		return nil
	}
	acct, ok := s.account(target)
	if !ok {
		if rc.auth.superduper {
			return nil // the handler answers 404
		}
		return errForbidden
	}
	if rc.auth.superduper {
		return nil
	}
	for _, a := range strSlice(acct["pvt_tree"]) {
		if a == rc.auth.accountID {
			return nil
		}
	}
	return errForbidden
}

func (s *Server) authResponse(acct Doc, ownerID string) Doc {
	id := str(acct["_id"])
	data := Doc{
		"account_id":        id,
		"account_name":      acct["name"],
		"apps":              []any{},
		"language":          firstNonEmpty(str(acct["language"]), "en-us"),
		"is_reseller":       acct["pvt_reseller"] == true,
		"is_master_account": id == s.masterID,
		"reseller_id":       s.resellerOf(acct),
		"capabilities":      Doc{},
		"cluster_id":        s.node,
		"ui_config":         Doc{},
	}
	if ownerID != "" {
		data["owner_id"] = ownerID
	}
	return data
}

// chargeLogin takes a login's cost from the bucket of requests that name no account, before
// the credentials are even read (cb_api_auth/cb_user_auth consume_tokens/1); it answers false,
// after a 429, when the bucket is empty.
func (s *Server) chargeLogin(rc *reqCtx) bool {
	if !s.limiter.allowUntil(clientIP(rc.r)+"/"+noAccount, loginCost) {
		s.fail(rc, errTooMany)
		return false
	}
	return true
}

// handleAPIAuth is PUT /v2/api_auth.
func (s *Server) handleAPIAuth(rc *reqCtx, method string) {
	if method != http.MethodPut {
		s.fail(rc, errMethod)
		return
	}
	if !s.chargeLogin(rc) {
		return
	}
	env, e := readEnvelope(rc.r)
	if e != nil {
		s.fail(rc, e)
		return
	}
	// cb_api_auth:validate/1 validates the request against the api_auth schema first (a
	// missing or short key is 400), then on_successful_validation/1 looks the key up.
	data, _ := env.Data.(map[string]any)
	if data == nil {
		data = Doc{}
	}
	if errs, err := kazooschema.Validate("api_auth", publicFields(data)); err == nil && errs != nil {
		s.fail(rc, validationError(errs))
		return
	}
	key := str(data["api_key"])
	if key == "" {
		s.fail(rc, errUnauthorized)
		return
	}
	s.stats.login()
	var acct Doc
	for _, a := range s.st.shared(accountsDB) {
		if a["pvt_deleted"] != true && a["pvt_api_key"] == key {
			acct = a
			break
		}
	}
	if acct == nil {
		s.fail(rc, &apiError{404, "bad identifier", []any{key}})
		return
	}
	s.issueAndReply(rc, acct, "", "cb_api_auth")
}

func (s *Server) issueAndReply(rc *reqCtx, acct Doc, ownerID, method string) {
	if acct["pvt_enabled"] == false || acct["enabled"] == false {
		s.fail(rc, &apiError{423, "locked", map[string]any{"account": map[string]any{"disabled": map[string]any{"message": "account is disabled"}}}})
		return
	}
	tok, err := s.issueToken(str(acct["_id"]), ownerID, method)
	if err != nil {
		s.fail(rc, errFault)
		return
	}
	rc.token = tok
	s.reply(rc, http.StatusCreated, s.authResponse(acct, ownerID), "")
}

// handleUserAuth is PUT /v2/user_auth: credentials are md5 (or sha1 with method "sha") of
// "username:password", and the account is found by phone number, realm or name, in that order.
func (s *Server) handleUserAuth(rc *reqCtx, method string) {
	if method != http.MethodPut {
		s.fail(rc, errMethod)
		return
	}
	if !s.chargeLogin(rc) {
		return
	}
	env, e := readEnvelope(rc.r)
	if e != nil {
		s.fail(rc, e)
		return
	}
	data, _ := env.Data.(map[string]any)
	if errs, err := kazooschema.Validate("user_auth", data); err == nil && errs != nil {
		s.fail(rc, validationError(errs))
		return
	}
	s.stats.login()
	creds := strings.ToLower(str(data["credentials"]))
	hashMethod := firstNonEmpty(str(data["method"]), str(env.raw["method"]), "md5")
	var candidates []Doc
	accounts := s.liveAccounts()
	if pn := str(data["phone_number"]); pn != "" {
		for _, a := range accounts {
			if _, ok := s.st.getRaw(str(a["_id"]), pn); ok {
				candidates = append(candidates, a)
			}
		}
	}
	if realm := firstNonEmpty(str(data["account_realm"]), str(data["realm"])); realm != "" && len(candidates) == 0 {
		for _, a := range accounts {
			if strings.EqualFold(str(a["realm"]), realm) {
				candidates = append(candidates, a)
			}
		}
	}
	if name := str(data["account_name"]); name != "" && len(candidates) == 0 {
		for _, a := range accounts {
			if normalizeName(str(a["name"])) == normalizeName(name) {
				candidates = append(candidates, a)
			}
		}
	}
	for _, a := range candidates {
		if u := s.findUserByHash(str(a["_id"]), creds, hashMethod); u != nil {
			s.issueAndReply(rc, a, str(u["_id"]), "cb_user_auth")
			return
		}
	}
	s.fail(rc, errUnauthorized)
}

// handleAuthRefresh is PUT /v2/auth {"action":"refresh_token"}: a new token for the same
// identity.
func (s *Server) handleAuthRefresh(rc *reqCtx, method string) {
	if method != http.MethodPut {
		s.fail(rc, errMethod)
		return
	}
	env, e := readEnvelope(rc.r)
	if e != nil {
		s.fail(rc, e)
		return
	}
	action := env.Action
	if d, ok := env.Data.(map[string]any); ok && action == "" {
		action = str(d["action"])
	}
	if action != "refresh_token" {
		s.fail(rc, invalid("action", "enum", "Value not found in enumerated list of values", action))
		return
	}
	acct, ok := s.account(rc.auth.accountID)
	if !ok {
		s.fail(rc, errUnauthorized)
		return
	}
	s.issueAndReply(rc, acct, rc.auth.ownerID, rc.auth.method)
}

// handleTokenAuth is GET /v2/token_auth: the token's own information.
func (s *Server) handleTokenAuth(rc *reqCtx, method string) {
	switch method {
	case http.MethodGet:
		acct, _ := s.account(rc.auth.accountID)
		data := s.authResponse(acct, rc.auth.ownerID)
		data["method"] = rc.auth.method
		data["id"] = rc.token
		s.reply(rc, http.StatusOK, data, "")
	case http.MethodDelete:
		// JWTs cannot be revoked; KAZOO only deletes legacy tokens here.
		s.reply(rc, http.StatusOK, Doc{}, "")
	default:
		s.fail(rc, errMethod)
	}
}

// handleAPIKey is GET (read) and PUT (regenerate) /v2/accounts/{A}/api_key.
func (s *Server) handleAPIKey(rc *reqCtx, method string, acctID string) {
	acct, rev, ok := s.st.get(accountsDB, acctID)
	if !ok || acct["pvt_deleted"] == true {
		s.fail(rc, errBadIdentifier(acctID))
		return
	}
	switch method {
	case http.MethodGet:
		// The account document is loaded, so its revision comes with the key.
		s.reply(rc, http.StatusOK, Doc{"api_key": acct["pvt_api_key"]}, rev)
	case http.MethodPut:
		// cb_accounts validate_account_path(…, api_key, PUT): cb_context:is_account_admin/1,
		// a user token whose user has priv_level admin in the token's account. An API-key
		// token has no user, so it may not regenerate a key, superduper admin or not.
		if !s.isAccountAdmin(rc) {
			s.fail(rc, errForbidden)
			return
		}
		acct["pvt_api_key"] = randomHex(32)
		newRev, err := s.st.put(accountsDB, acctID, acct, rev)
		if err != nil {
			s.fail(rc, storeError(err))
			return
		}
		// Saved through crossbar_doc:save/1 on a PUT: a Location header with the account id.
		rc.w.Header().Set("Location", resolveLocation(rc.r.URL.Path, acctID))
		s.reply(rc, http.StatusCreated, Doc{"api_key": acct["pvt_api_key"]}, newRev)
	default:
		s.fail(rc, errMethod)
	}
}

// isAccountAdmin is cb_context:is_account_admin/1 (kzd_user:is_account_admin/2): the token
// must name a user of its account whose priv_level is admin.
func (s *Server) isAccountAdmin(rc *reqCtx) bool {
	if rc.auth.ownerID == "" {
		return false
	}
	u, _, ok := s.st.get(rc.auth.accountID, rc.auth.ownerID)
	return ok && u["priv_level"] == "admin" && u["pvt_deleted"] != true
}

func md5hex(s string) string {
	sum := md5.Sum([]byte(s))
	return hex.EncodeToString(sum[:])
}

func sha1hex(s string) string {
	sum := sha1.Sum([]byte(s))
	return hex.EncodeToString(sum[:])
}

func firstNonEmpty(vals ...string) string {
	for _, v := range vals {
		if v != "" {
			return v
		}
	}
	return ""
}
