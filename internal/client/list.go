package client

import (
	"context"
	"encoding/json"
	"fmt"
	"iter"
	"net/url"
)

// List iterates over the rows of a list endpoint, page after page, following
// next_start_key until the server sends none. Rows are KAZOO's summaries,
// not full documents. Iteration stops at the first error, which is yielded.
func (c *Client) List(ctx context.Context, path string, query url.Values) iter.Seq2[json.RawMessage, error] {
	return func(yield func(json.RawMessage, error) bool) {
		q := url.Values{}
		for k, vs := range query {
			q[k] = append([]string(nil), vs...)
		}
		seen := map[string]bool{}
		for {
			env, err := c.Get(ctx, path, q)
			if err != nil {
				yield(nil, err)
				return
			}
			var rows []json.RawMessage
			if err := json.Unmarshal(env.Data, &rows); err != nil {
				yield(nil, fmt.Errorf("KAZOO's answer to GET %s is not a list: %w", path, err))
				return
			}
			for _, row := range rows {
				if !yield(row, nil) {
					return
				}
			}
			next := env.NextStartKey
			if next == "" {
				return
			}
			// A server that hands back a key it already gave would loop forever.
			if seen[next] {
				yield(nil, fmt.Errorf("KAZOO's answer to GET %s repeats the page key %q; stopping", path, next))
				return
			}
			seen[next] = true
			q.Set("start_key", next)
		}
	}
}
