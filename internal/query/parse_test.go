package query

import (
	"errors"
	"strings"
	"testing"
)

func TestParseErrors(t *testing.T) {
	tests := []struct {
		query string
		want  string // Error(): line:col: message
		key   MsgKey
	}{
		{"", `1:1: empty query`, MsgEmptyQuery},
		{"  <<< alleen commentaar >>> ", `1:29: empty query`, MsgEmptyQuery},
		{"storing AND (ing OR abn", `1:13: unbalanced parenthesis`, MsgUnbalancedParen},
		{"storing AND ing) OR abn", `1:16: unbalanced parenthesis`, MsgUnbalancedParen},
		{")", `1:1: unbalanced parenthesis`, MsgUnbalancedParen},
		{"storing ()", `1:9: empty parentheses: expected a term, phrase or field inside`, MsgEmptyParens},
		{"ing a*", `1:6: wildcard needs at least 2 letters before *`, MsgWildcardPrefix},
		{"*bank", `1:1: wildcard needs at least 2 letters before *`, MsgWildcardPrefix},
		{"?ank", `1:1: wildcard needs at least 2 letters before ?`, MsgWildcardPrefix},
		{"ing ab：c*", `1:5: a term with a wildcard cannot contain ":"`, MsgWildcardChars},
		{"#d*", `1:3: wildcard needs at least 2 letters before *`, MsgWildcardPrefix},
		{"storing author:anna autor:bob", `1:21: unknown field "autor" (did you mean author?)`, MsgUnknownField},
		{"storing lnag:nl", `1:9: unknown field "lnag" (did you mean lang?)`, MsgUnknownField},
		{"storing colour:red", `1:9: unknown field "colour"; known fields: lang, platform, author, site, url, links, authorFollowers, authorFollowing, likes, reposts, authorVerified, authorKind, sentiment, category, complaint`, MsgUnknownFieldHint},
		{"storing sentiment:angry", `1:19: invalid value "angry" for sentiment: expected one of negative, neutral, positive`, MsgBadEnum},
		{"storing platform:myspace", `1:18: invalid value "myspace" for platform: expected one of bluesky, mastodon, x, rss, news, reddit, facebook, instagram, linkedin, threads, tiktok, youtube, web, other`, MsgBadEnum},
		{`storing site:"exa mple.nl"`, `1:14: invalid value "exa mple.nl" for site: expected a value such as example.nl`, MsgBadValue},
		{"storing complaint:ja", `1:19: invalid value "ja" for complaint: expected true or false`, MsgBadBool},
		{"storing authorFollowers:[veel TO *]", `1:25: invalid range for authorFollowers: expected [MIN TO MAX] with numbers or *, such as [1000 TO *]`, MsgBadRange},
		{"storing authorFollowers:[10 TO 5]", `1:25: invalid range for authorFollowers: expected [MIN TO MAX] with numbers or *, such as [1000 TO *]`, MsgBadRange},
		{"storing authorFollowers:1000", `1:25: invalid range for authorFollowers: expected [MIN TO MAX] with numbers or *, such as [1000 TO *]`, MsgBadRange},
		{"storing authorFollowers:[10 TO", `1:25: unterminated range: expected ]`, MsgUnterminatedRange},
		{"storing author:@", `1:16: field author needs a value, such as author:anna.bsky.social`, MsgFieldNeedsValue},
		{"storing lang: nl", `1:13: field lang needs a value, such as lang:nl`, MsgFieldNeedsValue},
		{`storing "klantenservice ING`, `1:9: unterminated phrase: expected a closing "`, MsgUnterminatedPhrase},
		{`storing ""`, `1:9: empty phrase`, MsgEmptyPhrase},
		{`"klant* ING"`, `1:7: wildcards are not allowed inside a phrase; use NEAR instead`, MsgWildcardInPhrase},
		{`storing "a b"~x`, `1:14: expected a number of words after ~, such as "a b"~3 (at most 100)`, MsgBadSlop},
		{"storing <<< niet afgesloten", `1:9: unterminated comment: expected >>>`, MsgUnterminatedComment},
		{"storing AND", `1:9: expected a term, phrase, field or ( after AND`, MsgExpectedTermAfter},
		{"storing OR", `1:9: expected a term, phrase, field or ( after OR`, MsgExpectedTermAfter},
		{"storing AND OR bank", `1:13: expected a term, phrase, field or ( but found OR`, MsgExpectedTerm},
		{"OR bank", `1:1: expected a term, phrase, field or ( but found OR`, MsgExpectedTerm},
		{"storing NEAR bank", `1:9: expected NEAR/n or NEAR/nf with a number, such as NEAR/3`, MsgBadNear},
		{"storing NEAR/x bank", `1:9: expected NEAR/n or NEAR/nf with a number, such as NEAR/3`, MsgBadNear},
		{"storing NEAR/500 bank", `1:9: NEAR distance 500 is more than the maximum of 100`, MsgNearTooFar},
		{"storing NEAR/3 lang:nl", `1:16: NEAR needs a term, phrase or OR-group of terms on each side`, MsgNearOperand},
		{"(a1 b1) NEAR/3 c1", `1:9: NEAR needs a term, phrase or OR-group of terms on each side`, MsgNearOperand},
		{"storing NEAR/3 NOT bank", `1:16: NEAR needs a term, phrase or OR-group of terms on each side`, MsgNearOperand},
		{"NOT storing", `1:1: query has no positive term and would match nearly everything: add a term, phrase or field that must be present`, MsgOnlyNegative},
		{"NOT storing NOT bank", `1:1: query has no positive term and would match nearly everything: add a term, phrase or field that must be present`, MsgOnlyNegative},
		{"storing OR NOT bank", `1:12: an OR branch with only NOT would match nearly everything: put the NOT outside the OR`, MsgNegativeOrBranch},
		{"storing (bank OR NOT ing)", `1:18: an OR branch with only NOT would match nearly everything: put the NOT outside the OR`, MsgNegativeOrBranch},
		{"storing !!!", `1:9: term "!!!" has no letters or digits`, MsgNoLetters},
		{"storing\n  AND (bank\n  OR ing", `2:7: unbalanced parenthesis`, MsgUnbalancedParen},
		{"storing\nautor:bob", `2:1: unknown field "autor" (did you mean author?)`, MsgUnknownField},
		{"café\té*", `1:7: wildcard needs at least 2 letters before *`, MsgWildcardPrefix},
		{strings.Repeat("(", 70) + "a1" + strings.Repeat(")", 70), `1:65: query is nested more than 64 levels deep`, MsgTooDeep},
		{strings.Repeat("a", MaxQueryBytes+1), `1:1: query is longer than 16384 bytes`, MsgQueryTooLong},
	}
	for _, tt := range tests {
		_, err := Parse(tt.query)
		var e *Error
		if !errors.As(err, &e) {
			t.Errorf("Parse(%q) = %v, want an *Error", tt.query, err)
			continue
		}
		if e.Error() != tt.want || e.Key != tt.key {
			t.Errorf("Parse(%q):\n got %s (%s)\nwant %s (%s)", tt.query, e.Error(), e.Key, tt.want, tt.key)
		}
		if nl := e.Message("nl"); nl == "" || nl == e.Msg || strings.Contains(nl, "%!") {
			t.Errorf("Parse(%q): Dutch message %q", tt.query, nl)
		}
	}
}

func TestErrorFormat(t *testing.T) {
	q := "storing\n  AND (bank\n  OR ing"
	_, err := Parse(q)
	var e *Error
	if !errors.As(err, &e) {
		t.Fatal(err)
	}
	want := "2:7: unbalanced parenthesis\n    AND (bank\n        ^\n"
	if got := e.Format(q); got != want {
		t.Errorf("Format:\n%s\nwant:\n%s", got, want)
	}
	wantNL := "2:7: haakje zonder partner\n    AND (bank\n        ^\n"
	if got := e.FormatLang(q, "nl"); got != wantNL {
		t.Errorf("FormatLang nl:\n%s\nwant:\n%s", got, wantNL)
	}
	// A tab before the error keeps the caret under the character.
	q = "ing\tx*"
	_, err = Parse(q)
	if !errors.As(err, &e) {
		t.Fatal(err)
	}
	if got, want := e.Format(q), "1:6: wildcard needs at least 2 letters before *\n  ing\tx*\n     \t ^\n"; got != want {
		t.Errorf("Format with tab:\n%q\nwant\n%q", got, want)
	}
}

func TestEveryMessageHasBothLanguages(t *testing.T) {
	for k, m := range messages {
		if m.en == "" || m.nl == "" || m.en == m.nl {
			t.Errorf("%s: en %q nl %q", k, m.en, m.nl)
		}
		if strings.Count(m.en, "%s") != strings.Count(m.nl, "%s") {
			t.Errorf("%s: English and Dutch take different arguments", k)
		}
	}
}

func TestParseTree(t *testing.T) {
	tests := []struct{ query, want string }{
		{"a1 b1 OR c1", "((a1 AND b1) OR c1)"},
		{"a1 OR b1 AND c1", "(a1 OR (b1 AND c1))"},
		{"a1 NOT b1", "(a1 AND NOT b1)"},
		{"NOT a1 b1", "(NOT a1 AND b1)"},
		{"a1 NEAR/2 b1 c1", "((a1 NEAR/2 b1) AND c1)"},
		{"a1 NEAR/2f b1 NEAR/3 c1", "((a1 NEAR/2f b1) NEAR/3 c1)"},
		{`"Klantenservice, ING"~2`, `"klantenservice ing"~2`},
		{`"ING"`, "ing"},
		{"e-mail", `"e mail"`},
		{"#DataLek @INGnl", "(#datalek AND @ingnl)"},
		{"Storing*", "storing*"},
		{"ideeën*", "ideen*"},
		{"lang:NL authorFollowers:[1000 TO *] site:https://www.Example.nl/", `(lang:"nl" AND authorFollowers:[1000 TO *] AND site:"example.nl")`},
		{"url:http://example.nl", `url:"example.nl"`},
		{"a1 <<< commentaar\nover twee regels >>> b1", "(a1 AND b1)"},
		{"let op: storing", "(let AND op AND storing)"},
		{"https://example.nl/a", `"https://example.nl/a"`},
	}
	for _, tt := range tests {
		q, err := Parse(tt.query)
		if err != nil {
			t.Errorf("Parse(%q): %v", tt.query, err)
			continue
		}
		if got := q.Root.String(); got != tt.want {
			t.Errorf("Parse(%q) = %s, want %s", tt.query, got, tt.want)
		}
		// The rendering parses back to the same tree.
		q2, err := Parse(q.Root.String())
		if err != nil {
			t.Errorf("reparse %q: %v", q.Root.String(), err)
		} else if q2.Root.String() != q.Root.String() {
			t.Errorf("reparse %q = %s", q.Root.String(), q2.Root.String())
		}
	}
}

func TestMatchWildcard(t *testing.T) {
	tests := []struct {
		pat, s string
		want   bool
	}{
		{"ab*", "ab", true}, {"ab*", "abc", true}, {"ab*", "a", false},
		{"ab*cd", "abxxcd", true}, {"ab*cd", "abcd", true}, {"ab*cd", "abcdx", false},
		{"ab?d", "abcd", true}, {"ab?d", "abd", false}, {"ab?d", "abéd", true},
		{"ab*c*d", "abxcxxd", true}, {"ab*c*d", "abxxd", false},
		{"ab", "ab", true}, {"ab", "abc", false},
	}
	for _, tt := range tests {
		if got := matchWildcard(tt.pat, tt.s); got != tt.want {
			t.Errorf("matchWildcard(%q, %q) = %v", tt.pat, tt.s, got)
		}
	}
}
