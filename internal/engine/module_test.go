package engine

import (
	"errors"
	"strings"
	"testing"
)

func TestCrossbarModule(t *testing.T) {
	for p, want := range map[string]string{
		"/v2/accounts/0123456789abcdef0123456789abcdef/cccps":           "cb_cccps",
		"/v2/accounts/0123456789abcdef0123456789abcdef/lists/x/entries": "cb_lists",
		"/v2/rates": "cb_rates",
		"/v2/":      "",
	} {
		if got := crossbarModule(p); got != want {
			t.Errorf("crossbarModule(%q) = %q, want %q", p, got, want)
		}
	}
}

// A module that is not loaded is not a missing document, and says so.
func TestModuleMissingIsNotNotFound(t *testing.T) {
	missing := &APIError{Status: 404, Message: "not_found", ModuleMissing: true, Module: "cb_cccps", Err: errors.New("KAZOO answered 404 not_found")}
	if isNotFound(missing) {
		t.Error("a module that is not loaded reads as a missing document")
	}
	if !isNotFound(&APIError{Status: 404, Message: "bad_identifier", Err: errors.New("x")}) {
		t.Error("bad_identifier is a missing document")
	}
	msg := explain(opRead, "kazoo_cccp", missing)
	if !strings.Contains(msg, "KAZOO's cb_cccps module is not loaded on this server (crossbar autoload_modules)") {
		t.Errorf("explain = %q", msg)
	}
}

// A number that exists elsewhere and a change that costs money are explained in operator words.
func TestExplainNumberAnswers(t *testing.T) {
	exists := explain(opCreate, "kazoo_phone_number", &APIError{Status: 409, Message: "number_exists", Err: errors.New("KAZOO answered 409 number_exists")})
	if !strings.Contains(exists, "already exists in KAZOO, in another account or in the system's pool; release it there first") {
		t.Errorf("409 number_exists = %q", exists)
	}
	charges := explain(opCreate, "kazoo_phone_number", &APIError{Status: 402, Message: "accept charges", Err: errors.New("KAZOO answered 402")})
	if !strings.Contains(charges, "set accept_charges = true") {
		t.Errorf("402 = %q", charges)
	}
}
