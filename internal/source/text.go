package source

import (
	"strings"
	"unicode"
	"unicode/utf8"

	"golang.org/x/net/html"
	"golang.org/x/net/html/atom"
)

// HTMLText turns an HTML fragment (a Mastodon status, a feed summary) into plain text: tags are dropped,
// entities decoded, paragraphs and line breaks kept as newlines, and script and style contents left out,
// so analysis and monitor queries see what a reader sees. Plain text without markup passes through with
// only its whitespace tidied.
func HTMLText(s string) string {
	if !strings.ContainsAny(s, "<&") {
		return tidy(s)
	}
	var b strings.Builder
	z := html.NewTokenizer(strings.NewReader(s))
	skip := 0 // depth inside script or style
	for {
		switch z.Next() {
		case html.ErrorToken:
			// The only error from a strings.Reader is io.EOF: the tokenizer is lenient about bad markup.
			return tidy(b.String())
		case html.TextToken:
			if skip == 0 {
				b.Write(z.Text())
			}
		case html.StartTagToken, html.SelfClosingTagToken:
			name, _ := z.TagName()
			a := atom.Lookup(name)
			switch {
			case a == atom.Script || a == atom.Style:
				skip++
			case a == atom.Br:
				b.WriteByte('\n')
			case isBlock(a):
				b.WriteString("\n\n")
			}
		case html.EndTagToken:
			name, _ := z.TagName()
			a := atom.Lookup(name)
			switch {
			case (a == atom.Script || a == atom.Style) && skip > 0:
				skip--
			case isBlock(a):
				b.WriteString("\n\n")
			}
		}
	}
}

// isBlock reports whether an element separates paragraphs.
func isBlock(a atom.Atom) bool {
	switch a {
	case atom.P, atom.Div, atom.Li, atom.Ul, atom.Ol, atom.Blockquote, atom.H1, atom.H2, atom.H3, atom.H4,
		atom.H5, atom.H6, atom.Tr, atom.Table, atom.Pre, atom.Figure, atom.Hr:
		return true
	}
	return false
}

// tidy collapses runs of spaces within a line, trims every line, and keeps at most one empty line between
// paragraphs.
func tidy(s string) string {
	if !utf8.ValidString(s) {
		s = strings.ToValidUTF8(s, "\uFFFD")
	}
	var b strings.Builder
	newlines := 0
	space := false
	for _, r := range s {
		switch {
		case r == '\n':
			newlines++
			space = false
		case unicode.IsSpace(r):
			space = true
		default:
			if b.Len() > 0 {
				switch {
				case newlines >= 2:
					b.WriteString("\n\n")
				case newlines == 1:
					b.WriteByte('\n')
				case space:
					b.WriteByte(' ')
				}
			}
			newlines, space = 0, false
			b.WriteRune(r)
		}
	}
	return b.String()
}

// Truncate cuts s to at most n bytes without splitting a UTF-8 sequence, so a long article summary still
// passes post validation.
func Truncate(s string, n int) string {
	if len(s) <= n {
		return s
	}
	for n > 0 && !utf8.RuneStart(s[n]) {
		n--
	}
	return s[:n]
}

// Language reduces a language tag ("nl-NL", "en_us", "EN") to the ISO 639-1 code the Post contract uses,
// or "" when it does not start with one.
func Language(tag string) string {
	tag = strings.ToLower(strings.TrimSpace(tag))
	if i := strings.IndexAny(tag, "-_"); i >= 0 {
		tag = tag[:i]
	}
	if len(tag) != 2 || tag[0] < 'a' || tag[0] > 'z' || tag[1] < 'a' || tag[1] > 'z' {
		return ""
	}
	return tag
}
