// Package ingest owns the one path a post takes after it arrives: analysis, matching against the
// monitors, storing it with both, and handing it to detection. The analyse-and-match step is Stage,
// which `crisisdesk replay` and the detection evaluation (through internal/detect/pipeline) use too,
// so every figure measured there is measured on the product's own code.
package ingest

import (
	"github.com/crisisdesk/crisisdesk/internal/analyze"
	"github.com/crisisdesk/crisisdesk/internal/post"
	"github.com/crisisdesk/crisisdesk/internal/query"
	"github.com/crisisdesk/crisisdesk/internal/store"
	"github.com/crisisdesk/crisisdesk/internal/text"
)

// Annotator is the analysis step; *analyze.Analyzer is one.
type Annotator interface {
	Annotate(p post.Post) analyze.Annotation
}

// tokenAnnotator is an Annotator that can take the tokens Stage has already made of the text, so a
// post is tokenized once for analysis and matching; *analyze.Analyzer is one.
type tokenAnnotator interface {
	AnnotateTokens(id, s, langHint string, toks []text.Token) analyze.Annotation
}

// Stage analyses a post and matches it against monitors. It reuses its buffers between posts, so it is
// not safe for concurrent use: each goroutine has its own.
type Stage struct {
	an   Annotator
	tan  tokenAnnotator // an, when it takes tokens; nil otherwise
	tz   text.Tokenizer
	toks []text.Token
	doc  query.Doc
	ids  []string
	cats []string
}

// NewStage returns a stage that analyses with an.
func NewStage(an Annotator) *Stage {
	tan, _ := an.(tokenAnnotator)
	return &Stage{an: an, tan: tan}
}

// Analysed is what Stage found in one post. Categories and Monitors belong to the Stage and are valid
// until its next Run; Detached copies them out.
type Analysed struct {
	Annotation analyze.Annotation
	Sentiment  string   // the label, as detection and the store spell it
	Categories []string // the annotation's categories as strings
	Monitors   []string // ids of the monitors matched, sorted
}

// Run analyses p and matches it against m. p must not change until the next Run.
func (s *Stage) Run(p *post.Post, m *query.Matcher) Analysed {
	var an analyze.Annotation
	if s.tan != nil {
		s.toks = s.tz.Tokenize(s.toks[:0], p.Text)
		an = s.tan.AnnotateTokens(p.ID, p.Text, p.Lang, s.toks)
	} else {
		an = s.an.Annotate(*p)
	}
	s.cats = s.cats[:0]
	for _, c := range an.Categories {
		s.cats = append(s.cats, string(c))
	}
	label := an.Sentiment.Label.String()
	qa := query.Analysis{Lang: an.Lang, Sentiment: label, Complaint: an.Complaint, Categories: s.cats}
	if s.tan != nil {
		s.doc.ResetTokens(p, qa, s.toks)
	} else {
		s.doc.Reset(p, qa)
	}
	s.ids = m.AppendMatches(s.ids[:0], &s.doc)
	return Analysed{Annotation: an, Sentiment: label, Categories: s.cats, Monitors: s.ids}
}

// StoredPost is p with what Run found, in the form the store keeps, with its own copies of the
// slices.
func (a Analysed) StoredPost(p post.Post) store.StoredPost {
	sp := store.StoredPost{
		Post: p,
		Analysis: store.Analysis{
			Lang:           a.Annotation.Lang,
			LangConfidence: a.Annotation.LangConfidence,
			Sentiment:      a.Sentiment,
			SentimentScore: a.Annotation.Sentiment.Score,
			Complaint:      a.Annotation.Complaint,
			ComplaintScore: a.Annotation.ComplaintScore,
			Categories:     append([]string{}, a.Categories...),
		},
	}
	if len(a.Monitors) > 0 {
		sp.Monitors = append([]string(nil), a.Monitors...)
	}
	if len(a.Annotation.Evidence) > 0 {
		sp.Analysis.Evidence = make(map[string][]string, len(a.Annotation.Evidence))
		for c, ev := range a.Annotation.Evidence {
			sp.Analysis.Evidence[string(c)] = ev
		}
	}
	return sp
}
