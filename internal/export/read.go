package export

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/url"
	"sort"
	"strings"
	"sync"
	"time"

	"github.com/kazoo-community/terraform-provider-kazoo/internal/engine"
)

// Options say what to export.
type Options struct {
	// AccountID is the account to export (32 lowercase hex).
	AccountID string
	// Recursive exports the account's descendants too.
	Recursive bool
	// Types limits the export to these resource types (TypeName: "user", "device"); empty
	// exports every type the provider has a resource for.
	Types []string
	// Progress receives one line per account and type read; nil discards them.
	Progress io.Writer
	// Concurrency is how many documents are read at once (0: 4). The backend's rate limit
	// still applies: this only keeps the limit busy.
	Concurrency int
}

// Tree is what Read found: the accounts and every document of the exported types.
type Tree struct {
	// Accounts are the walked accounts, the requested one first, then its descendants by
	// depth, name and id.
	Accounts []*Account
	// Objects are the exported documents (accounts included), in a stable order.
	Objects []*Object
	// Skipped names the resource types that were not exported, with the reason.
	Skipped []string
	// Listings and Reads count the backend calls made (listings of collections and account
	// trees, and document reads).
	Listings, Reads int
	// Elapsed is how long reading took.
	Elapsed time.Duration
}

// Account is one walked account.
type Account struct {
	ID, Name, Parent string
	// Depth is 0 for the requested account.
	Depth int
	// Object is the account's own kazoo_account, nil when accounts are not exported or the
	// account's parent is unknown.
	Object *Object
}

// Object is one document to export.
type Object struct {
	Engine *engine.Engine
	Spec   engine.Spec
	// ID is the document's id; Owner the account (or, for accounts, the parent) it is in.
	ID, Owner string
	// Parent is the id of the document this one is nested below (a list entry's list), "" for
	// documents of an account's own collections.
	Parent string
	// Account is the walked account the document belongs to (for accounts, itself).
	Account *Account
	// Doc is the document as KAZOO returned it.
	Doc json.RawMessage
	// Label is the resource name in the configuration, set by Generate.
	Label string
}

// Address is the object's resource address, "kazoo_user.alice".
func (o *Object) Address() string { return "kazoo_" + o.Spec.TypeName + "." + o.Label }

// ImportID is the id of the object's import block: "<owner>/<id>", or the account's id for a
// document that is one per account.
func (o *Object) ImportID() string {
	if o.Spec.Scope == engine.ScopeSingleton {
		return o.Owner
	}
	if o.Parent != "" {
		return o.Owner + "/" + o.Parent + "/" + o.ID
	}
	return o.Owner + "/" + o.ID
}

// Read walks the account (and with Recursive its descendants), lists every collection of the
// selected engines and reads each document once.
func Read(ctx context.Context, b engine.Backend, engines []*engine.Engine, opts Options) (*Tree, error) {
	start := time.Now()
	r := &reader{b: b, opts: opts, tree: &Tree{}}
	if opts.Concurrency <= 0 {
		r.opts.Concurrency = 4
	}
	selected, err := selectEngines(engines, opts.Types)
	if err != nil {
		return nil, err
	}
	if err := r.accounts(ctx, selected["account"]); err != nil {
		return nil, err
	}
	for _, e := range engines {
		spec := e.Spec()
		// kazoo_document (FreeForm) has no collection of its own: the typed resources cover theirs.
		// Documents nested below another (list entries) are read below their parents, next.
		if selected[spec.TypeName] != e || spec.Scope == engine.ScopeAccounts || spec.FreeForm != nil || spec.Parent != nil {
			continue
		}
		for _, a := range r.tree.Accounts {
			var err error
			if spec.Scope == engine.ScopeSingleton {
				err = r.singleton(ctx, e, a)
			} else {
				err = r.collection(ctx, e, a)
			}
			if err != nil {
				return nil, err
			}
		}
	}
	for _, e := range engines {
		if spec := e.Spec(); selected[spec.TypeName] == e && spec.Parent != nil {
			if err := r.nested(ctx, e); err != nil {
				return nil, err
			}
		}
	}
	r.tree.Elapsed = time.Since(start)
	return r.tree, nil
}

// nested reads the documents of a nested collection (list entries) below every exported
// document of its parent collection (lists); with the parent type not exported, none.
func (r *reader) nested(ctx context.Context, e *engine.Engine) error {
	spec := e.Spec()
	var parents []*Object
	for _, o := range r.tree.Objects {
		if o.Spec.Collection == spec.Parent.Collection && o.Spec.Parent == nil && o.Spec.FreeForm == nil {
			parents = append(parents, o)
		}
	}
	if len(parents) == 0 && len(r.tree.Objects) > 0 {
		r.progress("skipped kazoo_%s: its parents (%s) are not exported", spec.TypeName, spec.Parent.Collection)
	}
	for _, p := range parents {
		base := "/v2/accounts/" + url.PathEscape(p.Owner) + "/" + spec.Parent.Collection + "/" + url.PathEscape(p.ID) + "/" + spec.Collection
		if err := r.collectionAt(ctx, e, p.Account, base, p.ID); err != nil {
			return err
		}
	}
	return nil
}

// selectEngines maps type names to engines, all of them or those named.
func selectEngines(engines []*engine.Engine, types []string) (map[string]*engine.Engine, error) {
	all := map[string]*engine.Engine{}
	var names []string
	for _, e := range engines {
		all[e.Spec().TypeName] = e
		names = append(names, e.Spec().TypeName)
	}
	if len(types) == 0 {
		return all, nil
	}
	out := map[string]*engine.Engine{}
	for _, t := range types {
		t = strings.TrimPrefix(strings.TrimSpace(t), "kazoo_")
		if t == "" {
			continue
		}
		e, ok := all[t]
		if !ok {
			sort.Strings(names)
			return nil, fmt.Errorf("unknown type %q: the provider has resources for %s", t, strings.Join(names, ", "))
		}
		out[t] = e
	}
	return out, nil
}

type reader struct {
	b    engine.Backend
	opts Options
	tree *Tree
}

func (r *reader) progress(format string, args ...any) {
	if r.opts.Progress != nil {
		fmt.Fprintf(r.opts.Progress, format+"\n", args...)
	}
}

func (r *reader) list(ctx context.Context, path string) ([]json.RawMessage, error) {
	r.tree.Listings++
	rows, err := r.b.List(ctx, path, nil)
	if err != nil {
		return nil, fmt.Errorf("listing %s: %w", path, err)
	}
	return rows, nil
}

// accounts finds the accounts to walk and reads each account document once; with the account
// engine selected they become objects too.
func (r *reader) accounts(ctx context.Context, accountEngine *engine.Engine) error {
	root := &Account{ID: r.opts.AccountID}
	all := []*Account{root}
	// The requested account's parent: the last of its ancestors.
	rows, err := r.list(ctx, "/v2/accounts/"+url.PathEscape(root.ID)+"/parents")
	if err != nil {
		r.progress("cannot list the ancestors of %s (%v): its own kazoo_account is not exported", root.ID, err)
	} else if len(rows) > 0 {
		root.Parent = rowString(rows[len(rows)-1], "id")
	}
	if r.opts.Recursive {
		rows, err := r.list(ctx, "/v2/accounts/"+url.PathEscape(root.ID)+"/descendants")
		if err != nil {
			return err
		}
		for _, raw := range rows {
			var row struct {
				ID   string   `json:"id"`
				Name string   `json:"name"`
				Tree []string `json:"tree"`
			}
			if json.Unmarshal(raw, &row) != nil || row.ID == "" || len(row.Tree) == 0 {
				continue
			}
			depth := len(row.Tree)
			for i, a := range row.Tree {
				if a == root.ID {
					depth = len(row.Tree) - i
				}
			}
			all = append(all, &Account{ID: row.ID, Name: row.Name, Parent: row.Tree[len(row.Tree)-1], Depth: depth})
		}
	}
	docs, err := r.readAll(ctx, len(all), func(i int) string { return "/v2/accounts/" + url.PathEscape(all[i].ID) })
	if err != nil {
		return err
	}
	for i, a := range all {
		var named struct {
			Name string `json:"name"`
		}
		if json.Unmarshal(docs[i], &named) == nil && named.Name != "" {
			a.Name = named.Name
		}
	}
	byID := map[string]json.RawMessage{}
	for i, a := range all {
		byID[a.ID] = docs[i]
	}
	sort.SliceStable(all[1:], func(i, j int) bool {
		a, b := all[1+i], all[1+j]
		if a.Depth != b.Depth {
			return a.Depth < b.Depth
		}
		if a.Name != b.Name {
			return a.Name < b.Name
		}
		return a.ID < b.ID
	})
	r.tree.Accounts = all
	if accountEngine == nil {
		return nil
	}
	n := 0
	for _, a := range all {
		if a.Parent == "" {
			continue // the top of the tree has no parent to be created under
		}
		if a.ID == r.b.AccountID() {
			// The provider works inside the account its credentials belong to; managing that
			// account as a resource would let a destroy remove it.
			r.progress("the account the credentials belong to (%s) is not exported as a kazoo_account", a.ID)
			continue
		}
		a.Object = &Object{Engine: accountEngine, Spec: accountEngine.Spec(), ID: a.ID, Owner: a.Parent, Account: a, Doc: byID[a.ID]}
		r.tree.Objects = append(r.tree.Objects, a.Object)
		n++
	}
	r.progress("read %d kazoo_account", n)
	return nil
}

// singleton reads an account's one document of a kind (KAZOO answers 404 when there is none).
func (r *reader) singleton(ctx context.Context, e *engine.Engine, a *Account) error {
	spec := e.Spec()
	docs, err := r.readAll(ctx, 1, func(int) string { return "/v2/accounts/" + url.PathEscape(a.ID) + "/" + spec.Collection })
	if err != nil {
		return err
	}
	if docs[0] != nil {
		r.tree.Objects = append(r.tree.Objects, &Object{Engine: e, Spec: spec, ID: a.ID, Owner: a.ID, Account: a, Doc: docs[0]})
		r.progress("read kazoo_%s of %s", spec.TypeName, accountWords(a))
	}
	return nil
}

// collection lists one collection of one account and reads its documents (for a keyed
// collection, the rows' ids are the keys).
func (r *reader) collection(ctx context.Context, e *engine.Engine, a *Account) error {
	return r.collectionAt(ctx, e, a, "/v2/accounts/"+url.PathEscape(a.ID)+"/"+e.Spec().Collection, "")
}

// collectionAt lists the collection at base, in account a (below the document parent, for a
// nested collection), and reads its documents.
func (r *reader) collectionAt(ctx context.Context, e *engine.Engine, a *Account, base, parent string) error {
	spec := e.Spec()
	rows, err := r.list(ctx, base)
	if ae := (*engine.APIError)(nil); errors.As(err, &ae) && ae.ModuleMissing {
		// A stock KAZOO does not load every module (cb_lists, cb_cccps): nothing to export.
		r.progress("skipped kazoo_%s in %s: KAZOO's %s module is not loaded on this server", spec.TypeName, accountWords(a), ae.Module)
		return nil
	}
	if err != nil {
		return err
	}
	var ids []string
	for _, raw := range rows {
		// A row the resource would not manage (an inherited notification template: its listing
		// row, like its document, lacks account_overridden) is not read.
		if id := rowString(raw, "id"); id != "" && !isGone(spec, raw) {
			ids = append(ids, id)
		}
	}
	sort.Strings(ids)
	docs, err := r.readAll(ctx, len(ids), func(i int) string { return base + "/" + url.PathEscape(ids[i]) })
	if err != nil {
		return err
	}
	for i, id := range ids {
		if docs[i] == nil || isGone(spec, docs[i]) {
			continue // deleted between the listing and the read, or not the account's own (an inherited notification)
		}
		r.tree.Objects = append(r.tree.Objects, &Object{Engine: e, Spec: spec, ID: id, Owner: a.ID, Parent: parent, Account: a, Doc: docs[i]})
	}
	if len(ids) > 0 && parent != "" {
		r.progress("read %d kazoo_%s below %s %s in %s", len(ids), spec.TypeName, spec.Parent.Collection, parent, accountWords(a))
	} else if len(ids) > 0 {
		r.progress("read %d kazoo_%s in %s", len(ids), spec.TypeName, accountWords(a))
	}
	return nil
}

// isGone reports whether a listed row or document is not one the resource manages (Hooks.Gone: a
// notification template the account inherits rather than overrides).
func isGone(spec engine.Spec, raw json.RawMessage) bool {
	if spec.Hooks.Gone == nil {
		return false
	}
	var doc map[string]any
	return json.Unmarshal(raw, &doc) == nil && spec.Hooks.Gone(doc)
}

func accountWords(a *Account) string {
	if a.Name != "" {
		return fmt.Sprintf("%q (%s)", a.Name, a.ID)
	}
	return a.ID
}

// readAll GETs n paths, a few at a time; a document gone since its listing reads as nil.
func (r *reader) readAll(ctx context.Context, n int, pathOf func(int) string) ([]json.RawMessage, error) {
	out := make([]json.RawMessage, n)
	errs := make([]error, n)
	r.tree.Reads += n
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()
	next := make(chan int)
	var wg sync.WaitGroup
	for w := 0; w < min(r.opts.Concurrency, n); w++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := range next {
				doc, err := r.b.Get(ctx, pathOf(i))
				if err != nil && !isNotFound(err) {
					errs[i] = fmt.Errorf("reading %s: %w", pathOf(i), err)
					cancel()
					continue
				}
				out[i] = doc
			}
		}()
	}
feed:
	for i := 0; i < n; i++ {
		select {
		case next <- i:
		case <-ctx.Done():
			break feed
		}
	}
	close(next)
	wg.Wait()
	for _, err := range errs {
		if err != nil {
			return nil, err
		}
	}
	if err := ctx.Err(); err != nil {
		return nil, err // cancelled by the caller (the deferred cancel has not run yet)
	}
	return out, nil
}

func isNotFound(err error) bool {
	var ae *engine.APIError
	return errors.As(err, &ae) && ae.Status == 404
}

func rowString(raw json.RawMessage, key string) string {
	var m map[string]any
	if json.Unmarshal(raw, &m) != nil {
		return ""
	}
	s, _ := m[key].(string)
	return s
}

// Collections lists the collections Read lists in every account: those of the engines whose
// documents live in an account's collection (one-per-account documents are read, not listed).
func Collections(engines []*engine.Engine) []string {
	var out []string
	for _, e := range engines {
		if s := e.Spec(); (s.Scope == engine.ScopeAccount || s.Scope == engine.ScopeKeyed) && s.FreeForm == nil && s.Parent == nil {
			out = append(out, s.Collection)
		}
	}
	return out
}
