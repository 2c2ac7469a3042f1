package kazoosim

import (
	"bytes"
	"crypto/md5"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"sort"
	"strconv"
	"strings"
	"sync"

	bolt "go.etcd.io/bbolt"
)

// Doc is a decoded JSON document. Numbers are json.Number so integers survive a round trip.
type Doc = map[string]any

// errConflict is returned by store.put when the document changed since it was loaded, the way
// CouchDB rejects a save with a stale _rev.
var errConflict = errors.New("document update conflict")

// record is one stored document version. The JSON is immutable once stored, so readers share it
// without copying.
type record struct {
	raw []byte // the whole document, private fields included
	rev string

	// The decoded document and its public JSON are computed once, on first read, and shared
	// by every reader: a record never changes after it is stored.
	once   sync.Once
	parsed Doc
	public []byte
}

// shared returns the decoded document; callers must not modify it.
func (r *record) shared() Doc {
	r.once.Do(func() {
		d, err := decodeDoc(r.raw)
		if err != nil {
			d = Doc{}
		}
		r.parsed = d
		r.public, _ = json.Marshal(publicView(d))
	})
	return r.parsed
}

// publicJSON is the document as Crossbar returns it, already encoded.
func (r *record) publicJSON() json.RawMessage {
	r.shared()
	return r.public
}

// attachment is a binary stored beside a document (media /raw).
type attachment struct {
	ContentType string `json:"content_type"`
	Data        []byte `json:"data"`
}

// store is the simulator's one document store: databases (an account id, or "accounts" for the
// account documents) holding documents keyed by id, with CouchDB-style revisions. Everything is
// kept in memory; with a data file every acknowledged write is first committed (and fsynced) to
// bbolt, so it survives a crash.
type store struct {
	mu   sync.RWMutex
	dbs  map[string]map[string]*record
	atts map[string]map[string]*attachment
	meta map[string][]byte
	bolt *bolt.DB
}

const (
	bucketDocs = "docs"
	bucketAtts = "atts"
	bucketMeta = "meta"
)

func openStore(path string) (*store, error) {
	s := &store{
		dbs:  map[string]map[string]*record{},
		atts: map[string]map[string]*attachment{},
		meta: map[string][]byte{},
	}
	if path == "" {
		return s, nil
	}
	db, err := bolt.Open(path, 0o600, &bolt.Options{Timeout: 0})
	if err != nil {
		return nil, fmt.Errorf("open data file %s: %w", path, err)
	}
	s.bolt = db
	err = db.Update(func(tx *bolt.Tx) error {
		for _, b := range []string{bucketDocs, bucketAtts, bucketMeta} {
			if _, err := tx.CreateBucketIfNotExists([]byte(b)); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		db.Close()
		return nil, err
	}
	err = db.View(func(tx *bolt.Tx) error {
		if err := tx.Bucket([]byte(bucketDocs)).ForEach(func(k, v []byte) error {
			dbName, id := splitKey(k)
			raw := append([]byte(nil), v...)
			var head struct {
				Rev string `json:"_rev"`
			}
			if err := json.Unmarshal(raw, &head); err != nil {
				return fmt.Errorf("corrupt document %s: %w", k, err)
			}
			s.db(dbName)[id] = &record{raw: raw, rev: head.Rev}
			return nil
		}); err != nil {
			return err
		}
		if err := tx.Bucket([]byte(bucketAtts)).ForEach(func(k, v []byte) error {
			dbName, id := splitKey(k)
			var a attachment
			if err := json.Unmarshal(v, &a); err != nil {
				return fmt.Errorf("corrupt attachment %s: %w", k, err)
			}
			if s.atts[dbName] == nil {
				s.atts[dbName] = map[string]*attachment{}
			}
			s.atts[dbName][id] = &a
			return nil
		}); err != nil {
			return err
		}
		return tx.Bucket([]byte(bucketMeta)).ForEach(func(k, v []byte) error {
			s.meta[string(k)] = append([]byte(nil), v...)
			return nil
		})
	})
	if err != nil {
		db.Close()
		return nil, err
	}
	return s, nil
}

func (s *store) close() error {
	if s.bolt != nil {
		return s.bolt.Close()
	}
	return nil
}

func boltKey(db, id string) []byte { return []byte(db + "\x00" + id) }

func splitKey(k []byte) (string, string) {
	i := bytes.IndexByte(k, 0)
	if i < 0 {
		return "", string(k)
	}
	return string(k[:i]), string(k[i+1:])
}

// db returns a database's map, creating it; callers hold s.mu for writing.
func (s *store) db(name string) map[string]*record {
	d := s.dbs[name]
	if d == nil {
		d = map[string]*record{}
		s.dbs[name] = d
	}
	return d
}

// getRaw returns a document's stored JSON and revision.
func (s *store) getRaw(db, id string) (*record, bool) {
	s.mu.RLock()
	defer s.mu.RUnlock()
	r, ok := s.dbs[db][id]
	return r, ok
}

// peek returns a document shared with other readers (do not modify it), soft-deleted ones
// included.
func (s *store) peek(db, id string) (Doc, *record, bool) {
	r, ok := s.getRaw(db, id)
	if !ok {
		return nil, nil, false
	}
	return r.shared(), r, true
}

// get returns a fresh decoded copy of a document, soft-deleted ones included.
func (s *store) get(db, id string) (Doc, string, bool) {
	r, ok := s.getRaw(db, id)
	if !ok {
		return nil, "", false
	}
	d, err := decodeDoc(r.raw)
	if err != nil {
		return nil, "", false
	}
	return d, r.rev, true
}

// put saves a document. expectRev is the revision the caller loaded ("" when it expects no
// document); a different current revision is a conflict. It returns the new revision.
func (s *store) put(db, id string, d Doc, expectRev string) (string, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.putLocked(db, id, d, expectRev)
}

func (s *store) putLocked(db, id string, d Doc, expectRev string) (string, error) {
	cur, exists := s.dbs[db][id]
	curRev := ""
	if exists {
		curRev = cur.rev
	}
	if curRev != expectRev {
		return "", errConflict
	}
	d["_id"] = id
	delete(d, "_rev")
	body, err := json.Marshal(d)
	if err != nil {
		return "", err
	}
	rev := nextRev(curRev, body)
	d["_rev"] = rev
	raw, err := json.Marshal(d)
	if err != nil {
		return "", err
	}
	if s.bolt != nil {
		// bbolt commits with fsync: once this returns the write survives kill -9.
		if err := s.bolt.Update(func(tx *bolt.Tx) error {
			return tx.Bucket([]byte(bucketDocs)).Put(boltKey(db, id), raw)
		}); err != nil {
			return "", err
		}
	}
	s.db(db)[id] = &record{raw: raw, rev: rev}
	return rev, nil
}

// remove deletes a document for good (hard delete).
func (s *store) remove(db, id string) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.bolt != nil {
		if err := s.bolt.Update(func(tx *bolt.Tx) error {
			if err := tx.Bucket([]byte(bucketAtts)).Delete(boltKey(db, id)); err != nil {
				return err
			}
			return tx.Bucket([]byte(bucketDocs)).Delete(boltKey(db, id))
		}); err != nil {
			return err
		}
	}
	delete(s.dbs[db], id)
	delete(s.atts[db], id)
	return nil
}

// all returns decoded copies of every document of a database, soft-deleted ones included,
// in id order.
func (s *store) all(db string) []Doc {
	s.mu.RLock()
	recs := make([]*record, 0, len(s.dbs[db]))
	for _, r := range s.dbs[db] {
		recs = append(recs, r)
	}
	s.mu.RUnlock()
	out := make([]Doc, 0, len(recs))
	for _, r := range recs {
		if d, err := decodeDoc(r.raw); err == nil {
			out = append(out, d)
		}
	}
	sort.Slice(out, func(i, j int) bool { return str(out[i]["_id"]) < str(out[j]["_id"]) })
	return out
}

// shared returns every document of a database, soft-deleted ones included, in id order. The
// documents are shared with other readers: do not modify them.
func (s *store) shared(db string) []Doc {
	s.mu.RLock()
	recs := make([]*record, 0, len(s.dbs[db]))
	for _, r := range s.dbs[db] {
		recs = append(recs, r)
	}
	s.mu.RUnlock()
	out := make([]Doc, 0, len(recs))
	for _, r := range recs {
		out = append(out, r.shared())
	}
	sort.Slice(out, func(i, j int) bool { return str(out[i]["_id"]) < str(out[j]["_id"]) })
	return out
}

// each calls fn with every document of a database (shared, do not modify) in no particular
// order, until fn returns false.
func (s *store) each(db string, fn func(Doc) bool) {
	s.mu.RLock()
	recs := make([]*record, 0, len(s.dbs[db]))
	for _, r := range s.dbs[db] {
		recs = append(recs, r)
	}
	s.mu.RUnlock()
	for _, r := range recs {
		if !fn(r.shared()) {
			return
		}
	}
}

// dbNames lists the databases that hold documents.
func (s *store) dbNames() []string {
	s.mu.RLock()
	defer s.mu.RUnlock()
	names := make([]string, 0, len(s.dbs))
	for n := range s.dbs {
		names = append(names, n)
	}
	sort.Strings(names)
	return names
}

func (s *store) putAttachment(db, id string, a *attachment) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.bolt != nil {
		raw, err := json.Marshal(a)
		if err != nil {
			return err
		}
		if err := s.bolt.Update(func(tx *bolt.Tx) error {
			return tx.Bucket([]byte(bucketAtts)).Put(boltKey(db, id), raw)
		}); err != nil {
			return err
		}
	}
	if s.atts[db] == nil {
		s.atts[db] = map[string]*attachment{}
	}
	s.atts[db][id] = a
	return nil
}

func (s *store) getAttachment(db, id string) (*attachment, bool) {
	s.mu.RLock()
	defer s.mu.RUnlock()
	a, ok := s.atts[db][id]
	return a, ok
}

// getMeta and putMeta keep simulator settings (the token signing key) across restarts.
func (s *store) getMeta(key string) ([]byte, bool) {
	s.mu.RLock()
	defer s.mu.RUnlock()
	v, ok := s.meta[key]
	return v, ok
}

func (s *store) putMeta(key string, v []byte) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.bolt != nil {
		if err := s.bolt.Update(func(tx *bolt.Tx) error {
			return tx.Bucket([]byte(bucketMeta)).Put([]byte(key), v)
		}); err != nil {
			return err
		}
	}
	s.meta[key] = v
	return nil
}

// nextRev builds a CouchDB-style revision: generation, a dash and an md5 of the content.
func nextRev(prev string, body []byte) string {
	gen := 0
	if i := strings.IndexByte(prev, '-'); i > 0 {
		gen, _ = strconv.Atoi(prev[:i])
	}
	sum := md5.Sum(body)
	return strconv.Itoa(gen+1) + "-" + hex.EncodeToString(sum[:])
}

func decodeDoc(raw []byte) (Doc, error) {
	dec := json.NewDecoder(bytes.NewReader(raw))
	dec.UseNumber()
	var d Doc
	if err := dec.Decode(&d); err != nil {
		return nil, err
	}
	return d, nil
}

// str returns v as a string, or "" when it is not one.
func str(v any) string {
	s, _ := v.(string)
	return s
}

// removeAttachment drops one attachment (a document's own attachment goes with remove).
func (s *store) removeAttachment(db, id string) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.bolt != nil {
		if err := s.bolt.Update(func(tx *bolt.Tx) error {
			return tx.Bucket([]byte(bucketAtts)).Delete(boltKey(db, id))
		}); err != nil {
			return err
		}
	}
	delete(s.atts[db], id)
	return nil
}
