package langid

import (
	"fmt"
	"io"
	"slices"
	"sort"
)

// Report is the outcome of running a model over labelled samples.
type Report struct {
	Total, Correct int
	// BySource and ByLang count [correct, total] per corpus part and per true language.
	BySource map[string][2]int
	ByLang   map[string][2]int
	// ByLangSource counts [correct, total] per true language and corpus part, keyed "lang/source".
	ByLangSource map[string][2]int
	// Confusion[true][predicted] counts answers, und included.
	Confusion map[string]map[string]int
}

// Accuracy is the share of samples given their true language; und counts as wrong.
func (r Report) Accuracy() float64 {
	if r.Total == 0 {
		return 0
	}
	return float64(r.Correct) / float64(r.Total)
}

// Evaluate detects every sample without a hint and tallies the answers.
func Evaluate(m *Model, samples []Sample) Report {
	r := Report{BySource: map[string][2]int{}, ByLang: map[string][2]int{}, ByLangSource: map[string][2]int{},
		Confusion: map[string]map[string]int{}}
	for _, s := range samples {
		got, _ := m.Detect(s.Text, "")
		ok := 0
		if got == s.Lang {
			ok = 1
		}
		r.Total++
		r.Correct += ok
		bs := r.BySource[s.Source]
		r.BySource[s.Source] = [2]int{bs[0] + ok, bs[1] + 1}
		bl := r.ByLang[s.Lang]
		r.ByLang[s.Lang] = [2]int{bl[0] + ok, bl[1] + 1}
		ls := r.ByLangSource[s.Lang+"/"+s.Source]
		r.ByLangSource[s.Lang+"/"+s.Source] = [2]int{ls[0] + ok, ls[1] + 1}
		if r.Confusion[s.Lang] == nil {
			r.Confusion[s.Lang] = map[string]int{}
		}
		r.Confusion[s.Lang][got]++
	}
	return r
}

// Write prints the report as Markdown tables: accuracy per source, per language and source, and the
// confusion between Dutch, Afrikaans and German.
func (r Report) Write(w io.Writer) {
	fmt.Fprintf(w, "\noverall accuracy: %.4f (%d/%d)\n\n", r.Accuracy(), r.Correct, r.Total)
	fmt.Fprintln(w, "| part | texts | accuracy |\n|---|---:|---:|")
	for _, src := range sortedKeys(r.BySource) {
		c := r.BySource[src]
		fmt.Fprintf(w, "| %s | %d | %.3f |\n", src, c[1], ratio(c))
	}
	sources := sortedKeys(r.BySource)
	fmt.Fprint(w, "\n| language | texts | all")
	for _, src := range sources {
		fmt.Fprintf(w, " | %s", src)
	}
	fmt.Fprint(w, " |\n|---|---:|---:")
	for range sources {
		fmt.Fprint(w, "|---:")
	}
	fmt.Fprintln(w, "|")
	for _, l := range sortedKeys(r.ByLang) {
		c := r.ByLang[l]
		fmt.Fprintf(w, "| %s | %d | %.3f", l, c[1], ratio(c))
		for _, src := range sources {
			fmt.Fprintf(w, " | %.3f", ratio(r.ByLangSource[l+"/"+src]))
		}
		fmt.Fprintln(w, " |")
	}
	trio := []string{"nl", "af", "de"}
	fmt.Fprintln(w, "\n| true \\ detected | nl | af | de | other | und |\n|---|---:|---:|---:|---:|---:|")
	for _, t := range trio {
		row := r.Confusion[t]
		other := 0
		for got, n := range row {
			if !slices.Contains(trio, got) && got != Undetermined {
				other += n
			}
		}
		fmt.Fprintf(w, "| %s | %d | %d | %d | %d | %d |\n", t, row["nl"], row["af"], row["de"], other, row[Undetermined])
	}
}

func ratio(c [2]int) float64 {
	if c[1] == 0 {
		return 0
	}
	return float64(c[0]) / float64(c[1])
}

func sortedKeys[V any](m map[string]V) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	return keys
}
