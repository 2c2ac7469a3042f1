package engine

import (
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"io/fs"
	"os"
	"path/filepath"
	"sync"
	"time"
)

// Pending creates ---------------------------------------------------------------------------
//
// A create whose answer was lost may have been applied by KAZOO. Where Terraform can keep a
// failed create's state, the engine returns the id with the error and Terraform keeps it,
// tainted (keepUncertainCreate). Terraform 1.16 cannot save that state (see
// cliKeepsFailedCreates), so there the id is written to this journal instead, in the user's
// cache directory: the next create of the same document in the same collection takes the id
// back and PUTs with it, so a document the lost create did store is adopted (KAZOO answers
// 409, the engine reads it) instead of being made twice.
//
// An entry is found by a hash of the collection path and of the document without its secret
// keys (passwords and PINs never enter the hash, so the file cannot be used to guess them);
// it holds document ids only. Entries older than pendingCreateTTL are ignored.

const pendingCreateTTL = 30 * 24 * time.Hour

// pendingCreates is the journal of one provider process.
type pendingCreates struct {
	mu    sync.Mutex
	once  sync.Once
	dir   string          // "" when the user has no cache directory: the journal is off
	taken map[string]bool // ids claimed by a create of this process that has not ended
}

// journal is the process's journal; its directory is found on first use.
var journal = &pendingCreates{taken: map[string]bool{}}

// on reports whether the journal has a directory, finding it the first time.
func (p *pendingCreates) on() bool {
	p.once.Do(func() {
		if p.dir != "" {
			return
		}
		if dir, err := os.UserCacheDir(); err == nil {
			p.dir = filepath.Join(dir, "kazoo-tf", "pending-creates")
		}
	})
	return p.dir != ""
}

type pendingEntry struct {
	ID string    `json:"id"`
	At time.Time `json:"at"`
}

// pendingKey names the journal file of a document created at collection.
func pendingKey(collection string, doc map[string]any) (string, error) {
	b, err := json.Marshal(withoutSecrets(doc))
	if err != nil {
		return "", err
	}
	h := sha256.New()
	h.Write([]byte(collection))
	h.Write([]byte{0})
	h.Write(b)
	return hex.EncodeToString(h.Sum(nil)[:16]), nil
}

// withoutSecrets copies a document without the keys that hold secrets, at any depth.
func withoutSecrets(v any) any {
	switch t := v.(type) {
	case map[string]any:
		out := make(map[string]any, len(t))
		for k, x := range t {
			if !secretKey(k) {
				out[k] = withoutSecrets(x)
			}
		}
		return out
	case []any:
		out := make([]any, len(t))
		for i, x := range t {
			out[i] = withoutSecrets(x)
		}
		return out
	}
	return v
}

func (p *pendingCreates) file(key string) string { return filepath.Join(p.dir, key+".json") }

func (p *pendingCreates) load(key string, now time.Time) []pendingEntry {
	b, err := os.ReadFile(p.file(key))
	if err != nil {
		return nil
	}
	var all, live []pendingEntry
	if json.Unmarshal(b, &all) != nil {
		return nil
	}
	for _, e := range all {
		if now.Sub(e.At) < pendingCreateTTL && e.ID != "" {
			live = append(live, e)
		}
	}
	return live
}

func (p *pendingCreates) save(key string, entries []pendingEntry) error {
	if len(entries) == 0 {
		if err := os.Remove(p.file(key)); err != nil && !errors.Is(err, fs.ErrNotExist) {
			return err
		}
		return nil
	}
	if err := os.MkdirAll(p.dir, 0o700); err != nil {
		return err
	}
	b, err := json.Marshal(entries)
	if err != nil {
		return err
	}
	tmp, err := os.CreateTemp(p.dir, key+".*.tmp")
	if err != nil {
		return err
	}
	_, err = tmp.Write(b)
	if cerr := tmp.Close(); err == nil {
		err = cerr
	}
	if err == nil {
		err = os.Rename(tmp.Name(), p.file(key))
	}
	if err != nil {
		_ = os.Remove(tmp.Name())
	}
	return err
}

// record keeps the id of a create of unknown outcome.
func (p *pendingCreates) record(key, id string, now time.Time) error {
	if !p.on() {
		return errors.New("no user cache directory")
	}
	p.mu.Lock()
	defer p.mu.Unlock()
	entries := p.load(key, now)
	for _, e := range entries {
		if e.ID == id {
			return nil
		}
	}
	return p.save(key, append(entries, pendingEntry{ID: id, At: now}))
}

// claim hands a create the oldest id recorded under key that no other create of this process
// holds. The entry stays in the journal until done says the create ended.
func (p *pendingCreates) claim(key string, now time.Time) (string, bool) {
	if !p.on() {
		return "", false
	}
	p.mu.Lock()
	defer p.mu.Unlock()
	for _, e := range p.load(key, now) {
		if !p.taken[e.ID] {
			p.taken[e.ID] = true
			return e.ID, true
		}
	}
	return "", false
}

// done ends a create that used id: stored tells whether the document is now known to exist
// (the create succeeded), which removes the id from the journal; otherwise it stays there.
func (p *pendingCreates) done(key, id string, stored bool, now time.Time) error {
	if !p.on() {
		return nil
	}
	p.mu.Lock()
	defer p.mu.Unlock()
	delete(p.taken, id)
	if !stored {
		return nil
	}
	entries := p.load(key, now)
	kept := entries[:0]
	for _, e := range entries {
		if e.ID != id {
			kept = append(kept, e)
		}
	}
	if len(kept) == len(entries) {
		return nil
	}
	return p.save(key, kept)
}
