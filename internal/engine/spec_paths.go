package engine

// Exported paths of a spec's documents, for tests and tools that reach KAZOO beside the
// engine (creating documents out of band, counting requests).

// CreatePath is where a new document of the spec is created: PUT, or POST for
// CreateWithPost singletons. id is the key of ScopeKeyed documents and ignored otherwise.
func (s Spec) CreatePath(owner, id string) string { return s.createPath(owner, id) }

// ItemPath is the path of one document.
func (s Spec) ItemPath(owner, id string) string { return s.itemPath(owner, id) }

// ListPath is the path that lists the spec's documents in an account (its children for the
// account tree).
func (s Spec) ListPath(owner string) string { return s.listPath(owner) }
