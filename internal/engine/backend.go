package engine

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"net/url"
	"strings"
	"time"
)

// Backend is what the engine needs from a Crossbar client. The provider hands the engine a
// *client.Client through ProviderData (see ClientBackend); unit tests use a fake.
type Backend interface {
	// AccountID is the account the credentials belong to (or the configured one).
	AccountID() string
	// Get returns the envelope data of GET path.
	Get(ctx context.Context, path string) (json.RawMessage, error)
	// Put, Post and Patch send doc as the envelope data and return the answer's data.
	Put(ctx context.Context, path string, doc any, opts WriteOptions) (json.RawMessage, error)
	Post(ctx context.Context, path string, doc any, opts WriteOptions) (json.RawMessage, error)
	Patch(ctx context.Context, path string, doc any, opts WriteOptions) (json.RawMessage, error)
	// Delete deletes the document at path.
	Delete(ctx context.Context, path string) error
	// List returns every row of a list endpoint, following pagination.
	List(ctx context.Context, path string, query url.Values) ([]json.RawMessage, error)
}

// Uploader is a Backend that can send a raw body (media audio, whitelabel logos) and answer
// with the envelope data.
type Uploader interface {
	Upload(ctx context.Context, path, contentType string, body []byte) (json.RawMessage, error)
}

// WriteOptions are per-request options of a write.
type WriteOptions struct {
	// AcceptCharges, when set, overrides the provider's accept_charges for this request.
	AcceptCharges *bool
}

// APIError is an error answer from Crossbar as the engine sees it. Backends wrap their own
// error in it so the engine can map it to diagnostics without knowing the client.
type APIError struct {
	// Status is the HTTP status; 0 when no answer arrived (the request may or may not have
	// reached the server).
	Status int
	// NotSent is true, with Status 0, when the request cannot have reached the server.
	NotSent bool
	// Message is KAZOO's short error name ("bad_identifier", "account_has_descendants").
	Message string
	// Validation maps KAZOO's dotted paths to the messages of the rules that failed there.
	Validation map[string][]string
	// ModuleMissing is true for the 404 Crossbar gives when no loaded module serves the path
	// (its error is "not_found", where a missing document is "bad_identifier").
	ModuleMissing bool
	// Module is the Crossbar module that serves the path ("cb_cccps"), when known.
	Module string
	// Err is the underlying error; its text is what operators read.
	Err error
}

func (e *APIError) Error() string { return e.Err.Error() }
func (e *APIError) Unwrap() error { return e.Err }

func apiStatus(err error) int {
	var ae *APIError
	if errors.As(err, &ae) {
		return ae.Status
	}
	return -1
}

// isNotFound reports whether the document is gone. A 404 for a path no loaded Crossbar module
// serves is not: the document may well exist once the module is loaded again.
func isNotFound(err error) bool { return apiStatus(err) == 404 && !isModuleMissing(err) }

// isModuleMissing reports whether KAZOO answered that no loaded Crossbar module serves the path.
func isModuleMissing(err error) bool {
	var ae *APIError
	return errors.As(err, &ae) && ae.ModuleMissing
}

// outcomeUnknown reports whether a failed create may still have been applied by the server:
// no answer to a request that may have arrived, a server error, or a conflict (a retry found
// the document the first attempt made).
func outcomeUnknown(err error) bool {
	if errors.Is(err, context.Canceled) {
		return false
	}
	var ae *APIError
	if errors.As(err, &ae) && ae.NotSent {
		return false
	}
	s := apiStatus(err)
	return s == 0 || s == 409 || s >= 500 || errors.Is(err, context.DeadlineExceeded)
}

// transient reports whether an error is worth another attempt of an idempotent operation:
// KAZOO's 500 answers are often momentary (a datastore hiccup). The client already retries
// 429, 502, 503, 504 and lost connections.
func transient(err error) bool {
	var ae *APIError
	// A refusal KAZOO words as a 500 (deleting an account with sub-accounts) is not transient.
	return errors.As(err, &ae) && ae.Status == 500 && ae.Message != "account_has_descendants"
}

// retryAttempts bounds the attempts of an idempotent operation made by retry.
const retryAttempts = 3

// retry runs op until it succeeds, says not to retry, or retryAttempts are spent, waiting a
// little longer before each new attempt. It returns op's last error.
func retry(ctx context.Context, op func() (again bool, err error)) error {
	for attempt := 1; ; attempt++ {
		again, err := op()
		if err == nil || !again || attempt >= retryAttempts {
			return err
		}
		select {
		case <-ctx.Done():
			return err
		case <-time.After(time.Duration(attempt) * 250 * time.Millisecond):
		}
	}
}

// crossbarModule names the Crossbar module serving a /v2/ path: cb_ and the collection under the
// account ("/v2/accounts/{A}/cccps/{id}" is cb_cccps), or the first segment for system paths.
func crossbarModule(p string) string {
	segs := strings.Split(strings.Trim(strings.TrimPrefix(p, "/v2"), "/"), "/")
	if len(segs) >= 3 && segs[0] == "accounts" {
		return "cb_" + segs[2]
	}
	if len(segs) >= 1 && segs[0] != "" {
		return "cb_" + segs[0]
	}
	return ""
}

// newID returns a KAZOO document id: 32 lowercase hexadecimal characters.
func newID() (string, error) {
	var b [16]byte
	if _, err := rand.Read(b[:]); err != nil {
		return "", err
	}
	return hex.EncodeToString(b[:]), nil
}

// Paths --------------------------------------------------------------------------------------

// esc escapes one path segment. Crossbar reads "+" in a path as a space, so a phone number
// travels as %2B15551234567.
func esc(s string) string { return strings.ReplaceAll(url.PathEscape(s), "+", "%2B") }

// createPath is where a new document is PUT.
func (s *Spec) createPath(owner, id string) string {
	switch s.Scope {
	case ScopeAccounts:
		return "/v2/accounts/" + esc(owner)
	case ScopeSingleton:
		return s.itemPath(owner, id)
	case ScopeKeyed:
		if !s.KeyInBody {
			return s.itemPath(owner, id)
		}
	}
	return "/v2/accounts/" + esc(owner) + "/" + s.Collection
}

// itemPath is the document's own path.
func (s *Spec) itemPath(owner, id string) string {
	switch s.Scope {
	case ScopeAccounts:
		return "/v2/accounts/" + esc(id)
	case ScopeSingleton:
		return "/v2/accounts/" + esc(owner) + "/" + s.Collection
	}
	return "/v2/accounts/" + esc(owner) + "/" + s.Collection + "/" + esc(id)
}

// clientChosenID reports whether the engine picks the document id (sent as data.id on PUT).
func (s *Spec) clientChosenID() bool { return s.Scope == ScopeAccount || s.Scope == ScopeAccounts }

// listPath is what data source lookups list.
func (s *Spec) listPath(owner string) string {
	if s.Hooks.ListPath != nil {
		return s.Hooks.ListPath(owner)
	}
	if s.Scope == ScopeAccounts {
		return "/v2/accounts/" + esc(owner) + "/children"
	}
	return "/v2/accounts/" + esc(owner) + "/" + s.Collection
}

// Import ids ---------------------------------------------------------------------------------

// parseImport reads a resource's import id in the form its scope uses.
func (s *Spec) parseImport(raw string) (owner, id string, err error) {
	switch s.Scope {
	case ScopeSingleton:
		raw = strings.TrimSpace(raw)
		if raw != "" && !hex32.MatchString(raw) {
			return "", "", fmt.Errorf("the import id %q is not valid: use the account id (32 lowercase hexadecimal characters), "+
				"or an empty id for the provider's account", raw)
		}
		return raw, raw, nil
	case ScopeKeyed:
		parts := strings.Split(strings.TrimSpace(raw), "/")
		switch {
		case len(parts) == 1 && parts[0] != "":
			return "", parts[0], nil
		case len(parts) == 2 && hex32.MatchString(parts[0]) && parts[1] != "":
			return parts[0], parts[1], nil
		}
		return "", "", fmt.Errorf("the import id %q is not valid: use \"<%s>\" to import from the provider's account "+
			"or \"<account_id>/<%s>\", where account_id is 32 lowercase hexadecimal characters", raw, s.KeyAttr, s.KeyAttr)
	}
	return ParseImportID(raw, s.ownerAttr())
}

// ParseImportID splits an import id of the form "<id>" or "<owner_id>/<id>". Both parts must
// be KAZOO ids (32 lowercase hexadecimal characters). ownerAttr names the owner in the error.
func ParseImportID(raw, ownerAttr string) (owner, id string, err error) {
	parts := strings.Split(strings.TrimSpace(raw), "/")
	switch len(parts) {
	case 1:
		id = parts[0]
	case 2:
		owner, id = parts[0], parts[1]
	default:
		parts = nil
	}
	if parts == nil || !hex32.MatchString(id) || (owner != "" || len(parts) == 2) && !hex32.MatchString(owner) {
		return "", "", fmt.Errorf("the import id %q is not valid: use \"<id>\" to import from the provider's account "+
			"or \"<%s>/<id>\", where each id is 32 lowercase hexadecimal characters", raw, ownerAttr)
	}
	return owner, id, nil
}
