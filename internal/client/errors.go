package client

import (
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"sort"
	"strings"
)

// Sentinel errors, matched with errors.Is against the *Error (or login error)
// a call returns.
var (
	// ErrBadRequest matches HTTP 400: invalid JSON or a document KAZOO's
	// validation rejected (see Error.Validation).
	ErrBadRequest = errors.New("bad request")
	// ErrUnauthorized matches HTTP 401 and every failed login.
	ErrUnauthorized = errors.New("unauthorized")
	// ErrPaymentRequired matches HTTP 402: the change adds billable services
	// and must be sent again with accept_charges.
	ErrPaymentRequired = errors.New("payment required (accept charges)")
	// ErrForbidden matches HTTP 403: the token may not reach that account.
	ErrForbidden = errors.New("forbidden")
	// ErrNotFound matches HTTP 404 (bad_identifier, not_found, faulty_request).
	ErrNotFound = errors.New("not found")
	// ErrMethodNotAllowed matches HTTP 405, for example PATCH on an endpoint
	// that only has POST.
	ErrMethodNotAllowed = errors.New("method not allowed")
	// ErrConflict matches HTTP 409: a concurrent write won, or the object exists.
	ErrConflict = errors.New("conflict")
	// ErrLocked matches HTTP 423: the account is expired or disabled.
	ErrLocked = errors.New("account locked")
	// ErrRateLimited matches HTTP 429 (after the retries gave up).
	ErrRateLimited = errors.New("rate limited")
	// ErrServer matches every HTTP 5xx answer.
	ErrServer = errors.New("server error")

	// ErrInvalidCredentials matches a login the server refused: an unknown
	// API key (KAZOO answers 404 for it), wrong username or password, or a
	// pre-made token it no longer accepts. It also matches ErrUnauthorized.
	ErrInvalidCredentials = errors.New("invalid credentials")
	// ErrAccountMismatch matches a login whose token belongs to another
	// account than the configured AccountID.
	ErrAccountMismatch = errors.New("token belongs to another account")
	// ErrTokenExpired matches a pre-made token that has expired: the client
	// cannot renew it. It also matches ErrUnauthorized.
	ErrTokenExpired = errors.New("auth token expired")
	// ErrUnreachable matches a request that got no HTTP answer at all: DNS
	// failure, refused connection, timeout, TLS failure.
	ErrUnreachable = errors.New("server unreachable")
)

// ValidationDetail is one failed rule of KAZOO's validation map, for example
// {"message":"String must be at least 2 characters","target":2,"value":"a"}.
type ValidationDetail struct {
	Message string `json:"message"`
	Target  any    `json:"target,omitempty"`
	Value   any    `json:"value,omitempty"`
	Cause   any    `json:"cause,omitempty"`
}

// Error is an error answer from Crossbar.
type Error struct {
	// StatusCode is the HTTP status of the answer.
	StatusCode int
	// Message is KAZOO's short error name ("bad_identifier", "validation
	// error", "datastore_conflict", …), or the HTTP status text when the body
	// was not a Crossbar envelope.
	Message string
	// RequestID is KAZOO's request_id (or the X-Request-ID header).
	RequestID string
	// Data is the envelope's raw data: details of the error.
	Data json.RawMessage
	// Validation holds the validation map of a 400 answer, keyed by dotted
	// JSON path then by rule: Validation["sip.username"]["minLength"].
	Validation map[string]map[string]ValidationDetail
	// Method and Path are those of the request that failed.
	Method string
	Path   string
	// Body is the start of a response body that was not a Crossbar envelope.
	Body string
}

// Is makes errors.Is match the sentinel of the answer's HTTP status class.
func (e *Error) Is(target error) bool {
	switch target {
	case ErrBadRequest:
		return e.StatusCode == http.StatusBadRequest
	case ErrUnauthorized:
		return e.StatusCode == http.StatusUnauthorized
	case ErrPaymentRequired:
		return e.StatusCode == http.StatusPaymentRequired
	case ErrForbidden:
		return e.StatusCode == http.StatusForbidden
	case ErrNotFound:
		return e.StatusCode == http.StatusNotFound
	case ErrMethodNotAllowed:
		return e.StatusCode == http.StatusMethodNotAllowed
	case ErrConflict:
		return e.StatusCode == http.StatusConflict
	case ErrLocked:
		return e.StatusCode == http.StatusLocked
	case ErrRateLimited:
		return e.StatusCode == http.StatusTooManyRequests
	case ErrServer:
		return e.StatusCode >= 500 && e.StatusCode <= 599
	}
	return false
}

// IsModuleMissing reports whether the answer is the 404 Crossbar gives for a
// path no loaded module serves (message "not_found", not "bad_identifier").
func (e *Error) IsModuleMissing() bool {
	return e.StatusCode == http.StatusNotFound && e.kind() == "not_found" && e.Body == ""
}

// IsEnvelope reports whether the answer was a Crossbar JSON envelope, as
// opposed to, say, a proxy's HTML page.
func (e *Error) IsEnvelope() bool { return e.Body == "" }

// Summary is the short form: status, KAZOO's error name and request_id.
func (e *Error) Summary() string {
	if !e.IsEnvelope() {
		return fmt.Sprintf("HTTP %d, not a Crossbar answer", e.StatusCode)
	}
	s := fmt.Sprintf("KAZOO answered %d %s", e.StatusCode, e.Message)
	if e.RequestID != "" {
		s += ", request_id " + e.RequestID
	}
	return s
}

// kind is KAZOO's error name in one spelling: some paths answer
// "bad identifier", others "bad_identifier".
func (e *Error) kind() string {
	return strings.ReplaceAll(strings.ToLower(strings.TrimSpace(e.Message)), " ", "_")
}

// Error renders the answer in words a KAZOO operator recognises:
// what KAZOO said, what it means, and the request_id to find it in KAZOO's logs.
func (e *Error) Error() string {
	var b strings.Builder
	if e.Body != "" || e.Message == "" {
		// Not a Crossbar envelope: a proxy, a web server, or a crash page.
		fmt.Fprintf(&b, "the server answered HTTP %d", e.StatusCode)
		if text := http.StatusText(e.StatusCode); text != "" {
			b.WriteString(" " + text)
		}
		if e.Method != "" {
			fmt.Fprintf(&b, " to %s %s", e.Method, e.Path)
		}
		b.WriteString(" with a body that is not a Crossbar envelope")
		if e.Body != "" {
			fmt.Fprintf(&b, ": %q", e.Body)
		}
		return b.String()
	}
	fmt.Fprintf(&b, "KAZOO answered %d %s", e.StatusCode, e.Message)
	if e.Method != "" {
		fmt.Fprintf(&b, " to %s %s", e.Method, e.Path)
	}
	if explanation := e.explain(); explanation != "" {
		b.WriteString(": ")
		b.WriteString(explanation)
	}
	if e.RequestID != "" {
		fmt.Fprintf(&b, " (request_id %s)", e.RequestID)
	}
	return b.String()
}

// explain turns the status and KAZOO's details into a sentence.
func (e *Error) explain() string {
	detail := e.dataMessage()
	switch e.StatusCode {
	case http.StatusBadRequest:
		if len(e.Validation) > 0 {
			return "the document was rejected: " + e.validationSummary()
		}
		return joinNonEmpty("the request was rejected", detail)
	case http.StatusUnauthorized:
		return "the auth token is missing, expired or not accepted by this server"
	case http.StatusPaymentRequired:
		if e.kind() == "accept_charges" || strings.Contains(detail, "charges") || detail == "" {
			return "this change adds billable services; send it again accepting the charges (accept_charges = true)" + e.chargesSummary()
		}
		return joinNonEmpty("payment required", detail)
	case http.StatusForbidden:
		return "the credentials may not do this; a token only reaches its own account and the accounts below it"
	case http.StatusNotFound:
		switch e.kind() {
		case "not_found":
			return "no Crossbar module serves this path; the Crossbar module for it may not be loaded on this server (check crossbar's autoload_modules)"
		case "bad_identifier":
			id := e.dataCause()
			account, kind := accountAndKind(e.Path)
			what := "no " + kind
			if id != "" {
				what += fmt.Sprintf(" with id %q", id)
			}
			if account != "" && id != account {
				what += " exists in account " + account
			} else {
				what += " exists"
			}
			if strings.HasPrefix(detail, "invalid account_id") {
				what = detail
			}
			return what + " (it was never created, or it has been deleted)"
		}
		return joinNonEmpty("not found", detail)
	case http.StatusMethodNotAllowed:
		return fmt.Sprintf("this endpoint does not accept %s", orDefault(e.Method, "this method"))
	case http.StatusConflict:
		if e.kind() == "datastore_conflict" {
			return "the document was changed by another writer at the same time; read it again and retry"
		}
		return joinNonEmpty("the object conflicts with an existing one", detail)
	case http.StatusRequestEntityTooLarge:
		return "the request body is larger than the server accepts (crossbar max_upload_size)"
	case http.StatusLocked:
		return "the account is expired or disabled"
	case http.StatusTooManyRequests:
		return "KAZOO's rate limit for this client address and account is exhausted; lower requests_per_second or wait"
	}
	if e.kind() == "account_has_descendants" {
		// Crossbar refuses the delete with a 500; nothing failed on the server.
		return "KAZOO refuses to delete an account that still has sub-accounts; delete or move them first"
	}
	if e.StatusCode >= 500 {
		return joinNonEmpty("the server failed to handle the request", detail)
	}
	if detail == "" && e.Body != "" {
		return "unexpected answer: " + e.Body
	}
	return detail
}

// dataMessage returns data.message when data is an object carrying one.
func (e *Error) dataMessage() string {
	var d struct {
		Message string `json:"message"`
	}
	if json.Unmarshal(e.Data, &d) == nil && d.Message != "" {
		return d.Message
	}
	if e.Body != "" {
		return e.Body
	}
	return ""
}

// dataCause returns data.cause (or the single id of data: ["<id>"]).
func (e *Error) dataCause() string {
	var d struct {
		Cause any `json:"cause"`
	}
	if json.Unmarshal(e.Data, &d) == nil && d.Cause != nil {
		return fmt.Sprint(d.Cause)
	}
	var ids []string
	if json.Unmarshal(e.Data, &ids) == nil && len(ids) == 1 {
		return ids[0]
	}
	return ""
}

// validationSummary lists every failed rule, sorted by path for stable text.
func (e *Error) validationSummary() string {
	fields := make([]string, 0, len(e.Validation))
	for field := range e.Validation {
		fields = append(fields, field)
	}
	sort.Strings(fields)
	var parts []string
	for _, field := range fields {
		rules := make([]string, 0, len(e.Validation[field]))
		for rule := range e.Validation[field] {
			rules = append(rules, rule)
		}
		sort.Strings(rules)
		for _, rule := range rules {
			parts = append(parts, field+": "+e.Validation[field][rule].describe(rule))
		}
	}
	return strings.Join(parts, "; ")
}

// describe renders one rule, e.g. `String must be at least 2 characters (minLength 2, got "a")`.
func (d ValidationDetail) describe(rule string) string {
	msg := orDefault(d.Message, "failed")
	var extra []string
	if d.Target != nil {
		extra = append(extra, fmt.Sprintf("%s %s", rule, compactJSON(d.Target)))
	} else {
		extra = append(extra, rule)
	}
	if d.Value != nil {
		extra = append(extra, "got "+compactJSON(d.Value))
	}
	if d.Cause != nil {
		extra = append(extra, "cause "+compactJSON(d.Cause))
	}
	return msg + " (" + strings.Join(extra, ", ") + ")"
}

// chargesSummary shows what KAZOO would charge, when it said.
func (e *Error) chargesSummary() string {
	if len(e.Data) == 0 || string(e.Data) == "{}" || string(e.Data) == "null" {
		return ""
	}
	return "; charges: " + truncate(string(e.Data), 300)
}

// accountAndKind extracts the account id and a readable object kind from a
// Crossbar path such as /v2/accounts/{A}/devices/{id}.
func accountAndKind(path string) (account, kind string) {
	segs := strings.Split(strings.Trim(path, "/"), "/")
	kind = "document"
	for i := 0; i < len(segs); i++ {
		if segs[i] == "accounts" && i+1 < len(segs) {
			account = segs[i+1]
			if i+2 < len(segs) {
				kind = singular(segs[i+2])
			} else {
				kind = "account"
			}
			break
		}
	}
	return account, kind
}

func singular(collection string) string {
	switch {
	case strings.HasSuffix(collection, "sses"):
		return strings.TrimSuffix(collection, "es")
	case strings.HasSuffix(collection, "xes"):
		return strings.TrimSuffix(collection, "es")
	case strings.HasSuffix(collection, "s"):
		return strings.TrimSuffix(collection, "s")
	}
	return collection
}

func compactJSON(v any) string {
	b, err := json.Marshal(v)
	if err != nil {
		return fmt.Sprint(v)
	}
	return string(b)
}

func joinNonEmpty(a, b string) string {
	if b == "" || strings.EqualFold(a, b) {
		return a
	}
	return a + ": " + b
}

func orDefault(s, def string) string {
	if s == "" {
		return def
	}
	return s
}

func truncate(s string, n int) string {
	if len(s) <= n {
		return s
	}
	return s[:n] + "…"
}

// LoginError is a failed login. It matches ErrUnauthorized and
// ErrInvalidCredentials (or ErrAccountMismatch, ErrTokenExpired) with
// errors.Is, and unwraps to the server's *Error when there was one.
type LoginError struct {
	// Method is the credential method: "api_key", "credentials" or "auth_token".
	Method string
	// Reason is one of ErrInvalidCredentials, ErrAccountMismatch, ErrTokenExpired.
	Reason error
	// Detail explains the failure in words.
	Detail string
	// Err is the server's answer or transport error, if any.
	Err error
}

// Error renders the failure with what to check.
func (e *LoginError) Error() string {
	msg := "KAZOO login with " + methodWords(e.Method) + " failed: " + e.Detail
	var apiErr *Error
	switch {
	case errors.As(e.Err, &apiErr):
		msg += " (" + apiErr.Summary() + ")"
	case e.Err != nil:
		msg += " (" + e.Err.Error() + ")"
	}
	return msg
}

// Unwrap exposes the reason sentinel and the underlying error.
func (e *LoginError) Unwrap() []error {
	errs := []error{e.Reason}
	if e.Err != nil {
		errs = append(errs, e.Err)
	}
	return errs
}

// Is makes every login failure also match ErrUnauthorized.
func (e *LoginError) Is(target error) bool { return target == ErrUnauthorized }

func methodWords(method string) string {
	switch method {
	case methodAPIKey:
		return "the API key"
	case methodCredentials:
		return "username and password"
	case methodToken:
		return "the auth token"
	}
	return method
}

// TransportError is a request that got no HTTP answer: the server could not be
// reached. It matches ErrUnreachable.
type TransportError struct {
	Method, URL string
	Err         error
	// NotSent is true when no attempt of the request can have reached the server (the
	// breaker held every attempt back, or every connection was refused): nothing changed.
	NotSent bool
}

// Error names the server that could not be reached, what happened and what
// to check. Only a real timeout is worded as one.
func (e *TransportError) Error() string {
	what, check := describeTransport(e.Err)
	if errors.Is(e.Err, errBreakerOpen) {
		return fmt.Sprintf("KAZOO at %s stopped answering: %s (%d requests in a row); the provider sends it no more requests for now. To fix: %s",
			e.URL, what, breakerThreshold, check)
	}
	return fmt.Sprintf("cannot reach KAZOO at %s: %s. To fix: %s", e.URL, what, check)
}

// Cause is what happened, in words: "connection refused", "no answer
// within 1m0s (timeout)", …
func (e *TransportError) Cause() string {
	what, _ := describeTransport(e.Err)
	return what
}

// Unwrap returns the network error.
func (e *TransportError) Unwrap() error { return e.Err }

// Is matches ErrUnreachable.
func (e *TransportError) Is(target error) bool { return target == ErrUnreachable }
