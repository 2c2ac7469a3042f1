package client

import (
	"context"
	"crypto/rand"
	"crypto/tls"
	"crypto/x509"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"math"
	mrand "math/rand/v2"
	"net"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/hashicorp/go-retryablehttp"
)

// loginMaxRetries bounds the retries of a login.
const loginMaxRetries = 2

// maxBodyBytes bounds how much of an answer is read (media files included).
const maxBodyBytes = 64 << 20

// Client talks to one Crossbar server with one set of credentials. It is safe
// for concurrent use; share one per provider process.
type Client struct {
	cfg       Config
	base      *url.URL
	method    string
	http      *retryablehttp.Client
	loginHTTP *retryablehttp.Client
	buckets   *buckets
	breaker   breaker
	cache     *tokenCache // nil unless Config.TokenCache

	auth  authState
	stats statsCounter

	credentialsHash string // user_auth credentials, scrubbed from logs
}

// New checks the configuration and builds a client. It does not contact the
// server: call Login to fail fast, or let the first request log in.
func New(cfg Config) (*Client, error) {
	base, err := ParseBaseURL(cfg.URL)
	if err != nil {
		return nil, err
	}
	method, err := cfg.method()
	if err != nil {
		return nil, err
	}
	if cfg.AccountID != "" && !IsAccountID(cfg.AccountID) {
		return nil, fmt.Errorf("the account ID %q is not 32 lowercase hexadecimal characters", cfg.AccountID)
	}
	if cfg.Timeout <= 0 {
		cfg.Timeout = DefaultTimeout
	}
	switch {
	case cfg.MaxRetries == 0:
		cfg.MaxRetries = DefaultMaxRetries
	case cfg.MaxRetries < 0:
		cfg.MaxRetries = 0
	}
	if cfg.RetryWaitMin <= 0 {
		cfg.RetryWaitMin = DefaultRetryWaitMin
	}
	if cfg.RetryWaitMax <= 0 {
		cfg.RetryWaitMax = DefaultRetryWaitMax
	}
	if cfg.RetryWaitMax < cfg.RetryWaitMin {
		cfg.RetryWaitMax = cfg.RetryWaitMin
	}
	if cfg.UserAgent == "" {
		cfg.UserAgent = DefaultUserAgent
	}

	c := &Client{cfg: cfg, base: base, method: method}
	if method == methodCredentials {
		c.credentialsHash = Credentials(cfg.Username, cfg.Password)
	}
	c.auth.accountID = cfg.AccountID

	c.buckets = newBuckets(cfg.rateAndBurst())

	httpClient, err := c.buildHTTPClient()
	if err != nil {
		return nil, err
	}
	newRetrying := func(retryMax int, wait retryablehttp.Backoff) *retryablehttp.Client {
		return &retryablehttp.Client{
			HTTPClient:   httpClient,
			Logger:       nil, // the transport logs, with secrets redacted
			RetryWaitMin: cfg.RetryWaitMin,
			RetryWaitMax: cfg.RetryWaitMax,
			RetryMax:     retryMax,
			CheckRetry:   checkRetry,
			Backoff:      wait,
			ErrorHandler: retryablehttp.PassthroughErrorHandler,
		}
	}
	c.http = newRetrying(cfg.MaxRetries, backoff)
	// Logins retry less: a server that refuses the very first connection is
	// far more often a wrong URL than a passing outage, and the operator
	// should hear so in seconds. A login refused with 429 waits instead for
	// the bucket to hold a login's worth of tokens again.
	c.loginHTTP = newRetrying(min(cfg.MaxRetries, loginMaxRetries), loginBackoff)

	if method == methodToken {
		if err := c.adoptToken(cfg.AuthToken); err != nil {
			return nil, err
		}
	}
	if cfg.TokenCache && method != methodToken {
		c.cache, err = newTokenCache(cfg.TokenCacheDir, base.String(), cfg.AccountID, method, c.cacheCredential())
		if err != nil {
			return nil, err
		}
		c.adoptCached()
	}
	return c, nil
}

// buildHTTPClient makes the keep-alive HTTP client, wrapped by the transport
// that rate-limits, counts and logs every attempt.
func (c *Client) buildHTTPClient() (*http.Client, error) {
	var base http.RoundTripper
	switch {
	case c.cfg.Transport != nil:
		base = c.cfg.Transport
	case c.cfg.HTTPClient != nil && c.cfg.HTTPClient.Transport != nil:
		base = c.cfg.HTTPClient.Transport
	default:
		tlsCfg, err := c.cfg.tlsConfig()
		if err != nil {
			return nil, err
		}
		t := http.DefaultTransport.(*http.Transport).Clone()
		t.TLSClientConfig = tlsCfg
		t.MaxIdleConns = 100
		t.MaxIdleConnsPerHost = 32 // Terraform runs 10 operations at once by default
		t.IdleConnTimeout = 90 * time.Second
		base = t
	}
	hc := &http.Client{}
	if c.cfg.HTTPClient != nil {
		copied := *c.cfg.HTTPClient
		hc = &copied
	}
	// The per-attempt timeout is applied by the transport after the rate
	// limiter's wait, so that queueing behind the limiter never times out.
	hc.Timeout = 0
	hc.Transport = &transport{base: base, c: c}
	// Crossbar does not redirect; a redirect means the URL points elsewhere.
	hc.CheckRedirect = func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }
	return hc, nil
}

// BaseURL returns the server's base URL, without /v2.
func (c *Client) BaseURL() string { return c.base.String() }

// AccountID returns the configured account, or the one learnt from the login.
func (c *Client) AccountID() string {
	c.auth.mu.Lock()
	defer c.auth.mu.Unlock()
	return c.auth.accountID
}

// AcceptCharges reports the client's default for accept_charges.
func (c *Client) AcceptCharges() bool { return c.cfg.AcceptCharges }

// Request is one Crossbar call, for Do.
type Request struct {
	// Method is the HTTP method.
	Method string
	// Path starts with /v2/; build it with AccountPath or Path.
	Path string
	// Query is added to the URL.
	Query url.Values
	// Data, when not nil, is sent as {"data": Data}. json.RawMessage is sent as is.
	Data any
	// Envelope adds top-level envelope keys beside data, such as "action".
	Envelope map[string]any
	// Body, when not nil, is sent instead of an envelope, with ContentType
	// (for media uploads).
	Body        []byte
	ContentType string
	// Accept overrides the Accept header (for media downloads).
	Accept string
	// AcceptCharges overrides the client's accept_charges for this write.
	AcceptCharges *bool
	// Idempotent marks a PUT that is safe to repeat (for example one that
	// carries a client-chosen id), so it is retried like other methods.
	Idempotent bool
	// Header adds request headers.
	Header http.Header

	login bool // a token exchange: fewer retries
}

// RequestOption adjusts a Request.
type RequestOption func(*Request)

// WithAcceptCharges sets accept_charges on this write, overriding the
// client's default.
func WithAcceptCharges(accept bool) RequestOption {
	return func(r *Request) { r.AcceptCharges = &accept }
}

// WithQuery adds query parameters.
func WithQuery(q url.Values) RequestOption {
	return func(r *Request) {
		if r.Query == nil {
			r.Query = url.Values{}
		}
		for k, vs := range q {
			r.Query[k] = append(r.Query[k], vs...)
		}
	}
}

// WithHeader adds a request header.
func WithHeader(key, value string) RequestOption {
	return func(r *Request) {
		if r.Header == nil {
			r.Header = http.Header{}
		}
		r.Header.Add(key, value)
	}
}

// WithEnvelope adds a top-level envelope key beside data.
func WithEnvelope(key string, value any) RequestOption {
	return func(r *Request) {
		if r.Envelope == nil {
			r.Envelope = map[string]any{}
		}
		r.Envelope[key] = value
	}
}

// Idempotent marks a PUT as safe to repeat, for example because it carries a
// client-chosen document id: it is then retried after errors that may have
// reached the server. Without it a PUT is only retried when it provably was
// never sent.
func Idempotent() RequestOption { return func(r *Request) { r.Idempotent = true } }

// Get fetches path.
func (c *Client) Get(ctx context.Context, path string, query url.Values, opts ...RequestOption) (*Envelope, error) {
	return c.do(ctx, Request{Method: http.MethodGet, Path: path, Query: query}, opts)
}

// Put creates: data is sent as {"data": data}.
func (c *Client) Put(ctx context.Context, path string, data any, opts ...RequestOption) (*Envelope, error) {
	return c.do(ctx, Request{Method: http.MethodPut, Path: path, Data: data}, opts)
}

// Post replaces a document's public fields with data.
func (c *Client) Post(ctx context.Context, path string, data any, opts ...RequestOption) (*Envelope, error) {
	return c.do(ctx, Request{Method: http.MethodPost, Path: path, Data: data}, opts)
}

// Patch merges data into a document; a null value removes the key.
func (c *Client) Patch(ctx context.Context, path string, data any, opts ...RequestOption) (*Envelope, error) {
	return c.do(ctx, Request{Method: http.MethodPatch, Path: path, Data: data}, opts)
}

// Delete deletes path.
func (c *Client) Delete(ctx context.Context, path string, opts ...RequestOption) (*Envelope, error) {
	return c.do(ctx, Request{Method: http.MethodDelete, Path: path}, opts)
}

func (c *Client) do(ctx context.Context, req Request, opts []RequestOption) (*Envelope, error) {
	for _, opt := range opts {
		opt(&req)
	}
	return c.Do(ctx, req)
}

// Do sends a request with the shared token, logging in first when needed and
// once more when the server says the token expired.
func (c *Client) Do(ctx context.Context, req Request) (*Envelope, error) {
	c.stats.request(req.Method)
	token, err := c.token(ctx)
	if err != nil {
		return nil, err
	}
	env, err := c.send(ctx, &req, token)
	var apiErr *Error
	if errors.As(err, &apiErr) && apiErr.StatusCode == http.StatusUnauthorized {
		if c.method == methodToken {
			return nil, c.tokenRejected(apiErr)
		}
		c.log(ctx, LevelDebug, "KAZOO refused the token; logging in again", map[string]any{"method": req.Method, "path": req.Path})
		if c.cache != nil {
			c.cache.drop(token)
		}
		token, err = c.renew(ctx, token, false)
		if err != nil {
			return nil, err
		}
		// Once only: a fresh token refused again is a real 401.
		return c.send(ctx, &req, token)
	}
	return env, err
}

// send performs one request (with its retries) and decodes the answer.
func (c *Client) send(ctx context.Context, req *Request, token string) (*Envelope, error) {
	body, contentType, err := c.encodeBody(req)
	if err != nil {
		return nil, err
	}
	u := c.urlFor(req.Path, req.Query)

	onlyIfNeverSent := req.Method == http.MethodPut && !req.Idempotent
	rctx := context.WithValue(ctx, retryPolicyKey{}, onlyIfNeverSent)
	sent := &sendTracker{}
	rctx = context.WithValue(rctx, sendTrackerKey{}, sent)
	var raw any
	if body != nil {
		raw = body // a []byte body is replayed on every attempt
	}
	hreq, err := retryablehttp.NewRequestWithContext(rctx, req.Method, u.String(), raw)
	if err != nil {
		return nil, fmt.Errorf("building %s %s: %w", req.Method, req.Path, err)
	}
	h := hreq.Header
	h.Set("User-Agent", c.cfg.UserAgent)
	h.Set("Accept", orDefault(req.Accept, "application/json"))
	h.Set("X-Request-ID", newRequestID())
	if contentType != "" {
		h.Set("Content-Type", contentType)
	}
	if token != "" {
		h.Set("X-Auth-Token", token)
	}
	for k, vs := range req.Header {
		for _, v := range vs {
			h.Add(k, v)
		}
	}
	if c.cfg.Logger != nil && body != nil && contentType == "application/json" {
		c.log(ctx, LevelTrace, "KAZOO request body", map[string]any{
			"method": req.Method, "path": req.Path, "body": RedactJSON(body),
		})
	}

	hc := c.http
	if req.login {
		hc = c.loginHTTP
	}
	resp, err := hc.Do(hreq)
	if err != nil {
		if ctxErr := ctx.Err(); ctxErr != nil {
			return nil, ctxErr
		}
		return nil, &TransportError{Method: req.Method, URL: c.base.String(), Err: unwrapURLError(err), NotSent: !sent.mayHaveArrived()}
	}
	defer resp.Body.Close()
	data, err := io.ReadAll(io.LimitReader(resp.Body, maxBodyBytes))
	if err != nil {
		return nil, &TransportError{Method: req.Method, URL: c.base.String(), Err: fmt.Errorf("reading the answer: %w", err)}
	}
	env, err := DecodeEnvelope(resp.StatusCode, resp.Header, data)
	if err != nil {
		var apiErr *Error
		if errors.As(err, &apiErr) {
			apiErr.Method, apiErr.Path = req.Method, req.Path
			if apiErr.RequestID == "" {
				apiErr.RequestID = h.Get("X-Request-ID")
			}
		}
		if c.cfg.Logger != nil {
			c.log(ctx, LevelDebug, "KAZOO error answer", map[string]any{
				"method": req.Method, "path": req.Path, "status": resp.StatusCode, "body": RedactJSON(data),
			})
		}
		return nil, err
	}
	if c.cfg.Logger != nil && env.Raw == nil {
		c.log(ctx, LevelTrace, "KAZOO response body", map[string]any{
			"method": req.Method, "path": req.Path, "status": resp.StatusCode, "body": RedactJSON(data),
		})
	}
	return env, nil
}

// encodeBody builds the request body and its content type.
func (c *Client) encodeBody(req *Request) ([]byte, string, error) {
	if req.Body != nil {
		return req.Body, orDefault(req.ContentType, "application/octet-stream"), nil
	}
	isWrite := req.Method == http.MethodPut || req.Method == http.MethodPost || req.Method == http.MethodPatch
	if req.Data == nil && len(req.Envelope) == 0 && !isWrite {
		return nil, "", nil
	}
	env := map[string]any{}
	for k, v := range req.Envelope {
		env[k] = v
	}
	data := req.Data
	if data == nil {
		data = map[string]any{}
	}
	env["data"] = data
	accept := c.cfg.AcceptCharges
	if req.AcceptCharges != nil {
		accept = *req.AcceptCharges
	}
	if accept && isWrite {
		env["accept_charges"] = true
	}
	b, err := json.Marshal(env)
	if err != nil {
		return nil, "", fmt.Errorf("encoding the request for %s %s: %w", req.Method, req.Path, err)
	}
	return b, "application/json", nil
}

// urlFor joins the base URL, path and query, keeping escapes such as %2B.
func (c *Client) urlFor(path string, query url.Values) *url.URL {
	if !strings.HasPrefix(path, "/") {
		path = "/" + path
	}
	u := *c.base
	rawPath := strings.TrimRight(c.base.EscapedPath(), "/") + path
	if p, err := url.PathUnescape(rawPath); err == nil {
		u.Path = p
		u.RawPath = rawPath
	} else {
		u.Path = rawPath
		u.RawPath = ""
	}
	u.RawQuery = query.Encode()
	return &u
}

func unwrapURLError(err error) error {
	var ue *url.Error
	if errors.As(err, &ue) {
		return ue.Err
	}
	return err
}

func newRequestID() string {
	var b [16]byte
	_, _ = rand.Read(b[:])
	return hex.EncodeToString(b[:])
}

// sendTrackerKey carries, in the request context, the sendTracker of a request.
type sendTrackerKey struct{}

// sendTracker records whether any attempt of a request may have reached the server: one that
// got an answer or failed after its connection existed. Attempts the breaker or the rate
// limiter held back, and dials that failed, cannot have.
type sendTracker struct{ arrived atomic.Bool }

func (s *sendTracker) mayHaveArrived() bool { return s.arrived.Load() }

// retryPolicyKey carries, in the request context, whether the request may
// only be retried when it provably never reached the server.
type retryPolicyKey struct{}

// checkRetry decides whether an attempt is repeated. It retries 429, 502, 503,
// 504 and connection errors, except that a non-idempotent PUT (a create) is
// only retried when the connection was never established, so that a create
// is never applied twice.
func checkRetry(ctx context.Context, resp *http.Response, err error) (bool, error) {
	if ctx.Err() != nil {
		return false, ctx.Err()
	}
	onlyIfNeverSent, _ := ctx.Value(retryPolicyKey{}).(bool)
	if err != nil {
		// The server is gone: the breaker already failed every request.
		if errors.Is(err, errBreakerOpen) {
			return false, nil
		}
		// A host name that does not exist will not exist a second later.
		var dnsErr *net.DNSError
		if errors.As(err, &dnsErr) && dnsErr.IsNotFound {
			return false, nil
		}
		if neverSent(err) {
			return true, nil
		}
		if onlyIfNeverSent || permanentTransportError(err) || errors.Is(err, errRateLimitWait) {
			return false, nil
		}
		return true, nil
	}
	switch resp.StatusCode {
	case http.StatusTooManyRequests, http.StatusBadGateway, http.StatusServiceUnavailable, http.StatusGatewayTimeout:
		return !onlyIfNeverSent, nil
	}
	return false, nil
}

// neverSent reports errors raised before a connection existed: the request
// cannot have reached the server.
func neverSent(err error) bool {
	var dnsErr *net.DNSError
	if errors.As(err, &dnsErr) {
		return true
	}
	var opErr *net.OpError
	if errors.As(err, &opErr) && opErr.Op == "dial" {
		return true
	}
	return false
}

// isTimeout reports a network error that is a timeout.
func isTimeout(err error) bool {
	if errors.Is(err, context.DeadlineExceeded) {
		return true
	}
	var ne net.Error
	return errors.As(err, &ne) && ne.Timeout()
}

// permanentTransportError reports errors a retry cannot fix.
func permanentTransportError(err error) bool {
	var (
		unknownCA  x509.UnknownAuthorityError
		hostname   x509.HostnameError
		invalid    x509.CertificateInvalidError
		verifyErr  *tls.CertificateVerificationError
		recordErr  tls.RecordHeaderError
		alertError tls.AlertError
	)
	return errors.As(err, &unknownCA) || errors.As(err, &hostname) || errors.As(err, &invalid) ||
		errors.As(err, &verifyErr) || errors.As(err, &recordErr) || errors.As(err, &alertError) ||
		strings.Contains(err.Error(), "unsupported protocol scheme")
}

// backoff waits as a Retry-After header says, else exponentially from min
// with jitter (half to full of the step), capped at max.
func backoff(minWait, maxWait time.Duration, attempt int, resp *http.Response) time.Duration {
	if resp != nil {
		if d, ok := retryAfter(resp.Header.Get("Retry-After")); ok {
			return min(d, 5*time.Minute)
		}
	}
	step := float64(minWait) * math.Pow(2, float64(attempt))
	if step > float64(maxWait) || math.IsInf(step, 0) {
		step = float64(maxWait)
	}
	return time.Duration(step/2 + mrand.Float64()*step/2)
}

// loginRefill is how long KAZOO's default bucket (10 tokens a second) takes to
// refill the 35 tokens a login costs.
const loginRefill = 3500 * time.Millisecond

// loginBackoff is backoff for token exchanges: a 429 without Retry-After waits
// at least until KAZOO's bucket can pay for another login (bounded by the
// configured maximum wait), since an earlier retry would only be refused again.
func loginBackoff(minWait, maxWait time.Duration, attempt int, resp *http.Response) time.Duration {
	d := backoff(minWait, maxWait, attempt, resp)
	if resp != nil && resp.StatusCode == http.StatusTooManyRequests && resp.Header.Get("Retry-After") == "" {
		floor := min(loginRefill, maxWait)
		if d < floor {
			d = floor + time.Duration(mrand.Float64()*float64(floor)/4)
		}
	}
	return d
}

// retryAfter parses a Retry-After header in seconds or as an HTTP date.
func retryAfter(v string) (time.Duration, bool) {
	if v == "" {
		return 0, false
	}
	if secs, err := strconv.Atoi(strings.TrimSpace(v)); err == nil && secs >= 0 {
		return time.Duration(secs) * time.Second, true
	}
	if t, err := http.ParseTime(v); err == nil {
		return max(time.Until(t), 0), true
	}
	return 0, false
}

var errRateLimitWait = errors.New("client-side rate limit wait")

// transport rate-limits, counts and logs every attempt, retries included.
type transport struct {
	base http.RoundTripper
	c    *Client
}

// CloseIdleConnections passes on to the base transport.
func (t *transport) CloseIdleConnections() {
	if ci, ok := t.base.(interface{ CloseIdleConnections() }); ok {
		ci.CloseIdleConnections()
	}
}

func (t *transport) RoundTrip(req *http.Request) (*http.Response, error) {
	ctx := req.Context()
	// A dead server fails every request at once, before it queues for tokens.
	if err := t.c.breaker.allow(); err != nil {
		return nil, err
	}
	bucket, cost := bucketOf(req.URL.EscapedPath())
	if err := t.c.buckets.wait(ctx, bucket, cost); err != nil {
		if ctx.Err() != nil {
			return nil, ctx.Err()
		}
		return nil, fmt.Errorf("%w: %v", errRateLimitWait, err)
	}
	// The server may have been found dead while this request waited.
	if err := t.c.breaker.allow(); err != nil {
		return nil, err
	}
	attempt := t.c.stats.attempt()
	start := time.Now()
	actx, cancel := context.WithTimeout(ctx, t.c.cfg.Timeout)
	resp, err := t.base.RoundTrip(req.WithContext(actx))
	if err == nil || !neverSent(err) {
		if st, ok := ctx.Value(sendTrackerKey{}).(*sendTracker); ok {
			st.arrived.Store(true)
		}
	}
	if err != nil {
		cancel()
		if ctx.Err() == nil && errors.Is(actx.Err(), context.DeadlineExceeded) && isTimeout(err) {
			err = &attemptTimeout{after: t.c.cfg.Timeout, err: err}
		}
		if ctx.Err() == nil {
			t.c.breaker.failed(err)
		}
	} else {
		resp.Body = &cancelOnClose{ReadCloser: resp.Body, cancel: cancel}
		t.c.breaker.answered()
		if resp.StatusCode == http.StatusTooManyRequests {
			t.c.buckets.throttled(bucket)
		} else {
			t.c.buckets.accepted(bucket)
		}
	}
	fields := map[string]any{
		"method":      req.Method,
		"path":        req.URL.EscapedPath(),
		"duration_ms": time.Since(start).Milliseconds(),
		"attempt":     attempt,
	}
	if q := redactQuery(req.URL.Query()); q != "" {
		fields["query"] = q
	}
	if err != nil {
		fields["error"] = err.Error()
		fields["request_id"] = req.Header.Get("X-Request-ID")
		t.c.log(ctx, LevelDebug, "KAZOO request failed", fields)
		return nil, err
	}
	fields["status"] = resp.StatusCode
	fields["request_id"] = orDefault(resp.Header.Get("X-Request-Id"), req.Header.Get("X-Request-ID"))
	t.c.log(ctx, LevelDebug, "KAZOO request", fields)
	return resp, nil
}

// cancelOnClose ends an attempt's timeout context once its body is closed.
type cancelOnClose struct {
	io.ReadCloser
	cancel context.CancelFunc
}

func (b *cancelOnClose) Close() error {
	err := b.ReadCloser.Close()
	b.cancel()
	return err
}

// statsCounter counts requests for tests and benchmarks.
type statsCounter struct {
	mu        sync.Mutex
	requests  map[string]int
	attempts  int
	logins    int
	refreshes int
}

// Stats counts what a client has sent.
type Stats struct {
	// Requests counts API calls by HTTP method, logins excluded; a call
	// counts once however many attempts it took.
	Requests map[string]int
	// Attempts counts HTTP requests on the wire: retries, logins and the
	// replay after a re-login included.
	Attempts int
	// Logins counts token exchanges (api_auth or user_auth).
	Logins int
	// Refreshes counts tokens renewed before expiry (PUT /v2/auth).
	Refreshes int
}

// Total returns the number of API calls, logins excluded.
func (s Stats) Total() int {
	n := 0
	for _, v := range s.Requests {
		n += v
	}
	return n
}

func (s *statsCounter) request(method string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.requests == nil {
		s.requests = map[string]int{}
	}
	s.requests[method]++
}

func (s *statsCounter) attempt() int {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.attempts++
	return s.attempts
}

func (s *statsCounter) refresh() {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.refreshes++
}

func (s *statsCounter) login() {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.logins++
}

// Stats returns a snapshot of the counters.
func (c *Client) Stats() Stats {
	c.stats.mu.Lock()
	defer c.stats.mu.Unlock()
	out := Stats{Requests: map[string]int{}, Attempts: c.stats.attempts, Logins: c.stats.logins, Refreshes: c.stats.refreshes}
	for k, v := range c.stats.requests {
		out.Requests[k] = v
	}
	return out
}

// ResetStats zeroes the counters.
func (c *Client) ResetStats() {
	c.stats.mu.Lock()
	defer c.stats.mu.Unlock()
	c.stats.requests, c.stats.attempts, c.stats.logins, c.stats.refreshes = nil, 0, 0, 0
}
