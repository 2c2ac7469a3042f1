package engine

import (
	"context"
	"encoding/json"
	"fmt"
)

// KAZOO 4.3 answers a GET of a conference that does not exist (never created, or deleted) with
// 200 and an ad-hoc conference it makes up on the spot (cb_conferences:maybe_build_conference).
// Such a document was never stored, so the answer carries no revision: for specs with
// GoneWithoutRevision, a GET answered without one reads as 404, so that a deletion behind
// Terraform's back plans a re-create and an import of an unknown id fails.

// revisionGetter is a Backend that can tell the revision KAZOO's answer carried.
type revisionGetter interface {
	// GetWithRevision is Get that also returns the envelope's revision ("" when absent).
	GetWithRevision(ctx context.Context, path string) (json.RawMessage, string, error)
}

// getDoc GETs a document of spec s through b.
func getDoc(ctx context.Context, b Backend, s *Spec, path string) (json.RawMessage, error) {
	rg, ok := b.(revisionGetter)
	if !s.GoneWithoutRevision || !ok {
		return b.Get(ctx, path)
	}
	raw, rev, err := rg.GetWithRevision(ctx, path)
	if err == nil && rev == "" {
		return nil, &APIError{Status: 404, Message: "bad_identifier",
			Err: fmt.Errorf("GET %s: KAZOO answered with a document it made up (no revision): none is stored", path)}
	}
	return raw, err
}

// GetWithRevision implements revisionGetter.
func (b clientBackend) GetWithRevision(ctx context.Context, path string) (json.RawMessage, string, error) {
	env, err := b.c.Get(ctx, path, nil)
	if err != nil {
		return nil, "", wrapClientError(err)
	}
	return env.Data, env.Revision, nil
}
