package client

import (
	"crypto/tls"
	"crypto/x509"
	"errors"
	"fmt"
	"math"
	"net/http"
	"net/url"
	"os"
	"strings"
	"time"
)

// Defaults chosen for KAZOO's stock configuration.
const (
	// DefaultTimeout bounds one HTTP attempt.
	DefaultTimeout = 60 * time.Second
	// DefaultMaxRetries is how many times a failed attempt is retried.
	DefaultMaxRetries = 5
	// DefaultRequestsPerSecond is KAZOO's default bucket refill: 10 tokens a
	// second per client address and account.
	DefaultRequestsPerSecond = 10
	// DefaultBurst is KAZOO's default bucket size: 100 tokens.
	DefaultBurst = 100
	// DefaultUserAgent is sent when Config.UserAgent is empty.
	DefaultUserAgent = "terraform-provider-kazoo"
	// DefaultRetryWaitMin and DefaultRetryWaitMax bound the backoff between
	// attempts. KAZOO's bucket refills 10 tokens a second, so a second is
	// usually enough after a 429.
	DefaultRetryWaitMin = 500 * time.Millisecond
	DefaultRetryWaitMax = 30 * time.Second
)

// Config configures a Client. URL and one credential method are required:
// APIKey; or Username and Password with one of AccountName, AccountRealm or
// PhoneNumber; or AuthToken.
type Config struct {
	// URL is Crossbar's base address, such as http://kazoo.example.com:8000,
	// with or without a trailing /v2.
	URL string
	// AccountID is the account the provider works in. When empty it is
	// learnt from the login; when set, a login into another account fails
	// with ErrAccountMismatch.
	AccountID string

	// APIKey logs in through PUT /v2/api_auth.
	APIKey string
	// Username and Password log in through PUT /v2/user_auth, in the account
	// named by exactly one of AccountName, AccountRealm or PhoneNumber.
	Username     string
	Password     string
	AccountName  string
	AccountRealm string
	PhoneNumber  string
	// AuthToken is a token obtained elsewhere; it is used as is and cannot
	// be renewed.
	AuthToken string

	// Timeout bounds each HTTP attempt (0: DefaultTimeout).
	Timeout time.Duration
	// MaxRetries bounds the retries of one request (negative: none; 0:
	// DefaultMaxRetries).
	MaxRetries int
	// RetryWaitMin and RetryWaitMax bound the backoff (0: the defaults).
	RetryWaitMin, RetryWaitMax time.Duration
	// RequestsPerSecond is the refill rate of the client's model of KAZOO's
	// rate-limit buckets, one per account (0: DefaultRequestsPerSecond;
	// negative: no client-side limit).
	RequestsPerSecond float64
	// Burst is the size of those buckets (0: DefaultBurst).
	Burst int

	// TokenCache keeps the token of a login in a file, so that the next
	// client (the next Terraform command) reuses it instead of logging in.
	TokenCache bool
	// TokenCacheDir is where; empty: os.UserCacheDir()/kazoo-tf/tokens.
	TokenCacheDir string

	// InsecureSkipVerify disables TLS certificate verification.
	InsecureSkipVerify bool
	// CACertFile is a PEM file of extra certificate authorities to trust.
	CACertFile string

	// AcceptCharges sends accept_charges with every write, so KAZOO applies
	// changes that add billable services instead of answering 402.
	AcceptCharges bool
	// UserAgent is sent on every request (default DefaultUserAgent).
	UserAgent string
	// Logger receives log entries; nil disables logging.
	Logger LogFunc

	// HTTPClient replaces the client's own HTTP client (tests); its
	// Transport is wrapped, not replaced.
	HTTPClient *http.Client
	// Transport replaces the base transport (tests).
	Transport http.RoundTripper
}

// credential methods.
const (
	methodAPIKey      = "api_key"
	methodCredentials = "credentials"
	methodToken       = "auth_token"
)

// method returns the single credential method the configuration names.
func (cfg *Config) method() (string, error) {
	var methods []string
	if cfg.APIKey != "" {
		methods = append(methods, methodAPIKey)
	}
	if cfg.Username != "" || cfg.Password != "" {
		methods = append(methods, methodCredentials)
	}
	if cfg.AuthToken != "" {
		methods = append(methods, methodToken)
	}
	switch len(methods) {
	case 0:
		return "", errors.New("no credentials: set an API key, a username and password, or an auth token")
	case 1:
	default:
		return "", fmt.Errorf("more than one credential method is set (%s); use exactly one", strings.Join(methods, ", "))
	}
	if methods[0] == methodCredentials {
		if cfg.Username == "" || cfg.Password == "" {
			return "", errors.New("user credentials need both a username and a password")
		}
		n := 0
		for _, s := range []string{cfg.AccountName, cfg.AccountRealm, cfg.PhoneNumber} {
			if s != "" {
				n++
			}
		}
		if n != 1 {
			return "", errors.New("user credentials need exactly one of account name, account realm or phone number to find the account")
		}
	} else if cfg.AccountName != "" || cfg.AccountRealm != "" || cfg.PhoneNumber != "" {
		return "", errors.New("account name, account realm and phone number only apply to username and password login")
	}
	return methods[0], nil
}

// ParseBaseURL checks a Crossbar URL and returns it without a trailing /v2:
// the base every /v2/ path is appended to.
func ParseBaseURL(raw string) (*url.URL, error) {
	raw = strings.TrimSpace(raw)
	if raw == "" {
		return nil, errors.New("the URL is empty")
	}
	u, err := url.Parse(raw)
	if err != nil {
		return nil, fmt.Errorf("the URL %q cannot be parsed: %v", raw, err)
	}
	if u.Scheme != "http" && u.Scheme != "https" {
		return nil, fmt.Errorf("the URL %q needs an http:// or https:// scheme, e.g. http://kazoo.example.com:8000", raw)
	}
	if u.Host == "" || u.Hostname() == "" {
		return nil, fmt.Errorf("the URL %q has no host, e.g. http://kazoo.example.com:8000", raw)
	}
	if u.RawQuery != "" || u.Fragment != "" || u.User != nil {
		return nil, fmt.Errorf("the URL %q must not carry a query, fragment or user information", raw)
	}
	p := strings.TrimRight(u.Path, "/")
	p = strings.TrimSuffix(p, "/v2")
	u.Path = strings.TrimRight(p, "/")
	u.RawPath = ""
	return u, nil
}

// IsAccountID reports whether s is a KAZOO account id: 32 lowercase hex characters.
func IsAccountID(s string) bool {
	if len(s) != 32 {
		return false
	}
	for _, c := range s {
		if (c < '0' || c > '9') && (c < 'a' || c > 'f') {
			return false
		}
	}
	return true
}

// rateAndBurst resolves the model of KAZOO's bucket; +Inf when unlimited.
func (cfg *Config) rateAndBurst() (float64, int) {
	rps := cfg.RequestsPerSecond
	switch {
	case rps < 0:
		return math.Inf(1), 0
	case rps == 0:
		rps = DefaultRequestsPerSecond
	}
	burst := cfg.Burst
	if burst <= 0 {
		burst = DefaultBurst
	}
	return rps, burst
}

// tlsConfig builds the TLS settings from the CA file and skip-verify flag.
func (cfg *Config) tlsConfig() (*tls.Config, error) {
	tc := &tls.Config{MinVersion: tls.VersionTLS12, InsecureSkipVerify: cfg.InsecureSkipVerify} //nolint:gosec // operator's explicit choice
	if cfg.CACertFile != "" {
		pem, err := os.ReadFile(cfg.CACertFile)
		if err != nil {
			return nil, fmt.Errorf("reading the CA certificate file: %w", err)
		}
		pool, err := x509.SystemCertPool()
		if err != nil || pool == nil {
			pool = x509.NewCertPool()
		}
		if !pool.AppendCertsFromPEM(pem) {
			return nil, fmt.Errorf("the CA certificate file %s holds no PEM certificate", cfg.CACertFile)
		}
		tc.RootCAs = pool
	}
	return tc, nil
}
