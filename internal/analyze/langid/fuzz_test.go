package langid

import (
	"bytes"
	"strings"
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

// FuzzParseTSV checks that the samples parser never panics and that every sample it returns has a code
// and a text without line breaks.
func FuzzParseTSV(f *testing.F) {
	f.Add([]byte("# comment\nnl\tgoed zo\r\nen\tfine\n"))
	f.Add([]byte("nl\t\n"))
	f.Add([]byte("no tab"))
	f.Fuzz(func(t *testing.T, data []byte) {
		samples, err := parseTSV(data, "fuzz", "x")
		if err != nil {
			return
		}
		for _, s := range samples {
			if s.Lang == "" || s.Text == "" || strings.ContainsAny(s.Text, "\n") {
				t.Fatalf("bad sample %+v", s)
			}
		}
	})
}
