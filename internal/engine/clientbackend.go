package engine

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net/url"
	"sort"

	"github.com/kazoo-community/terraform-provider-kazoo/internal/client"
)

// backendFrom turns the provider's ProviderData into a Backend.
func backendFrom(pd any) (Backend, error) {
	switch v := pd.(type) {
	case *client.Client:
		return ClientBackend(v), nil
	case ResourceData:
		return v.Backend, nil
	case Backend:
		return v, nil
	}
	return nil, fmt.Errorf("expected a *client.Client, got %T; this is a bug in the provider, please report it", pd)
}

// ResourceData is what the provider hands the engine's resources: its backend, and the version
// of the CLI that drives them (ConfigureRequest.TerraformVersion), which decides how a create of
// unknown outcome is answered (uncertain_create.go).
type ResourceData struct {
	Backend          Backend
	TerraformVersion string
}

// ClientBackend adapts the Crossbar client to the engine.
func ClientBackend(c *client.Client) Backend { return clientBackend{c} }

type clientBackend struct{ c *client.Client }

func (b clientBackend) AccountID() string { return b.c.AccountID() }

func (b clientBackend) Get(ctx context.Context, path string) (json.RawMessage, error) {
	env, err := b.c.Get(ctx, path, nil)
	if err != nil {
		return nil, wrapClientError(err)
	}
	return env.Data, nil
}

func writeOpts(o WriteOptions) []client.RequestOption {
	if o.AcceptCharges == nil {
		return nil
	}
	return []client.RequestOption{client.WithAcceptCharges(*o.AcceptCharges)}
}

// Put carries a client-chosen id, so repeating it cannot create a duplicate: the client may
// retry it like any other method (a repeat that finds the document answers 409, which the
// engine resolves by reading the document).
func (b clientBackend) Put(ctx context.Context, path string, doc any, o WriteOptions) (json.RawMessage, error) {
	env, err := b.c.Put(ctx, path, doc, append(writeOpts(o), client.Idempotent())...)
	if err != nil {
		return nil, wrapClientError(err)
	}
	return env.Data, nil
}

func (b clientBackend) Post(ctx context.Context, path string, doc any, o WriteOptions) (json.RawMessage, error) {
	env, err := b.c.Post(ctx, path, doc, writeOpts(o)...)
	if err != nil {
		return nil, wrapClientError(err)
	}
	return env.Data, nil
}

func (b clientBackend) Patch(ctx context.Context, path string, doc any, o WriteOptions) (json.RawMessage, error) {
	env, err := b.c.Patch(ctx, path, doc, writeOpts(o)...)
	if err != nil {
		return nil, wrapClientError(err)
	}
	return env.Data, nil
}

func (b clientBackend) Delete(ctx context.Context, path string) error {
	_, err := b.c.Delete(ctx, path)
	return wrapClientError(err)
}

// Upload POSTs a raw body with its content type.
func (b clientBackend) Upload(ctx context.Context, path, contentType string, body []byte) (json.RawMessage, error) {
	env, err := b.c.Do(ctx, client.Request{Method: "POST", Path: path, Body: body, ContentType: contentType})
	if err != nil {
		return nil, wrapClientError(err)
	}
	return env.Data, nil
}

func (b clientBackend) List(ctx context.Context, path string, query url.Values) ([]json.RawMessage, error) {
	var rows []json.RawMessage
	for row, err := range b.c.List(ctx, path, query) {
		if err != nil {
			return nil, wrapClientError(err)
		}
		rows = append(rows, row)
	}
	return rows, nil
}

// wrapClientError gives the engine the facts of a client error it acts on.
func wrapClientError(err error) error {
	if err == nil {
		return nil
	}
	var ce *client.Error
	if errors.As(err, &ce) {
		ae := &APIError{Status: ce.StatusCode, Message: ce.Message, ModuleMissing: ce.IsModuleMissing(), Err: err}
		if ae.ModuleMissing {
			ae.Module = crossbarModule(ce.Path)
		}
		if len(ce.Validation) > 0 {
			ae.Validation = map[string][]string{}
			for key, rules := range ce.Validation {
				names := make([]string, 0, len(rules))
				for rule := range rules {
					names = append(names, rule)
				}
				sort.Strings(names)
				for _, rule := range names {
					msg := rules[rule].Message
					if msg == "" {
						msg = "failed"
					}
					ae.Validation[key] = append(ae.Validation[key], fmt.Sprintf("%s (rule %s)", msg, rule))
				}
			}
		}
		return ae
	}
	if errors.Is(err, client.ErrUnreachable) {
		var te *client.TransportError
		return &APIError{Status: 0, NotSent: errors.As(err, &te) && te.NotSent, Err: err}
	}
	return err
}
