// Package kazoosim is a Crossbar (KAZOO 4.3 REST API) simulator: an http.Handler that behaves
// like Crossbar for authentication, the response envelope, errors, validation against KAZOO's
// schemas, PATCH/POST semantics, listings, rate limiting and optimistic concurrency. Tests use
// it in-process through httptest; cmd/kazoosim serves it as a binary.
package kazoosim

import (
	"crypto/rand"
	"encoding/base64"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"net"
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"sync"
	"time"
)

// Options configure a simulator. Zero values mean: random master credentials, tokens valid for
// an hour, no rate limit, memory-only storage, no latency and no faults.
type Options struct {
	// AccountID is the master account's id (32 lowercase hex characters).
	AccountID string
	// APIKey is the master account's API key (64 characters).
	APIKey string
	// Username and Password are the master account's admin user.
	Username string
	Password string
	// AccountName is the master account's name; AccountRealm its SIP realm.
	AccountName  string
	AccountRealm string
	// TokenTTL is the lifetime of the tokens the simulator issues.
	TokenTTL time.Duration
	// BucketSize is the token bucket per client IP and account; 0 disables rate limiting.
	BucketSize int
	// BucketRate is the bucket's refill rate in tokens per second (default 10).
	BucketRate float64
	// DataPath is a bbolt file that makes every acknowledged write durable; "" keeps
	// everything in memory.
	DataPath string
	// Latency is added to every response.
	Latency time.Duration
	// FaultRate is the fraction of non-auth requests answered with an injected fault (500,
	// 503, 429 or a dropped connection), some of them after the write was applied.
	FaultRate float64
	// FaultSeed seeds the fault sequence so that a run can be reproduced.
	FaultSeed int64
	// RequireAcceptCharges makes billable creates (devices, users, phone numbers, limits)
	// answer 402 "accept charges" unless the request accepts charges.
	RequireAcceptCharges bool
	// ExtraModules loads Crossbar modules KAZOO 4.3 does not load by default (its
	// crossbar.autoload_modules): "cb_lists", "cb_cccps" (OptionalModules). Requests to a
	// module that is not loaded answer 404 not_found, as Crossbar does.
	ExtraModules []string
	// AccessLog, when set, is called once per answered request. The path has no query
	// string, so tokens passed as ?auth_token= never reach a log.
	AccessLog func(method, path string, status int, elapsed time.Duration, requestID string)
}

// Server is the simulator. It is an http.Handler; Close releases its storage.
type Server struct {
	opts     Options
	st       *store
	key      []byte
	node     string
	masterID string

	locksMu sync.Mutex
	locks   map[string]*sync.Mutex

	limiter *limiter
	faults  *faults
	stats   *stats
	modules map[string]bool
}

// Master describes the master account's credentials, as printed by cmd/kazoosim.
type Master struct {
	AccountID   string `json:"account_id"`
	APIKey      string `json:"api_key"`
	Username    string `json:"username"`
	Password    string `json:"password"`
	AccountName string `json:"account_name"`
}

var (
	hex32 = regexp.MustCompile(`^[0-9a-f]{32}$`)
)

// New starts a simulator, creating (or, with a data file, reopening) the master account.
// Credentials left empty are taken from the data file when it has them, else made up.
func New(opts Options) (*Server, error) {
	modules, err := loadModules(opts.ExtraModules)
	if err != nil {
		return nil, err
	}
	st, err := openStore(opts.DataPath)
	if err != nil {
		return nil, err
	}
	if err := resolveMaster(st, &opts); err != nil {
		st.close()
		return nil, err
	}
	if opts.TokenTTL <= 0 {
		opts.TokenTTL = time.Hour
	}
	if opts.BucketRate <= 0 {
		opts.BucketRate = 10
	}
	s := &Server{
		opts:     opts,
		st:       st,
		node:     base64.RawURLEncoding.EncodeToString([]byte("kazoosim@127.0.0.1")),
		masterID: opts.AccountID,
		locks:    map[string]*sync.Mutex{},
		limiter:  newLimiter(opts.BucketSize, opts.BucketRate),
		faults:   newFaults(opts.FaultRate, opts.FaultSeed),
		stats:    newStats(),
		modules:  modules,
	}
	if err := s.loadSigningKey(); err != nil {
		st.close()
		return nil, err
	}
	if err := s.bootstrap(); err != nil {
		st.close()
		return nil, err
	}
	return s, nil
}

// resolveMaster fills the master credentials: given values win, then those remembered in the
// data file, then random ones. The result is remembered for the next start.
func resolveMaster(st *store, opts *Options) error {
	var saved struct {
		Master
		Realm string `json:"realm"`
	}
	if raw, ok := st.getMeta("master"); ok {
		if err := json.Unmarshal(raw, &saved); err != nil {
			return fmt.Errorf("kazoosim: corrupt master record: %w", err)
		}
	}
	opts.AccountID = firstNonEmpty(opts.AccountID, saved.AccountID, newID())
	opts.APIKey = firstNonEmpty(opts.APIKey, saved.APIKey, randomHex(32))
	opts.Username = firstNonEmpty(opts.Username, saved.Username, "admin")
	opts.Password = firstNonEmpty(opts.Password, saved.Password, randomHex(12))
	opts.AccountName = firstNonEmpty(opts.AccountName, saved.AccountName, "master")
	opts.AccountRealm = firstNonEmpty(opts.AccountRealm, saved.Realm, opts.AccountID[:6]+".sip.kazoosim.test")
	if !hex32.MatchString(opts.AccountID) {
		return fmt.Errorf("kazoosim: account id %q is not 32 lowercase hex characters", opts.AccountID)
	}
	if len(opts.APIKey) != 64 {
		return fmt.Errorf("kazoosim: the API key must be 64 characters, got %d", len(opts.APIKey))
	}
	if saved.AccountID != "" && saved.AccountID != opts.AccountID {
		return fmt.Errorf("kazoosim: the data file belongs to master account %s, not %s", saved.AccountID, opts.AccountID)
	}
	saved.Master = Master{AccountID: opts.AccountID, APIKey: opts.APIKey, Username: opts.Username,
		Password: opts.Password, AccountName: opts.AccountName}
	saved.Realm = opts.AccountRealm
	raw, err := json.Marshal(saved)
	if err != nil {
		return err
	}
	return st.putMeta("master", raw)
}

// Close releases the data file.
func (s *Server) Close() error { return s.st.close() }

// Master returns the master account's credentials.
func (s *Server) Master() Master {
	return Master{
		AccountID:   s.opts.AccountID,
		APIKey:      s.opts.APIKey,
		Username:    s.opts.Username,
		Password:    s.opts.Password,
		AccountName: s.opts.AccountName,
	}
}

// lock serializes the check-and-save phase of writes in one database, so that uniqueness rules
// hold under concurrency. Loading and validating happen outside it, which is what lets two
// writers race on one document and one of them get 409, as with CouchDB.
func (s *Server) lock(db string) func() {
	s.locksMu.Lock()
	m := s.locks[db]
	if m == nil {
		m = &sync.Mutex{}
		s.locks[db] = m
	}
	s.locksMu.Unlock()
	m.Lock()
	return m.Unlock
}

// reqCtx carries one request through the handlers.
type reqCtx struct {
	w     http.ResponseWriter
	r     *http.Request
	query url.Values
	reqID string
	token string
	auth  *authInfo
	// status is what was answered (0: the connection was dropped), for the access log.
	status int
}

// ServeHTTP answers one Crossbar request.
func (s *Server) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	rc := &reqCtx{w: w, r: r, query: r.URL.Query()}
	if s.opts.AccessLog != nil {
		start := time.Now()
		defer func() { s.opts.AccessLog(r.Method, r.URL.Path, rc.status, time.Since(start), rc.reqID) }()
	}
	rc.reqID = r.Header.Get("X-Request-ID")
	if rc.reqID == "" {
		// api_resource:get_request_id/1: kz_datamgr:get_uuid/0, 32 hex characters.
		rc.reqID = newID()
	}
	w.Header().Set("X-Request-ID", rc.reqID)
	w.Header().Set("Access-Control-Allow-Origin", "*")
	w.Header().Set("Access-Control-Expose-Headers", "Content-Type, X-Auth-Token, X-Request-ID, Location, Etag, ETag")

	method := r.Method
	if method == http.MethodPost {
		// Verb tunnelling (api_util:get_http_verb/2): ?verb=, or "verb" in the envelope or
		// in its data.
		if v := strings.ToUpper(rc.query.Get("verb")); v != "" {
			method = v
		} else if ct := r.Header.Get("Content-Type"); r.ContentLength != 0 && (ct == "" || strings.Contains(ct, "json")) {
			if env := peekEnvelope(r); env != nil {
				v := str(env.raw["verb"])
				if d, ok := env.Data.(map[string]any); ok && v == "" {
					v = str(d["verb"])
				}
				if v != "" {
					method = strings.ToUpper(v)
				}
			}
		}
	}
	if s.opts.Latency > 0 {
		time.Sleep(s.opts.Latency)
	}

	if method == http.MethodOptions {
		// CORS preflight, answered without credentials as Crossbar does.
		h := w.Header()
		h.Set("Access-Control-Allow-Methods", "GET, POST, PUT, DELETE, OPTIONS, HEAD, PATCH")
		h.Set("Access-Control-Allow-Headers", "Content-Type, Depth, User-Agent, X-Http-Method-Override, X-File-Size, X-Requested-With, If-Modified-Since, X-File-Name, Cache-Control, X-Auth-Token, If-Match, X-Request-ID, X-Auth-Account-ID")
		h.Set("Access-Control-Max-Age", "86400")
		rc.status = http.StatusOK
		w.WriteHeader(http.StatusOK)
		return
	}
	rt := s.match(r.URL.EscapedPath())
	if !strings.HasPrefix(rt.pattern, "/sim/") {
		s.stats.count(method + " " + rt.pattern)
	}
	if rt.handler == nil {
		s.fail(rc, errNotFound)
		return
	}
	if rt.early != nil {
		// api_resource:malformed_request/2 checks the account in the path before anything
		// else, credentials included.
		s.fail(rc, rt.early)
		return
	}
	if rt.account != "" {
		if _, ok := s.account(rt.account); !ok {
			s.fail(rc, errBadIdentifier(rt.account))
			return
		}
	}
	if rt.auth == authRequired {
		if e := s.authenticate(rc); e != nil {
			s.fail(rc, e)
			return
		}
	}
	// Logins charge their own, larger cost in their handlers.
	if !rt.login && !s.limiter.allow(clientIP(r)+"/"+bucketAccount(rt), 1) {
		s.fail(rc, errTooMany)
		return
	}
	if rt.account != "" && rt.auth == authRequired {
		if e := s.authorizeAccount(rc, rt.account); e != nil {
			s.fail(rc, e)
			return
		}
	}
	if method == http.MethodPut || method == http.MethodPost || method == http.MethodPatch {
		// api_resource:known_content_type/3 tags a write without Content-Type, then
		// api_util:is_known_content_type/2 refuses types the resource does not accept
		// (cowboy answers 415 with no body).
		ct := r.Header.Get("Content-Type")
		if ct == "" {
			w.Header().Set("X-RFC2616", "Section 14.17 (Try it, you'll like it)")
		} else if !acceptsContentType(rt.accepts, ct) {
			rc.status = http.StatusUnsupportedMediaType
			w.WriteHeader(http.StatusUnsupportedMediaType)
			return
		}
	}
	if rt.faultable {
		switch f := s.faults.next(); f {
		case faultNone:
		case fault500:
			s.fail(rc, errFault)
			return
		case fault503:
			s.fail(rc, errBusy)
			return
		case fault429:
			s.fail(rc, errTooMany)
			return
		case faultDrop:
			rc.status = 0
			dropConnection(w)
			return
		case faultAfter500, faultAfterDrop:
			// Apply the request for real, then lose the answer: the client cannot tell
			// whether its write landed, which is what retries must cope with.
			rec := &discardWriter{header: http.Header{}}
			rc.w = rec
			rt.handler(rc, method)
			rc.w = w
			if f == faultAfterDrop {
				rc.status = 0
				dropConnection(w)
				return
			}
			s.fail(rc, errFault)
			return
		}
	}
	rt.handler(rc, method)
}

// bucketAccount is the account part of a request's rate-limit bucket: the path's account.
func bucketAccount(rt route) string {
	if rt.account != "" {
		return rt.account
	}
	return noAccount
}

// discardWriter swallows a response the fault injector decided to lose.
type discardWriter struct{ header http.Header }

func (d *discardWriter) Header() http.Header         { return d.header }
func (d *discardWriter) Write(b []byte) (int, error) { return len(b), nil }
func (d *discardWriter) WriteHeader(int)             {}

// dropConnection closes the TCP connection without an HTTP answer.
func dropConnection(w http.ResponseWriter) {
	hj, ok := w.(http.Hijacker)
	if !ok {
		panic(http.ErrAbortHandler)
	}
	conn, buf, err := hj.Hijack()
	if err != nil {
		panic(http.ErrAbortHandler)
	}
	_ = buf.Flush()
	if tc, ok := conn.(*net.TCPConn); ok {
		_ = tc.SetLinger(0)
	}
	_ = conn.Close()
}

func clientIP(r *http.Request) string {
	host, _, err := net.SplitHostPort(r.RemoteAddr)
	if err != nil {
		return r.RemoteAddr
	}
	return host
}

func newID() string { return randomHex(16) }

func randomHex(n int) string {
	b := make([]byte, n)
	if _, err := rand.Read(b); err != nil {
		panic(err)
	}
	return hex.EncodeToString(b)
}
