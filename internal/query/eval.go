package query

import (
	"cmp"
	"slices"
)

// Match reports whether q matches d. It walks the query tree and scans the post's tokens for every
// term: simple and obviously right, and slow with many monitors. It is the reference the compiled
// Matcher is tested against, and the baseline it is measured against.
func (q *Query) Match(d *Doc) bool { return evalRef(q.Root, d) }

func evalRef(n Node, d *Doc) bool {
	switch n := n.(type) {
	case *And:
		for _, c := range n.Children {
			if !evalRef(c, d) {
				return false
			}
		}
		return true
	case *Or:
		for _, c := range n.Children {
			if evalRef(c, d) {
				return true
			}
		}
		return false
	case *Not:
		return !evalRef(n.X, d)
	case *Field:
		return d.matchField(n)
	case *Term:
		for _, a := range d.atoms {
			if termMatchesAtom(n, a) {
				return true
			}
		}
		return false
	}
	return len(refSpans(n, d)) > 0
}

// span is a run of positions [s, e] where a positional node matched.
type span struct{ s, e int32 }

func cmpSpan(a, b span) int {
	if c := cmp.Compare(a.s, b.s); c != 0 {
		return c
	}
	return cmp.Compare(a.e, b.e)
}

// termAt reports whether t matches an atom at position p.
func termAt(t *Term, d *Doc, p int32) bool {
	for _, a := range d.atoms {
		if a.pos == p && termMatchesAtom(t, a) {
			return true
		}
	}
	return false
}

func termMatchesAtom(t *Term, a atom) bool {
	if !compatible(t.Kind, a.kind) {
		return false
	}
	if t.Wildcard {
		return matchWildcard(t.Text, a.norm)
	}
	return t.Text == a.norm
}

// refSpans lists every span where a positional node matches. The definitions here are the language's
// semantics; the compiled matcher computes the same sets from its index hits.
//   - a term spans its own position;
//   - an exact phrase spans its words at consecutive positions;
//   - "w1 … wk"~n spans [s, e] when e-s+1 <= k+n, words match at s and at e, and every word matches
//     somewhere in [s, e];
//   - an OR spans what any child spans;
//   - L NEAR/n R spans both parts when they do not overlap and at most n positions lie between them
//     (L first for NEAR/nf).
func refSpans(n Node, d *Doc) []span {
	var out []span
	switch n := n.(type) {
	case *Term:
		for _, a := range d.atoms {
			if termMatchesAtom(n, a) {
				out = append(out, span{a.pos, a.pos})
			}
		}
	case *Phrase:
		k := int32(len(n.Words))
		if n.Slop < 0 {
			for p := int32(0); p+k <= d.npos; p++ {
				ok := true
				for i, w := range n.Words {
					if !termAt(w, d, p+int32(i)) {
						ok = false
						break
					}
				}
				if ok {
					out = append(out, span{p, p + k - 1})
				}
			}
			break
		}
		window := k + int32(n.Slop)
		anyAt := func(p int32) bool {
			for _, w := range n.Words {
				if termAt(w, d, p) {
					return true
				}
			}
			return false
		}
		for s := int32(0); s < d.npos; s++ {
			if !anyAt(s) {
				continue
			}
			for e := s; e < d.npos && e-s+1 <= window; e++ {
				if !anyAt(e) {
					continue
				}
				all := true
				for _, w := range n.Words {
					found := false
					for p := s; p <= e; p++ {
						if termAt(w, d, p) {
							found = true
							break
						}
					}
					if !found {
						all = false
						break
					}
				}
				if all {
					out = append(out, span{s, e})
				}
			}
		}
	case *Or:
		for _, c := range n.Children {
			out = append(out, refSpans(c, d)...)
		}
	case *Near:
		for _, a := range refSpans(n.L, d) {
			for _, b := range refSpans(n.R, d) {
				if nearPair(a, b, int32(n.N), n.Ordered) {
					out = append(out, span{min(a.s, b.s), max(a.e, b.e)})
				}
			}
		}
	}
	slices.SortFunc(out, cmpSpan)
	return slices.Compact(out)
}

// nearPair reports whether spans a (left operand) and b (right operand) are near enough.
func nearPair(a, b span, n int32, ordered bool) bool {
	if a.e < b.s && b.s-a.e-1 <= n {
		return true
	}
	return !ordered && b.e < a.s && a.s-b.e-1 <= n
}
