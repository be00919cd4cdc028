package text

import (
	"strings"
	"unicode/utf8"
)

// hasPrefixFold reports whether s[i:] starts with the lowercase ASCII prefix p, ignoring ASCII case.
func hasPrefixFold(s string, i int, p string) bool {
	if len(s)-i < len(p) {
		return false
	}
	for k := 0; k < len(p); k++ {
		c := s[i+k]
		if 'A' <= c && c <= 'Z' {
			c += 'a' - 'A'
		}
		if c != p[k] {
			return false
		}
	}
	return true
}

// schemeURL recognises http://, https:// and www. URLs at s[i].
func (sc *scanner) schemeURL(i int) int {
	s := sc.s
	if prevWord(s, i) {
		return i
	}
	var j int
	switch {
	case hasPrefixFold(s, i, "https://"):
		j = i + len("https://")
	case hasPrefixFold(s, i, "http://"):
		j = i + len("http://")
	case hasPrefixFold(s, i, "www."):
		j = i + len("www.")
	default:
		return i
	}
	if j >= len(s) || !isWordRune(rune(s[j])) && s[j] < utf8.RuneSelf {
		return i
	}
	end := urlEnd(s, j)
	sc.emit(URL, i, end, 0, s[i:end])
	return end
}

// urlEnd returns where a URL whose host starts at s[j] ends: at white space, an emoji or a quote or
// angle bracket, with trailing sentence punctuation and unbalanced closing brackets left out.
func urlEnd(s string, j int) int {
	open := 0
	end := j
	for end < len(s) {
		r, sz := decode(s, end)
		if isSpace(r) || isPictographic(r) || r == '<' || r == '>' || r == '"' || r == '“' || r == '”' {
			break
		}
		switch r {
		case '(', '[':
			open++
		case ')', ']':
			open--
		}
		end += sz
	}
	for end > j {
		r, sz := utf8.DecodeLastRuneInString(s[:end])
		switch r {
		case '.', ',', ';', ':', '!', '?', '\'', '’', '*':
			end -= sz
			continue
		case ')', ']':
			if open < 0 {
				open++
				end -= sz
				continue
			}
		}
		break
	}
	return end
}

// topLevel are the domain endings accepted for a URL written without scheme or www (nu.nl/artikel). A
// bare domain needs a known ending, or every "zin.Volgende" typo would become a link.
var topLevel = map[string]bool{
	"nl": true, "be": true, "com": true, "org": true, "net": true, "eu": true, "de": true, "fr": true,
	"uk": true, "io": true, "social": true, "info": true, "app": true, "dev": true, "co": true, "me": true,
	"tv": true, "ly": true, "gov": true, "edu": true, "gl": true, "ai": true, "news": true, "online": true,
	"shop": true, "site": true, "xyz": true, "es": true, "ch": true, "at": true, "us": true, "ca": true,
	"au": true, "frl": true, "amsterdam": true, "brussels": true, "vlaanderen": true, "gent": true,
	"cloud": true, "tech": true, "blog": true, "link": true, "ms": true, "gd": true,
}

func isDomainByte(c byte) bool {
	return c < utf8.RuneSelf && (ascii[c]&(cLetter|cDigit) != 0 || c == '-' || c == '.')
}

// afterDomainChar reports whether s[i] follows a character that would make a domain start mid-token.
func (sc *scanner) afterDomainChar(i int) bool {
	if i == 0 {
		return false
	}
	c := sc.s[i-1]
	return c == '.' || c == '/' || c == '@' || c == '-' || prevWord(sc.s, i)
}

// bareDomain recognises example.nl and example.nl/path at s[i].
func (sc *scanner) bareDomain(i int) int {
	s := sc.s
	j := i
	dot := -1
	for j < len(s) && isDomainByte(s[j]) {
		if s[j] == '.' {
			dot = j
		}
		j++
	}
	raw := j
	for j > i && (s[j-1] == '.' || s[j-1] == '-') {
		j--
	}
	if dot >= j {
		// The last dot was trailing punctuation; find the last inner one.
		dot = strings.LastIndexByte(s[i:j], '.')
		if dot >= 0 {
			dot += i
		}
	}
	var b [8]byte
	ok := dot > i && !nextWordRuneNonASCII(s, raw)
	if ok {
		tld, fits := lowerASCII(&b, s[dot+1:j])
		ok = fits && topLevel[string(tld)]
	}
	if !ok {
		sc.noDomainBefore = raw
		return i
	}
	end := j
	if end < len(s) && s[end] == '/' && end == raw {
		end = urlEnd(s, end)
	}
	sc.emit(URL, i, end, 0, s[i:end])
	return end
}

// nextWordRuneNonASCII reports a non-ASCII letter right after a domain-looking run (nu.nlé is no domain).
func nextWordRuneNonASCII(s string, i int) bool {
	return i < len(s) && s[i] >= utf8.RuneSelf && nextWord(s, i)
}

func isHandleByte(c byte) bool {
	return c < utf8.RuneSelf && (ascii[c]&(cLetter|cDigit) != 0 || c == '_' || c == '.' || c == '-')
}

// mention recognises @user, @anna.bsky.social and @user@mastodon.social at s[i] (which is '@'). An '@'
// right after a word is an e-mail address or decoration, not a mention.
func (sc *scanner) mention(i int) int {
	s := sc.s
	if prevWord(s, i) {
		return i
	}
	j := i + 1
	if j >= len(s) || !(ascii[s[j]&0x7f]&(cLetter|cDigit) != 0 && s[j] < utf8.RuneSelf || s[j] == '_') {
		return i
	}
	for j < len(s) && isHandleByte(s[j]) {
		j++
	}
	for s[j-1] == '.' || s[j-1] == '-' {
		j--
	}
	// A second @ with a dotted domain makes a fediverse address.
	if j+1 < len(s) && s[j] == '@' && isHandleByte(s[j+1]) && s[j+1] != '.' && s[j+1] != '-' {
		k := j + 1
		dot := false
		for k < len(s) && isHandleByte(s[k]) && s[k] != '_' {
			k++
		}
		for s[k-1] == '.' || s[k-1] == '-' {
			k--
		}
		if p := strings.IndexByte(s[j+1:k], '.'); p > 0 {
			dot = true
		}
		if dot {
			j = k
		}
	}
	if nextWordRuneNonASCII(s, j) {
		return i
	}
	off := len(sc.t.buf)
	for k := i + 1; k < j; k++ {
		c := s[k]
		if 'A' <= c && c <= 'Z' {
			c += 'a' - 'A'
		}
		sc.t.buf = append(sc.t.buf, c)
	}
	sc.emitBuf(Mention, i, j, 0, off, s[i+1:j])
	return j
}

// hashtag recognises #tag at s[i] (which is '#') and emits the tag followed by its parts. A tag needs a
// letter (#1 is a rank, not a tag) and may not follow a word (C#).
func (sc *scanner) hashtag(i int) int {
	s := sc.s
	if prevWord(s, i) {
		return i
	}
	j := i + 1
	letter := false
	for j < len(s) {
		if s[j] == '_' {
			j++
			continue
		}
		m, l := wordEnd(s, j)
		if m == j {
			break
		}
		letter = letter || l
		j = m
	}
	for j > i+1 && s[j-1] == '_' {
		j--
	}
	if !letter {
		return i
	}
	body := s[i+1 : j]
	sc.emitFolded(Hashtag, i, j, caseFlags(body), body)
	sc.hashtagParts(i+1, j)
	return j
}

// hashtagParts emits the parts of the tag s[i:j] when it has camelCase, digit or underscore boundaries.
func (sc *scanner) hashtagParts(i, j int) {
	s := sc.s
	if !hasBoundary(s, i, j) {
		return
	}
	start := -1
	var prev rune // class of the previous rune: 'l' lower, 'u' upper, 'd' digit, 'o' other letter
	for k := i; k < j; {
		r, sz := decode(s, k)
		if r == '_' {
			if start >= 0 {
				sc.emitPart(start, k)
				start = -1
			}
			prev = 0
			k += sz
			continue
		}
		cls := runeClass(r)
		if cls == 'm' {
			k += sz
			continue
		}
		if start >= 0 && isSplit(s, k, j, prev, cls) {
			sc.emitPart(start, k)
			start = -1
		}
		if start < 0 {
			start = k
		}
		prev = cls
		k += sz
	}
	if start >= 0 {
		sc.emitPart(start, j)
	}
}

// hasBoundary reports whether the tag s[i:j] would split into two or more parts.
func hasBoundary(s string, i, j int) bool {
	var prev rune
	for k := i; k < j; {
		r, sz := decode(s, k)
		if r == '_' {
			return true
		}
		cls := runeClass(r)
		if cls != 'm' {
			if prev != 0 && isSplit(s, k, j, prev, cls) {
				return true
			}
			prev = cls
		}
		k += sz
	}
	return false
}

func runeClass(r rune) rune {
	switch {
	case isDigit(r):
		return 'd'
	case r < utf8.RuneSelf && ascii[r]&cUpper != 0:
		return 'u'
	case r < utf8.RuneSelf && ascii[r]&cLetter != 0:
		return 'l'
	case !isLetter(r):
		return 'm'
	case r != lowerRune(r):
		return 'u'
	case r >= utf8.RuneSelf && r != upperRune(r):
		return 'l'
	}
	return 'o'
}

// isSplit decides whether a part boundary lies before the rune at s[k] of class cls.
func isSplit(s string, k, j int, prev, cls rune) bool {
	switch {
	case (prev == 'd') != (cls == 'd'):
		return true
	case prev == 'l' && cls == 'u':
		return true
	case prev == 'u' && cls == 'u':
		// NOSNieuws: the last capital of a run starts the next part when a lowercase letter follows.
		_, sz := decode(s, k)
		if k+sz < j {
			r2, _ := decode(s, k+sz)
			return runeClass(r2) == 'l'
		}
	}
	return false
}

func (sc *scanner) emitPart(i, j int) {
	text := sc.s[i:j]
	if _, letter := wordEnd(text, 0); !letter {
		sc.emit(Number, i, j, Part, text)
		return
	}
	sc.emitFolded(Word, i, j, Part|caseFlags(text), text)
}

// emoticons are matched longest first at each position.
var emoticons = []string{
	">:-(", ">:(", ":'-(", ":’-(", ":'-)", ":'(", ":’(", ":')", ":’)", "</3",
	":-)", ":-(", ":-D", ":-P", ":-p", ":-/", ":-|", ":-o", ":-O", ":-*", ";-)", "^_^", "-_-", "T_T",
	":)", ":(", ":D", ":P", ":p", ":/", ":\\", ":|", ":o", ":O", ":*", ":s", ":S", ":$", ":@", ":]", ":[",
	";)", ";(", ";D", ";P", ";p", "=)", "=(", "=D", "(:", "<3", "xD", "XD", "^^",
}

// emoticon recognises an ASCII emoticon at s[i]. One that starts with a letter may not follow a word, one
// that ends with a letter or digit may not be followed by one (zie:Dit, x<30), and :/ is not the start of
// a URL path. A repeated mouth (:))) :DDD) belongs to the emoticon.
func (sc *scanner) emoticon(i int) int {
	s := sc.s
	c := s[i]
	if !strings.ContainsRune(":;=<>^-T(xX", rune(c)) {
		return i
	}
	for _, e := range emoticons {
		if e[0] != c || !strings.HasPrefix(s[i:], e) {
			continue
		}
		j := i + len(e)
		last := e[len(e)-1]
		if last != '3' && last != '^' && last != '-' {
			for j < len(s) && s[j] == last {
				j++
			}
		}
		if ascii[c&0x7f]&cLetter != 0 && prevWord(s, i) {
			return i
		}
		if last < utf8.RuneSelf && ascii[last]&(cLetter|cDigit) != 0 && nextWord(s, j) {
			continue
		}
		if last == '/' && j < len(s) && s[j] == '/' {
			continue
		}
		sc.emit(Emoticon, i, j, 0, s[i:j])
		return j
	}
	return i
}
