// Package respond owns the text core of the response composer: how long a statement is on each platform,
// the per-platform variants of one core message (with thread splitting), the key facts that must stay the
// same across those variants, the linter that checks a draft against the crisis communication do's and
// don'ts, and the pre-approved statement templates with their explicit variable renderer.
//
// Nothing here does I/O or keeps state between calls apart from what a Linter compiles once at
// construction; every function is a pure function of its input, so the web UI, the CLI and tests share it.
//
// Length counting follows each platform's documented rule:
//   - X counts weighted characters (twitter-text v3): code points in U+0000–U+10FF, U+2000–U+200D,
//     U+2010–U+201F and U+2032–U+2037 weigh 1, every other code point weighs 2, an emoji sequence weighs
//     2 as a whole, and every URL weighs 23. The limit is 280. Input is counted as given; X normalises to
//     NFC first, which changes nothing for text typed on a keyboard.
//   - Bluesky counts grapheme clusters, limit 300.
//   - Mastodon counts grapheme clusters, limit 500, where every http(s) URL counts as 23 and a mention
//     @user@domain counts only as @user.
//   - Threads (500), LinkedIn (3,000), Facebook (63,206) and Instagram captions (2,200) count characters,
//     taken here as grapheme clusters so that an emoji is one character.
//   - E-mail and press releases have no limit.
//
// Grapheme clusters come from the shared tokenizer for emoji (ZWJ sequences, flags, skin tones, keycaps)
// and from a small segmenter here for the rest (a base rune with its combining marks and variation
// selectors, CR LF, Hangul jamo sequences).
package respond
