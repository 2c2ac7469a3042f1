package client

import (
	"context"
	"encoding/json"
	"net/url"
	"strings"
)

// LogLevel is the severity of a log entry.
type LogLevel int

// Log levels, from the most verbose.
const (
	LevelTrace LogLevel = iota
	LevelDebug
	LevelInfo
	LevelWarn
	LevelError
)

// LogFunc receives the client's log entries. The provider connects it to
// tflog. Fields never carry secrets: tokens, API keys, passwords and
// credentials are redacted before the hook sees them.
type LogFunc func(ctx context.Context, level LogLevel, msg string, fields map[string]any)

// redacted replaces every secret value in logs.
const redacted = "[REDACTED]"

// secretKeys are JSON keys and query parameters whose values are never logged.
var secretKeys = map[string]bool{
	"api_key":       true,
	"apikey":        true,
	"password":      true,
	"credentials":   true,
	"auth_token":    true,
	"token":         true,
	"refresh_token": true,
	"pin":           true,
	"secret":        true,
	"x-auth-token":  true,
	"authorization": true,
}

// isSecretKey reports whether a JSON key or parameter name holds a secret: the names above,
// anything about a password or secret, and PINs (a conference's member.pins, a menu's
// record_pin).
func isSecretKey(k string) bool {
	k = strings.ToLower(k)
	return secretKeys[k] || strings.Contains(k, "password") || strings.Contains(k, "secret") ||
		k == "pins" || strings.HasSuffix(k, "_pin") || strings.HasSuffix(k, "_pins")
}

// redactQuery returns the query string with secret parameter values replaced.
func redactQuery(q url.Values) string {
	if len(q) == 0 {
		return ""
	}
	clean := url.Values{}
	for k, vs := range q {
		if isSecretKey(k) {
			clean[k] = []string{redacted}
			continue
		}
		clean[k] = vs
	}
	return clean.Encode()
}

// RedactJSON returns body with the value of every secret key replaced, at any
// depth. A body that is not JSON is replaced entirely, since it cannot be
// inspected.
func RedactJSON(body []byte) string {
	if len(body) == 0 {
		return ""
	}
	var v any
	if err := json.Unmarshal(body, &v); err != nil {
		return "[non-JSON body, " + itoa(len(body)) + " bytes]"
	}
	out, err := json.Marshal(redactValue(v))
	if err != nil {
		return redacted
	}
	return string(out)
}

func redactValue(v any) any {
	switch t := v.(type) {
	case map[string]any:
		for k, inner := range t {
			if _, flag := inner.(bool); isSecretKey(k) && inner != nil && !flag { // a flag (require_pin) holds no secret
				t[k] = redacted
				continue
			}
			t[k] = redactValue(inner)
		}
		return t
	case []any:
		for i := range t {
			t[i] = redactValue(t[i])
		}
		return t
	}
	return v
}

func itoa(n int) string {
	b, _ := json.Marshal(n)
	return string(b)
}

// log sends an entry to the hook, if one is set. Besides the key-based
// redaction of bodies, every configured secret and the current token are
// scrubbed from all text, wherever a server may have echoed them (KAZOO
// echoes an unknown API key in its 404).
func (c *Client) log(ctx context.Context, level LogLevel, msg string, fields map[string]any) {
	if c.cfg.Logger == nil {
		return
	}
	secrets := c.secrets()
	for k, v := range fields {
		if s, ok := v.(string); ok {
			fields[k] = scrub(s, secrets)
		}
	}
	c.cfg.Logger(ctx, level, scrub(msg, secrets), fields)
}

// secrets lists the values that must never appear in logs.
func (c *Client) secrets() []string {
	c.auth.mu.Lock()
	token := c.auth.token
	c.auth.mu.Unlock()
	out := make([]string, 0, 5)
	for _, s := range []string{c.cfg.APIKey, c.cfg.Password, c.credentialsHash, c.cfg.AuthToken, token} {
		if len(s) >= 4 { // shorter values would mangle ordinary text
			out = append(out, s)
		}
	}
	return out
}

func scrub(s string, secrets []string) string {
	for _, secret := range secrets {
		if strings.Contains(s, secret) {
			s = strings.ReplaceAll(s, secret, redacted)
		}
	}
	return s
}
