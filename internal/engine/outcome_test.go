package engine

import (
	"errors"
	"strings"
	"testing"
)

// A create that never reached KAZOO has a known outcome (nothing happened): it is neither kept
// tainted nor journalled, and its error says nothing changed.
func TestNotSentIsNoUncertainOutcome(t *testing.T) {
	notSent := &APIError{Status: 0, NotSent: true, Err: errors.New("connection refused")}
	lost := &APIError{Status: 0, Err: errors.New("connection closed without an answer")}
	if outcomeUnknown(notSent) {
		t.Error("a request that was never sent has an unknown outcome")
	}
	if !outcomeUnknown(lost) {
		t.Error("a request whose answer was lost has a known outcome")
	}
	if msg := explain(opCreate, "kazoo_device", notSent); !strings.Contains(msg, "Nothing was sent") {
		t.Errorf("explain(not sent) = %q", msg)
	}
	if msg := explain(opCreate, "kazoo_device", lost); strings.Contains(msg, "Nothing was sent") {
		t.Errorf("explain(lost answer) = %q", msg)
	}
}
