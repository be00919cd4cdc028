// Package text is the one tokenizer and normaliser of crisisdesk. Analysis, monitor-query matching and the
// response linter all read posts through it, so a word means the same thing to each of them.
//
// A Tokenizer splits a string into Tokens. Each Token has a Kind (Word, Number, Hashtag, Mention, URL,
// Emoji, Emoticon, Punct), its original Text with its byte span [Start, End) in the input, a normalised
// form Norm, and Flags. White space is not a token.
//
//	var tz text.Tokenizer                 // zero value is ready; reuse one per goroutine
//	toks := tz.Tokenize(toks[:0], post.Text) // appends to the caller's slice
//	for _, tk := range toks { ... tk.Kind, tk.Norm, tk.Flags.Has(text.AllCaps) ... }
//
// Norm is what matching and lexicons compare:
//   - Words and hashtags are case-folded and diacritic-folded (café → cafe, Ö → o, ß → ss, ĳ → ij), the
//     curly apostrophe becomes ', and then a run of three or more identical letters is collapsed to two
//     (sooo → soo, goeeeed → goeed). Two letters are kept because Dutch and English spell many words
//     with a double letter (zee, boot, good), so collapsing to one would merge different words. The
//     collapse runs on the folded letters, so ideeën, ideeen and IDEEËN all become ideen: a query typed
//     without diacritics matches, and Fold is idempotent. The Elongated flag is set only when the
//     original has three identical letters ignoring case (sooo, NEEE), not for ideeën.
//   - A Hashtag's Norm is the folded tag without '#': #DataLek → datalek. When the tag has camelCase,
//     PascalCase, digit or underscore boundaries, its parts follow it as extra Word or Number tokens with
//     the Part flag and spans inside the hashtag (data, lek). All-lowercase tags are not split: there is
//     no dictionary. Consumers that want one token per surface item skip tokens flagged Part.
//   - A Mention's Norm is the lowercased handle without the leading '@' (anna.bsky.social,
//     user@mastodon.social).
//   - An Emoji is one grapheme cluster (ZWJ sequences, skin tones, flags, keycaps); its Norm drops
//     variation selectors and skin-tone modifiers so ❤ and ❤️ compare equal.
//   - URL, Number, Emoticon and Punct keep their text as Norm. Runs of ! and ? form one Punct token
//     (!!!, ?!), flagged Elongated when longer than one; other punctuation runs of one character form one
//     token (...).
//
// Boundaries: a word is a run of letters, digits and combining marks, so a hyphen splits (e-mail → e, -,
// mail) and a soft hyphen or zero-width joiner inside a word does not. Digits with . , : or / between
// them are one Number (1.000,50, 12:30, 24/7). An '@' or '#' right after a word is punctuation, not a
// mention or tag (info@bedrijf.nl, C#); a tag needs a letter (#1 is not one). URLs are http(s)://, www.
// and bare domains with a known ending (nu.nl/artikel), without trailing sentence punctuation.
//
// Contractions and clitics: English n't, 's, 're, 've, 'll, 'm and 'd are split off the word they lean on
// and flagged Clitic (don't → do + n't, where n't is also flagged Negation and its Norm is "not"; can't
// and won't give the stems can and will as Norm). Dutch forms m'n, z'n, d'r, zo'n and da's stay one word, and
// leading 't, 's, 'n, 'k, 'm and 'r are one Word flagged Clitic. Both ' and ’ are accepted. A Dutch plural
// such as auto's is split like an English possessive (auto + 's), so the stem matches a query for auto.
//
// Fold normalises a string the same way Word tokens are normalised; the query engine folds its terms with
// it. Tokenize is a convenience for code off the hot path.
//
// Cost is linear in the input. Tokenize allocates at most once per call (the string that holds the
// normalised forms that are not substrings of the input), and not at all when every Norm is a substring of
// the input or a constant.
package text
