package engine

import (
	"context"
	"encoding/json"
	"net/url"
	"testing"
)

// revBackend answers every GET with the same document and revision.
type revBackend struct {
	Backend
	rev string
}

func (b revBackend) Get(context.Context, string) (json.RawMessage, error) {
	return json.RawMessage(`{"id":"x"}`), nil
}

func (b revBackend) GetWithRevision(context.Context, string) (json.RawMessage, string, error) {
	return json.RawMessage(`{"id":"x"}`), b.rev, nil
}

func (b revBackend) List(context.Context, string, url.Values) ([]json.RawMessage, error) {
	return nil, nil
}

func TestGoneWithoutRevision(t *testing.T) {
	ctx := context.Background()
	opted := &Spec{GoneWithoutRevision: true}
	if _, err := getDoc(ctx, revBackend{}, opted, "/v2/accounts/a/conferences/x"); !isNotFound(err) {
		t.Errorf("a made-up document (no revision) must read as not found, got %v", err)
	}
	if raw, err := getDoc(ctx, revBackend{rev: "1-abc"}, opted, "/p"); err != nil || string(raw) != `{"id":"x"}` {
		t.Errorf("a stored document: %s %v", raw, err)
	}
	if _, err := getDoc(ctx, revBackend{}, &Spec{}, "/p"); err != nil {
		t.Errorf("specs that do not opt in take any answer: %v", err)
	}
}
