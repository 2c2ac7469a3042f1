package export

import (
	"github.com/hashicorp/hcl/v2/hclwrite"
	"github.com/hashicorp/terraform-plugin-go/tftypes"
)

// edge is a reference from one exported object to another.
type edge struct{ from, to *Object }

// breakCycles finds the references that would make Terraform's graph cyclic (a user whose
// directories name the callflow that rings the user) and marks them to be written as literal
// ids. It writes every object once without keeping the result, to learn who refers to whom.
// References that go down the type order (a callflow to a user, a device to its owner) are all
// kept: they cannot form a cycle on their own. Each other reference (a user to a callflow, a
// callflow to another) is kept unless its target already reaches its source, in which case it
// would close a cycle and is the one broken.
func (g *generator) breakCycles(objs []*Object, states map[*Object]tftypes.Value, typeOrder map[string]int) error {
	g.edges = map[*Object][]*Object{}
	saved := g.stats
	for _, o := range objs {
		w := &blockWriter{g: g, o: o, refs: g.refs["kazoo_"+o.Spec.TypeName]}
		if err := w.block(hclwrite.NewEmptyFile().Body(), g.schemas["kazoo_"+o.Spec.TypeName], states[o]); err != nil {
			return err
		}
	}
	g.stats, g.secrets = saved, nil
	edges := g.edges
	g.edges = nil

	rank := func(o *Object) int { return typeOrder[o.Spec.TypeName] }
	kept := map[*Object][]*Object{}
	var others []edge
	for _, o := range objs {
		for _, t := range edges[o] {
			if rank(t) < rank(o) {
				kept[o] = append(kept[o], t)
			} else {
				others = append(others, edge{o, t})
			}
		}
	}
	g.broken = map[edge]bool{}
	for _, e := range others {
		if reaches(kept, e.to, e.from) {
			g.broken[e] = true
			continue
		}
		kept[e.from] = append(kept[e.from], e.to)
	}
	return nil
}

// reaches reports whether to can be reached from from along the graph's references.
func reaches(graph map[*Object][]*Object, from, to *Object) bool {
	seen := map[*Object]bool{}
	stack := []*Object{from}
	for len(stack) > 0 {
		o := stack[len(stack)-1]
		stack = stack[:len(stack)-1]
		if o == to {
			return true
		}
		if seen[o] {
			continue
		}
		seen[o] = true
		stack = append(stack, graph[o]...)
	}
	return false
}
