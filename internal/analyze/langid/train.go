package langid

import (
	"bufio"
	"fmt"
	"hash/fnv"
	"math"
	"os"
	"path/filepath"
	"slices"
	"strings"
)

// Sample is one training or evaluation text with its language.
type Sample struct {
	Lang string
	Text string
	// Source names the part of the corpus the text came from (sentences, word-pairs, single-words), so
	// accuracy can be reported per text length.
	Source string
}

// TrainConfig sets the training parameters.
type TrainConfig struct {
	// Alpha is the additive (Lidstone) smoothing count.
	Alpha float64
	// MinCount drops features seen fewer times than this over all languages. Features seen once are
	// most of the vocabulary and carry little evidence; dropping them keeps the model small.
	MinCount int
}

// DefaultTrainConfig returns the configuration the shipped model was trained with. Smoothing this small
// makes the model close to a presence model: a feature never seen in a language counts heavily against
// it. On the dev tenth that beat larger values (0.5 gave 0.89 accuracy, 0.001 gives 0.95), because the
// corpus is small and most short texts are decided by a few telling n-grams.
func DefaultTrainConfig() TrainConfig { return TrainConfig{Alpha: 0.001, MinCount: 1} }

// quantisation range of log-probabilities; anything rarer than e^-24 is clamped.
const (
	quantFloor = -24.0
	quantSteps = 255
)

// Train builds a model from samples. Languages are ordered by code so the same samples give the same
// model.
func Train(samples []Sample, cfg TrainConfig) (*Model, error) {
	if cfg.Alpha <= 0 {
		return nil, fmt.Errorf("langid: train: alpha must be positive, got %v", cfg.Alpha)
	}
	var langs []string
	for _, s := range samples {
		if !slices.Contains(langs, s.Lang) {
			langs = append(langs, s.Lang)
		}
	}
	slices.Sort(langs)
	if len(langs) < 2 || len(langs) > maxLangs {
		return nil, fmt.Errorf("langid: train: need 2 to %d languages, got %d", maxLangs, len(langs))
	}
	nl := len(langs)
	lane := make(map[string]int, nl)
	for i, l := range langs {
		lane[l] = i
	}
	type stat struct {
		counts []uint32
		class  uint8
	}
	stats := make(map[uint32]*stat)
	totals := make([]float64, numClasses*nl) // class*nl + lane
	var e extractor
	for _, s := range samples {
		l := lane[s.Lang]
		e.extract(s.Text)
		for _, f := range e.feats {
			st := stats[f.key]
			if st == nil {
				st = &stat{counts: make([]uint32, nl), class: f.class}
				stats[f.key] = st
			}
			st.counts[l]++
			totals[int(f.class)*nl+l]++
		}
	}
	vocab := make([]float64, numClasses)
	for _, st := range stats {
		vocab[st.class]++
	}
	unseen := make([]float32, numClasses*nl)
	denom := make([]float64, numClasses*nl)
	for c := range numClasses {
		for l := range nl {
			d := totals[c*nl+l] + cfg.Alpha*vocab[c]
			denom[c*nl+l] = d
			unseen[c*nl+l] = float32(math.Log(cfg.Alpha / d))
		}
	}
	var keys []uint32
	for k, st := range stats {
		var sum uint32
		for _, n := range st.counts {
			sum += n
		}
		if int(sum) >= cfg.MinCount {
			keys = append(keys, k)
		}
	}
	slices.Sort(keys)
	step := float32(-quantFloor / quantSteps)
	probs := make([]uint8, len(keys)*rowStride)
	for row, k := range keys {
		st := stats[k]
		for l := range nl {
			lp := math.Log((float64(st.counts[l]) + cfg.Alpha) / denom[int(st.class)*nl+l])
			q := math.Round((lp - quantFloor) / float64(step))
			probs[row*rowStride+l] = uint8(max(0, min(quantSteps, q)))
		}
	}
	return newModel(langs, unseen, quantFloor, step, keys, probs), nil
}

// tenth returns which tenth of the corpus a text falls in. The split hashes the text itself, so it is the
// same on every machine and for every run, and a text repeated in the corpus always lands on the same side.
func tenth(text string) uint32 {
	h := fnv.New32a()
	h.Write([]byte(text))
	return h.Sum32() % 10
}

// IsHeldOut reports whether a text belongs to the held-out tenth of the corpus, which is used only to
// report accuracy.
func IsHeldOut(text string) bool { return tenth(text) == 0 }

// IsDev reports whether a text belongs to the dev tenth, on which the decision parameters are tuned. The
// shipped model is trained on the dev tenth too, once the parameters are fixed.
func IsDev(text string) bool { return tenth(text) == 1 }

// linguaSources are the three parts of the lingua test data, one file per language in each.
var linguaSources = [...]string{"sentences", "word-pairs", "single-words"}

// linguaLanguages are the languages of the lingua test data, and so of the shipped model, in lane order.
var linguaLanguages = [...]string{"af", "da", "de", "en", "es", "fr", "it", "nl", "pt", "sv"}

// LinguaLanguages returns the languages of the lingua test data, which are those of the shipped model.
func LinguaLanguages() []string { return slices.Clone(linguaLanguages[:]) }

// ReadLingua reads the lingua test data under dir (dir/SOURCE/LANG.txt, one text per line).
func ReadLingua(dir string) ([]Sample, error) {
	var out []Sample
	for _, src := range linguaSources {
		for _, lang := range linguaLanguages {
			path := filepath.Join(dir, src, lang+".txt")
			f, err := os.Open(path)
			if err != nil {
				return nil, fmt.Errorf("langid: read corpus: %w", err)
			}
			sc := bufio.NewScanner(f)
			sc.Buffer(make([]byte, 64<<10), 1<<20)
			for sc.Scan() {
				if line := strings.TrimSpace(sc.Text()); line != "" {
					out = append(out, Sample{Lang: lang, Text: line, Source: src})
				}
			}
			err = sc.Err()
			f.Close()
			if err != nil {
				return nil, fmt.Errorf("langid: read %s: %w", path, err)
			}
		}
	}
	return out, nil
}

// ReadTSV reads labelled texts from a file of "code<TAB>text" lines; lines starting with # are comments.
func ReadTSV(path, source string) ([]Sample, error) {
	data, err := os.ReadFile(path)
	if err != nil {
		return nil, fmt.Errorf("langid: read samples: %w", err)
	}
	return parseTSV(data, path, source)
}

// parseTSV parses the lines of a samples file; name is used in errors.
func parseTSV(data []byte, name, source string) ([]Sample, error) {
	var out []Sample
	for n, line := range strings.Split(string(data), "\n") {
		line = strings.TrimSuffix(line, "\r")
		if line == "" || strings.HasPrefix(line, "#") {
			continue
		}
		code, text, ok := strings.Cut(line, "\t")
		if !ok || code == "" || strings.TrimSpace(text) == "" {
			return nil, fmt.Errorf("langid: %s:%d: want code<TAB>text", name, n+1)
		}
		out = append(out, Sample{Lang: code, Text: text, Source: source})
	}
	return out, nil
}

// Split divides samples into the training part and the held-out part by IsHeldOut.
func Split(samples []Sample) (train, heldOut []Sample) {
	for _, s := range samples {
		if IsHeldOut(s.Text) {
			heldOut = append(heldOut, s)
		} else {
			train = append(train, s)
		}
	}
	return train, heldOut
}
