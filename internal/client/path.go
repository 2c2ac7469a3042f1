package client

import (
	"net/url"
	"strings"
)

// escapeSegment escapes one path segment. url.PathEscape leaves "+" alone,
// but Crossbar decodes "+" in a path as a space, so phone numbers such as
// +15551234567 must travel as %2B15551234567.
func escapeSegment(s string) string {
	return strings.ReplaceAll(url.PathEscape(s), "+", "%2B")
}

// Path builds a /v2/ path from segments, escaping each one.
func Path(segments ...string) string {
	var b strings.Builder
	b.WriteString("/v2")
	for _, s := range segments {
		b.WriteByte('/')
		b.WriteString(escapeSegment(s))
	}
	return b.String()
}

// AccountPath builds /v2/accounts/{accountID}/{parts...}, escaping each part:
// AccountPath(a, "phone_numbers", "+15551234567") is
// /v2/accounts/a/phone_numbers/%2B15551234567.
func AccountPath(accountID string, parts ...string) string {
	return Path(append([]string{"accounts", accountID}, parts...)...)
}
