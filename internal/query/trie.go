package query

// trie finds the wildcard terms whose literal prefix is a prefix of a post token. Walking it costs
// one step per byte of the token until the path leaves the trie, which for most tokens is after one
// or two bytes, and the number of wildcards does not enter into it.
type trie struct {
	root  [256]int32 // first byte → node; 0 means none (node 0 is never a child)
	nodes []trieNode
}

type trieNode struct {
	edges []trieEdge // sorted by byte
	wild  []int32    // indexes into Matcher.wild whose prefix ends here
}

type trieEdge struct {
	b     byte
	child int32
}

func (t *trie) build(wild []wildTerm) {
	t.nodes = []trieNode{{}} // node 0: the root's stand-in, never reached through an edge
	for i, w := range wild {
		pre := literalPrefix(w.pat)
		n := &t.root[pre[0]]
		cur := *n
		if cur == 0 {
			cur = t.add()
			*n = cur
		}
		for j := 1; j < len(pre); j++ {
			cur = t.child(cur, pre[j])
		}
		t.nodes[cur].wild = append(t.nodes[cur].wild, int32(i))
	}
}

func (t *trie) add() int32 {
	t.nodes = append(t.nodes, trieNode{})
	return int32(len(t.nodes) - 1)
}

// child returns the child of n for b, adding it when missing, and keeps edges sorted.
func (t *trie) child(n int32, b byte) int32 {
	edges := t.nodes[n].edges
	i := 0
	for i < len(edges) && edges[i].b < b {
		i++
	}
	if i < len(edges) && edges[i].b == b {
		return edges[i].child
	}
	c := t.add()
	edges = append(edges, trieEdge{})
	copy(edges[i+1:], edges[i:])
	edges[i] = trieEdge{b, c}
	t.nodes[n].edges = edges
	return c
}

// next returns the child of node n for byte b, or 0.
func (t *trie) next(n int32, b byte) int32 {
	for _, e := range t.nodes[n].edges {
		if e.b >= b {
			if e.b == b {
				return e.child
			}
			return 0
		}
	}
	return 0
}
