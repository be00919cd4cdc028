// Package query owns the monitor query language and the many-query matcher.
//
// The language is Boolean in the style of social listening tools: terms, "exact phrases", AND, OR,
// NOT, parentheses, wildcards (storing*, ide?en), #hashtags and @mentions, proximity (NEAR/n,
// NEAR/nf, "a b"~n), fields (lang:nl, authorFollowers:[1000 TO *], sentiment:negative) and
// <<< comments >>>. docs/QUERIES.md describes it for users. Parse turns a query into a tree and
// reports mistakes as *Error with a line, a column and a message in English and Dutch.
//
// Post text is tokenized and folded by internal/text, and query terms go through the same code, so
// a term means exactly what the same text means in a post: case and diacritics do not matter, and
// phrases match across punctuation.
//
// Compile turns many queries into one Matcher, which finds candidates through an index of required
// terms and evaluates only those. Query.Match is the straightforward reference evaluator the Matcher
// is tested and measured against. Registry holds the current Matcher and swaps in a new one when
// monitors change, without stopping matching.
package query
