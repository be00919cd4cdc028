// Package x connects crisisdesk to the X API v2: it listens on the filtered stream, keeps the stream's
// rules in step with monitors (translating monitor queries into X's rule syntax where they fit), falls back
// to recent search to close the gap after a disconnect, maps tweets to posts, and publishes with
// POST /2/tweets. All calls use a bearer token; rate limits are read from the x-rate-limit-* headers and
// honoured through the shared reconnect loop.
//
// # Translating monitors into rules
//
// Translate maps the monitor query language onto X's rule operators:
//
//	monitor query                 X rule
//	storing                       storing
//	"geen water"                  "geen water"
//	a b, a AND b                  a b
//	a OR b                        a OR b         (an OR inside an AND is parenthesised)
//	NOT a                         -a
//	NOT (a OR b)                  -a -b          (X forbids negating a group)
//	NOT (a AND b)                 (-a OR -b)
//	#storing, @VitensNL           #storing, @VitensNL
//	lang:nl                       lang:nl
//	authorVerified:true / false   is:verified / -is:verified
//	author:vitens_nl              from:vitens_nl (an X username, at most 15 characters)
//	site:, url:, links:           url:"…"
//	platform:x / platform:other   dropped / the branch can never match
//
// It refuses, with a message in Dutch and English that names the construct: NEAR, wildcards, phrase
// proximity ("a b"~n), numeric ranges (likes, reposts, followers), fields that come from crisisdesk's own
// analysis (sentiment, category, complaint, authorKind), rules that only narrow (lang:, is:verified and
// negations without a word, phrase, hashtag, mention, author or link), and rules longer than the plan's
// limit (512 characters by default; Pro and Enterprise allow 1,024).
//
// # Gaps and duplicates
//
// The source remembers the id of the newest tweet it emitted. After a reconnect or a restart it asks
// recent search, rule by rule, for the tweets after that id (since_id, following next_token), emits them
// oldest first, and drops any tweet it has emitted already, so a disconnect loses nothing and doubles
// nothing. Recent search reaches back seven days; a longer outage leaves a gap, which is logged.
package x
