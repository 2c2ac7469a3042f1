package engine

import (
	"context"
	"encoding/json"
	"fmt"
)

// unwrapBackend answers GETs with the object under key of KAZOO's answer (Hooks.ReadKey).
type unwrapBackend struct {
	Backend
	key string
}

func (u unwrapBackend) Get(ctx context.Context, path string) (json.RawMessage, error) {
	raw, err := u.Backend.Get(ctx, path)
	if err != nil {
		return nil, err
	}
	var wrapped map[string]json.RawMessage
	if err := json.Unmarshal(raw, &wrapped); err != nil {
		return nil, fmt.Errorf("KAZOO's answer to GET %s is not an object: %w", path, err)
	}
	inner, ok := wrapped[u.key]
	if !ok || string(inner) == "null" {
		return json.RawMessage("{}"), nil
	}
	return inner, nil
}

// Upload keeps the wrapped backend's uploads.
func (u unwrapBackend) Upload(ctx context.Context, path, contentType string, body []byte) (json.RawMessage, error) {
	up, ok := u.Backend.(Uploader)
	if !ok {
		return nil, fmt.Errorf("this connection to KAZOO cannot upload files")
	}
	return up.Upload(ctx, path, contentType, body)
}
