package client

import (
	"context"
	"encoding/json"
	"fmt"
	"iter"
	"net/url"
	"sort"
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
			rows, err := listRows(env.Data)
			if err != nil {
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

// listRows reads the rows of a list answer: an array, or the phone_numbers listing, an object
// whose "numbers" map is keyed by number (each row is then the value with "id" set to the number).
func listRows(data json.RawMessage) ([]json.RawMessage, error) {
	var rows []json.RawMessage
	err := json.Unmarshal(data, &rows)
	if err == nil {
		return rows, nil
	}
	var numbers struct {
		Numbers map[string]map[string]json.RawMessage `json:"numbers"`
	}
	if json.Unmarshal(data, &numbers) != nil || numbers.Numbers == nil {
		return nil, err
	}
	keys := make([]string, 0, len(numbers.Numbers))
	for k := range numbers.Numbers {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	for _, k := range keys {
		row := numbers.Numbers[k]
		if row == nil {
			row = map[string]json.RawMessage{}
		}
		id, _ := json.Marshal(k)
		row["id"] = id
		b, mErr := json.Marshal(row)
		if mErr != nil {
			return nil, mErr
		}
		rows = append(rows, b)
	}
	return rows, nil
}
