package post

import (
	"strconv"
	"unicode/utf8"
)

// decodeFast fills w from data when data is a post in the plain form that sources and generators
// write: one object with only the known fields, each at most once and spelled exactly as in wire,
// strings without escapes, integers, booleans, and the author and metrics objects likewise. It
// reports false for anything else (unknown or repeated fields, escapes, null, numbers with a
// fraction or exponent, bad syntax), and Decode then uses encoding/json. For what it accepts,
// encoding/json gives the same wire; FuzzDecodeFastSameAsJSON checks that. w must be zero.
//
// Reflection in encoding/json was about a tenth of the import's CPU, and almost every post is in
// the plain form.
func decodeFast(data []byte, w *wire) bool {
	if !utf8.Valid(data) {
		return false
	}
	p := fastParser{b: data}
	p.ws()
	ok := p.object(func(key []byte) bool {
		switch string(key) {
		case "id":
			return p.strPtr(&w.ID)
		case "platform":
			return p.strPtr(&w.Platform)
		case "text":
			return p.strPtr(&w.Text)
		case "created_at":
			return p.strPtr(&w.CreatedAt)
		case "lang":
			return p.str(&w.Lang)
		case "url":
			return p.str(&w.URL)
		case "reply_to":
			return p.str(&w.ReplyTo)
		case "repost_of":
			return p.str(&w.RepostOf)
		case "quote_of":
			return p.str(&w.QuoteOf)
		case "author":
			a := &w.Author
			return p.object(func(key []byte) bool {
				switch string(key) {
				case "id":
					return p.str(&a.ID)
				case "handle":
					return p.str(&a.Handle)
				case "name":
					return p.str(&a.Name)
				case "followers":
					return p.int(&a.Followers)
				case "following":
					return p.int(&a.Following)
				case "created_at":
					return p.strPtr(&a.CreatedAt)
				case "verified":
					return p.bool(&a.Verified)
				case "kind":
					return p.str(&a.Kind)
				}
				return false
			})
		case "metrics":
			m := &w.Metrics
			return p.object(func(key []byte) bool {
				switch string(key) {
				case "likes":
					return p.int(&m.Likes)
				case "reposts":
					return p.int(&m.Reposts)
				case "replies":
					return p.int(&m.Replies)
				case "quotes":
					return p.int(&m.Quotes)
				case "views":
					return p.int(&m.Views)
				}
				return false
			})
		}
		return false
	})
	if !ok {
		return false
	}
	p.ws()
	return p.i == len(p.b)
}

type fastParser struct {
	b []byte
	i int
}

func (p *fastParser) ws() {
	for p.i < len(p.b) {
		switch p.b[p.i] {
		case ' ', '\t', '\n', '\r':
			p.i++
		default:
			return
		}
	}
}

func (p *fastParser) next(c byte) bool {
	p.ws()
	if p.i < len(p.b) && p.b[p.i] == c {
		p.i++
		return true
	}
	return false
}

// object reads an object, calling field with each key once the parser stands on its value; field
// reads the value. A key seen twice ends the fast path.
func (p *fastParser) object(field func(key []byte) bool) bool {
	if !p.next('{') {
		return false
	}
	if p.next('}') {
		return true
	}
	var seenBuf [12][]byte
	seen := seenBuf[:0]
	for {
		p.ws()
		key, ok := p.raw()
		if !ok || !p.next(':') {
			return false
		}
		for _, s := range seen {
			if string(s) == string(key) {
				return false
			}
		}
		seen = append(seen, key)
		p.ws()
		if !field(key) {
			return false
		}
		if p.next(',') {
			continue
		}
		return p.next('}')
	}
}

// raw reads a string without escapes or control characters and returns its bytes.
func (p *fastParser) raw() ([]byte, bool) {
	if p.i >= len(p.b) || p.b[p.i] != '"' {
		return nil, false
	}
	start := p.i + 1
	for j := start; j < len(p.b); j++ {
		switch c := p.b[j]; {
		case c == '"':
			p.i = j + 1
			return p.b[start:j], true
		case c == '\\', c < 0x20:
			return nil, false
		}
	}
	return nil, false
}

func (p *fastParser) str(dst *string) bool {
	s, ok := p.raw()
	if ok {
		*dst = string(s)
	}
	return ok
}

func (p *fastParser) strPtr(dst **string) bool {
	s, ok := p.raw()
	if ok {
		v := string(s)
		*dst = &v
	}
	return ok
}

// int reads an integer without fraction or exponent that fits an int64.
func (p *fastParser) int(dst *int64) bool {
	start := p.i
	j := start
	if j < len(p.b) && p.b[j] == '-' {
		j++
	}
	digits := j
	for j < len(p.b) && '0' <= p.b[j] && p.b[j] <= '9' {
		j++
	}
	if j == digits || p.b[digits] == '0' && j-digits > 1 {
		return false // no digits, or a leading zero
	}
	if j < len(p.b) {
		switch p.b[j] {
		case '.', 'e', 'E':
			return false
		}
	}
	v, err := strconv.ParseInt(string(p.b[start:j]), 10, 64)
	if err != nil {
		return false
	}
	*dst = v
	p.i = j
	return true
}

func (p *fastParser) bool(dst *bool) bool {
	rest := p.b[p.i:]
	switch {
	case len(rest) >= 4 && string(rest[:4]) == "true":
		*dst = true
		p.i += 4
	case len(rest) >= 5 && string(rest[:5]) == "false":
		*dst = false
		p.i += 5
	default:
		return false
	}
	return true
}
