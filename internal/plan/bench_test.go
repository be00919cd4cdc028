package plan

import "testing"

// BenchmarkParseDefault measures loading a full plan, which import and every plan edit do.
func BenchmarkParseDefault(b *testing.B) {
	p, err := Default()
	if err != nil {
		b.Fatal(err)
	}
	src, err := Encode(p)
	if err != nil {
		b.Fatal(err)
	}
	b.SetBytes(int64(len(src)))
	for b.Loop() {
		if _, err := Parse(src); err != nil {
			b.Fatal(err)
		}
	}
}
