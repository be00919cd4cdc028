package query

import (
	"strings"

	"github.com/crisisdesk/crisisdesk/internal/post"
	"github.com/crisisdesk/crisisdesk/internal/text"
)

// Analysis is what the analysis stage says about a post, as far as queries can test it. The query
// package declares it rather than importing the analyzer, so matching does not depend on how
// analysis is done; main copies the analyzer's results in.
type Analysis struct {
	Lang       string   // ISO 639-1 code, "und" or empty when unknown
	Sentiment  string   // negative, neutral or positive; empty when not analysed
	Complaint  bool     //
	Categories []string // from the fixed set DESIGN.md lists
}

// Doc is a post prepared for matching: tokenized once, whatever the number of monitors. A Doc may be
// reused with Reset to save allocations; it must not be shared between goroutines while in use.
type Doc struct {
	post     *post.Post
	analysis Analysis
	tz       text.Tokenizer
	toks     []text.Token
	atoms    []atom
	npos     int32 // number of positions
}

// atom is one position-bearing item of the post's text.
type atom struct {
	norm string
	pos  int32
	kind AtomKind
	url  bool // a link, for links:
}

// NewDoc tokenizes p's text and returns it ready for matching. The Doc keeps p; p must not change
// while the Doc is used.
func NewDoc(p *post.Post, a Analysis) *Doc {
	d := &Doc{}
	d.Reset(p, a)
	return d
}

// Reset makes d describe another post, reusing d's buffers.
func (d *Doc) Reset(p *post.Post, a Analysis) {
	d.toks = d.tz.Tokenize(d.toks[:0], p.Text)
	d.ResetTokens(p, a, d.toks)
}

// ResetTokens is Reset for a post whose text the caller has already tokenized: toks must be what a
// text.Tokenizer returns for p.Text. d reads toks and does not keep them.
func (d *Doc) ResetTokens(p *post.Post, a Analysis, toks []text.Token) {
	d.post, d.analysis = p, a
	d.atoms = d.atoms[:0]
	pos := int32(-1)
	for _, tk := range toks {
		if tk.Kind == text.Punct {
			continue
		}
		// A hashtag's parts share its position: "#DataLek" is one place in the text, and a query for
		// lek finds it there.
		if !tk.Flags.Has(text.Part) || pos < 0 {
			pos++
		}
		kind, _ := atomKind(text.Token{Kind: tk.Kind})
		d.atoms = append(d.atoms, atom{norm: tk.Norm, pos: pos, kind: kind, url: tk.Kind == text.URL})
	}
	d.npos = pos + 1
}

// Post returns the post d describes.
func (d *Doc) Post() *post.Post { return d.post }

// lang is the analysed language when known, else what the platform said.
func (d *Doc) lang() string {
	if d.analysis.Lang != "" && d.analysis.Lang != "und" {
		return d.analysis.Lang
	}
	return d.post.Lang
}

// compatible reports whether a query atom of kind q can match a post atom of kind a: a plain word also
// matches a hashtag with that name, but #x and @x match only hashtags and mentions.
func compatible(q, a AtomKind) bool {
	return q == a || q == AtomWord && a == AtomHashtag
}

// matchField evaluates a field test. It is shared by the reference evaluator and the compiled
// matcher: fields do not go through the index, so there is nothing for the two to disagree on.
func (d *Doc) matchField(f *Field) bool {
	p := d.post
	switch f.Name {
	case FieldLang:
		return strings.EqualFold(d.lang(), f.Value)
	case FieldPlatform:
		return strings.EqualFold(p.Platform, f.Value)
	case FieldAuthor:
		return strings.EqualFold(strings.TrimPrefix(p.Author.Handle, "@"), f.Value)
	case FieldSite:
		return p.URL != "" && hostMatches(normHost(p.URL), f.Value)
	case FieldURL:
		return p.URL != "" && urlMatches(normURL(p.URL), f.Value)
	case FieldLinks:
		for _, a := range d.atoms {
			if a.url && urlMatches(normURL(a.norm), f.Value) {
				return true
			}
		}
		return false
	case FieldAuthorFollowers:
		return inRange(p.Author.Followers, f)
	case FieldAuthorFollowing:
		return inRange(p.Author.Following, f)
	case FieldLikes:
		return inRange(p.Metrics.Likes, f)
	case FieldReposts:
		return inRange(p.Metrics.Reposts, f)
	case FieldAuthorVerified:
		return p.Author.Verified == (f.Value == "true")
	case FieldAuthorKind:
		k := p.Author.Kind
		if k == "" {
			k = "unknown"
		}
		return k == f.Value
	case FieldSentiment:
		return d.analysis.Sentiment == f.Value
	case FieldComplaint:
		return d.analysis.Complaint == (f.Value == "true")
	case FieldCategory:
		for _, c := range d.analysis.Categories {
			if c == f.Value {
				return true
			}
		}
		return false
	}
	return false
}

func inRange(v int64, f *Field) bool { return v >= f.Min && v <= f.Max }
