package text

import "unicode"

// pictographic approximates the Unicode Extended_Pictographic property: the runes that start an emoji
// grapheme cluster. The standard library has no emoji property, and this table changes rarely.
var pictographic = &unicode.RangeTable{
	R16: []unicode.Range16{
		{Lo: 0x00A9, Hi: 0x00A9, Stride: 1},
		{Lo: 0x00AE, Hi: 0x00AE, Stride: 1},
		{Lo: 0x203C, Hi: 0x203C, Stride: 1},
		{Lo: 0x2049, Hi: 0x2049, Stride: 1},
		{Lo: 0x2122, Hi: 0x2122, Stride: 1},
		{Lo: 0x2139, Hi: 0x2139, Stride: 1},
		{Lo: 0x2194, Hi: 0x2199, Stride: 1},
		{Lo: 0x21A9, Hi: 0x21AA, Stride: 1},
		{Lo: 0x231A, Hi: 0x231B, Stride: 1},
		{Lo: 0x2328, Hi: 0x2328, Stride: 1},
		{Lo: 0x2388, Hi: 0x2388, Stride: 1},
		{Lo: 0x23CF, Hi: 0x23CF, Stride: 1},
		{Lo: 0x23E9, Hi: 0x23F3, Stride: 1},
		{Lo: 0x23F8, Hi: 0x23FA, Stride: 1},
		{Lo: 0x24C2, Hi: 0x24C2, Stride: 1},
		{Lo: 0x25AA, Hi: 0x25AB, Stride: 1},
		{Lo: 0x25B6, Hi: 0x25B6, Stride: 1},
		{Lo: 0x25C0, Hi: 0x25C0, Stride: 1},
		{Lo: 0x25FB, Hi: 0x25FE, Stride: 1},
		{Lo: 0x2600, Hi: 0x27BF, Stride: 1},
		{Lo: 0x2934, Hi: 0x2935, Stride: 1},
		{Lo: 0x2B05, Hi: 0x2B07, Stride: 1},
		{Lo: 0x2B1B, Hi: 0x2B1C, Stride: 1},
		{Lo: 0x2B50, Hi: 0x2B50, Stride: 1},
		{Lo: 0x2B55, Hi: 0x2B55, Stride: 1},
		{Lo: 0x3030, Hi: 0x3030, Stride: 1},
		{Lo: 0x303D, Hi: 0x303D, Stride: 1},
		{Lo: 0x3297, Hi: 0x3297, Stride: 1},
		{Lo: 0x3299, Hi: 0x3299, Stride: 1},
	},
	R32: []unicode.Range32{
		{Lo: 0x1F000, Hi: 0x1FAFF, Stride: 1},
		{Lo: 0x1FC00, Hi: 0x1FFFD, Stride: 1},
	},
}

func isPictographic(r rune) bool {
	if r < 0xA9 {
		return false
	}
	return unicode.Is(pictographic, r)
}

func isRegionalIndicator(r rune) bool { return r >= 0x1F1E6 && r <= 0x1F1FF }

func isSkinTone(r rune) bool { return r >= 0x1F3FB && r <= 0x1F3FF }

// isEmojiModifier reports runes that extend an emoji cluster without starting one: variation selectors,
// skin tones, the keycap mark and tag characters (used by subdivision flags).
func isEmojiModifier(r rune) bool {
	return r == 0xFE0F || r == 0xFE0E || isSkinTone(r) || r == 0x20E3 || (r >= 0xE0020 && r <= 0xE007F)
}

// scanEmoji returns the end of the emoji cluster starting at s[i], whose first rune r (size bytes) is
// pictographic.
func scanEmoji(s string, i int, r rune, size int) int {
	j := i + size
	if isRegionalIndicator(r) {
		if j < len(s) {
			if r2, sz := decode(s, j); isRegionalIndicator(r2) {
				return j + sz
			}
		}
		return j
	}
	for j < len(s) {
		r2, sz := decode(s, j)
		switch {
		case isEmojiModifier(r2):
			j += sz
		case r2 == 0x200D && j+sz < len(s):
			r3, sz3 := decode(s, j+sz)
			if !isPictographic(r3) {
				return j
			}
			j += sz + sz3
		default:
			return j
		}
	}
	return j
}

// scanKeycap returns the end of a keycap emoji (1️⃣, #️⃣) starting at s[i], or i when there is none.
func scanKeycap(s string, i int) int {
	j := i + 1
	if j+3 <= len(s) && s[j:j+3] == "\uFE0F" {
		j += 3
	}
	if j+3 <= len(s) && s[j:j+3] == "\u20E3" {
		return j + 3
	}
	return i
}

// emojiNormNeeded reports whether an emoji cluster carries selectors or skin tones to drop from Norm.
func emojiNormNeeded(e string) bool {
	for i := 0; i < len(e); {
		r, sz := decode(e, i)
		if (r == 0xFE0F || r == 0xFE0E || isSkinTone(r)) && !(i == 0 && isSkinTone(r)) {
			return true
		}
		i += sz
	}
	return false
}

// appendEmojiNorm appends e without variation selectors and skin tones (a lone skin tone is kept).
func appendEmojiNorm(dst []byte, e string) []byte {
	for i := 0; i < len(e); {
		r, sz := decode(e, i)
		if !(r == 0xFE0F || r == 0xFE0E || (isSkinTone(r) && i > 0)) {
			dst = append(dst, e[i:i+sz]...)
		}
		i += sz
	}
	return dst
}
