package plan

import (
	"bytes"
	"fmt"
	"net/url"
	"slices"
	"strings"
	"time"

	"gopkg.in/yaml.v3"

	"github.com/crisisdesk/crisisdesk/internal/store"
)

// Source is a listening source as the plan names it: which platform, where, and with which settings.
// Credentials are never in the plan; a source that needs a token keeps the one entered for its id in
// the web app, where tokens are write-only.
//
// A plan without a sources key leaves the configured sources as they are. A plan with one is the whole
// list: importing it creates the sources it names, updates those it changes, and deletes the others.
type Source struct {
	ID         string   `yaml:"id"`
	Kind       string   `yaml:"kind"`
	Name       string   `yaml:"name"`
	Enabled    bool     `yaml:"enabled"`
	URL        string   `yaml:"url,omitempty"`
	Langs      []string `yaml:"langs,omitempty"`
	Stream     string   `yaml:"stream,omitempty"`
	Hashtag    string   `yaml:"hashtag,omitempty"`
	Interval   string   `yaml:"interval,omitempty"`
	SyncRules  bool     `yaml:"sync_rules,omitempty"`
	Engagement bool     `yaml:"engagement,omitempty"`
}

// Mastodon streams, as the supervisor names them.
var sourceStreams = []string{"public", "hashtag", "user"}

// minSourceInterval is the shortest feed polling interval, as the supervisor allows.
const minSourceInterval = time.Minute

// sources checks the sources the way the web app's form does, so that what imports also runs.
func (v validator) sources(srcs []Source) {
	v.ids("sources", len(srcs), func(i int) string { return srcs[i].ID })
	for i, s := range srcs {
		path := index("sources", i)
		v.oneOf(field(path, "kind"), s.Kind, store.SourceKinds, true)
		if v.required(field(path, "name"), s.Name) && len([]rune(strings.TrimSpace(s.Name))) > 100 {
			v.l.addf(field(path, "name"), func(c *catalog) string { return c.tooLong }, 100)
		}
		schemes := []string{"http", "https"}
		if s.Kind == store.SourceBluesky {
			schemes = []string{"ws", "wss"}
		}
		if s.URL != "" {
			if u, err := url.Parse(s.URL); err != nil || !u.IsAbs() || u.Host == "" || !slices.Contains(schemes, u.Scheme) {
				v.l.addf(field(path, "url"), func(c *catalog) string { return c.badSourceURL }, s.URL, strings.Join(schemes, ", "))
			}
		} else if s.Kind == store.SourceMastodon || s.Kind == store.SourceRSS {
			v.required(field(path, "url"), s.URL)
		}
		for j, l := range s.Langs {
			if len(l) != 2 || strings.ToLower(l) != l {
				v.l.addf(index(field(path, "langs"), j), func(c *catalog) string { return c.badLangCode }, l)
			}
		}
		if s.Kind == store.SourceMastodon && v.oneOf(field(path, "stream"), s.Stream, sourceStreams, true) &&
			s.Stream == "hashtag" {
			v.required(field(path, "hashtag"), strings.Trim(s.Hashtag, "# "))
		}
		if s.Interval != "" {
			if d, err := time.ParseDuration(s.Interval); err != nil || d < minSourceInterval {
				v.l.addf(field(path, "interval"), func(c *catalog) string { return c.badInterval }, s.Interval)
			}
		}
	}
}

// WithSources returns the plan document src with its sources key set to srcs, for exporting the plan
// with the sources as they are configured now. The rest of the document, comments included, stays as
// it was written; src must be a plan that parses.
func WithSources(src []byte, srcs []Source) ([]byte, error) {
	var doc yaml.Node
	if err := yaml.Unmarshal(src, &doc); err != nil {
		return nil, fmt.Errorf("plan: sources: %w", err)
	}
	if doc.Kind != yaml.DocumentNode || len(doc.Content) == 0 || doc.Content[0].Kind != yaml.MappingNode {
		return nil, fmt.Errorf("plan: sources: the document is not a mapping")
	}
	var list yaml.Node
	if err := list.Encode(srcs); err != nil {
		return nil, fmt.Errorf("plan: sources: %w", err)
	}
	if srcs == nil {
		list = yaml.Node{Kind: yaml.SequenceNode, Tag: "!!seq", Style: yaml.FlowStyle}
	}
	root := doc.Content[0]
	replaced := false
	for i := 0; i+1 < len(root.Content); i += 2 {
		if root.Content[i].Value == "sources" {
			list.HeadComment, list.LineComment = root.Content[i+1].HeadComment, root.Content[i+1].LineComment
			root.Content[i+1] = &list
			replaced = true
		}
	}
	if !replaced {
		key := &yaml.Node{Kind: yaml.ScalarNode, Tag: "!!str", Value: "sources",
			HeadComment: "Listening sources. Credentials are never here: a source keeps the token entered for its id in the web app."}
		root.Content = append(root.Content, key, &list)
	}
	var b bytes.Buffer
	enc := yaml.NewEncoder(&b)
	enc.SetIndent(2)
	if err := enc.Encode(&doc); err != nil {
		return nil, fmt.Errorf("plan: sources: %w", err)
	}
	if err := enc.Close(); err != nil {
		return nil, fmt.Errorf("plan: sources: %w", err)
	}
	return b.Bytes(), nil
}
