package langid

import (
	"bytes"
	"testing"
)

// FuzzLoad checks that Load rejects damaged model files with an error instead of a panic, and that a
// model it accepts can be used.
func FuzzLoad(f *testing.F) {
	m, err := Train([]Sample{{Lang: "nl", Text: "de kat zit op de mat"}, {Lang: "en", Text: "the cat sat on the mat"}},
		TrainConfig{Alpha: 0.5, MinCount: 1})
	if err != nil {
		f.Fatal(err)
	}
	var b bytes.Buffer
	if _, err := m.WriteTo(&b); err != nil {
		f.Fatal(err)
	}
	f.Add(b.Bytes())
	f.Fuzz(func(t *testing.T, data []byte) {
		m, err := Load(data)
		if err != nil {
			return
		}
		if lang, conf := m.Detect("de kat", ""); conf < 0 || conf > 1 || lang == "" {
			t.Fatalf("loaded model answers %q %v", lang, conf)
		}
	})
}

// FuzzDetect checks that any text and hint give a code and a confidence in [0, 1].
func FuzzDetect(f *testing.F) {
	for _, s := range []string{"Ik wacht nog steeds op mijn pakket", "@kpn #storing 😡", "Привет", "baie", ""} {
		f.Add(s, "nl")
	}
	m := mustDefault(f)
	f.Fuzz(func(t *testing.T, s, hint string) {
		lang, conf := m.Detect(s, hint)
		if lang == "" || conf < 0 || conf > 1 {
			t.Fatalf("Detect(%q, %q) = %q %v", s, hint, lang, conf)
		}
	})
}
