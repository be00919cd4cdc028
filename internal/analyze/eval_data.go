package analyze

import (
	"bufio"
	"encoding/csv"
	"encoding/xml"
	"errors"
	"fmt"
	"html"
	"io"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"unicode/utf16"
)

// Example is one labelled text from an evaluation or training set. Label is a Polarity for the
// sentiment sets and 0 or 1 for the complaint set.
type Example struct {
	Text   string
	Label  int
	Domain string // the complaint set's domain; empty elsewhere
}

// ErrNoData says an evaluation data set is not where it was looked for. Tests skip on it.
var ErrNoData = errors.New("evaluation data not found")

// Paths of the public data sets below the data directory (../shared/data by default).
const (
	tweetEvalDir   = "sentiment-en/tweeteval"
	semEvalDir     = "sentiment-nl/semeval2016-restaurants"
	complaintsFile = "complaints/complaints-data.csv"
)

// LoadTweetEval reads split "val" or "test" of TweetEval sentiment. Its labels 0, 1, 2 are
// negative, neutral and positive, the same numbers as Polarity.
func LoadTweetEval(dataDir, split string) ([]Example, error) {
	dir := filepath.Join(dataDir, tweetEvalDir)
	texts, err := readLines(filepath.Join(dir, split+"_text.txt"))
	if err != nil {
		return nil, err
	}
	labels, err := readLines(filepath.Join(dir, split+"_labels.txt"))
	if err != nil {
		return nil, err
	}
	if len(texts) != len(labels) {
		return nil, fmt.Errorf("tweeteval %s: %d texts but %d labels", split, len(texts), len(labels))
	}
	out := make([]Example, len(texts))
	for i := range texts {
		l, err := strconv.Atoi(strings.TrimSpace(labels[i]))
		if err != nil || l < 0 || l > 2 {
			return nil, fmt.Errorf("tweeteval %s: label line %d: %q is not 0, 1 or 2", split, i+1, labels[i])
		}
		// The val split keeps \uXXXX escapes and HTML entities (&amp;, &gt;) that the test split
		// has decoded; both are undone so that val, which the English layer is fitted on, reads like
		// the text it is measured on.
		out[i] = Example{Text: html.UnescapeString(unescapeUnicode(strings.TrimSpace(texts[i]))), Label: l}
	}
	return out, nil
}

// unescapeUnicode turns the JSON-style escapes \uXXXX left in some TweetEval lines back into the
// characters they stand for. The val split has about two hundred ("can\u2019t", "\u002c"), the test
// split none; left as they are, "can\u2019t" is not read as a negation while fitting.
func unescapeUnicode(s string) string {
	if !strings.Contains(s, `\u`) {
		return s
	}
	var b strings.Builder
	for i := 0; i < len(s); i++ {
		if s[i] == '\\' && i+6 <= len(s) && s[i+1] == 'u' {
			if r, err := strconv.ParseUint(s[i+2:i+6], 16, 32); err == nil && !utf16.IsSurrogate(rune(r)) {
				b.WriteRune(rune(r))
				i += 5
				continue
			}
		}
		b.WriteByte(s[i])
	}
	return b.String()
}

func readLines(path string) ([]string, error) {
	f, err := os.Open(path)
	if err != nil {
		if errors.Is(err, os.ErrNotExist) {
			return nil, fmt.Errorf("%s: %w", path, ErrNoData)
		}
		return nil, err
	}
	defer f.Close()
	var lines []string
	sc := bufio.NewScanner(f)
	sc.Buffer(make([]byte, 64<<10), 1<<20)
	for sc.Scan() {
		lines = append(lines, sc.Text())
	}
	return lines, sc.Err()
}

// LoadSemEvalDutch reads split "train" or "test-gold" of the SemEval-2016 Dutch restaurant reviews
// as sentences. A sentence's label is the polarity all its opinions agree on; sentences whose
// opinions disagree, and sentences without opinions, are left out, as the data's README says.
func LoadSemEvalDutch(dataDir, split string) ([]Example, error) {
	labelled, _, err := loadSemEval(dataDir, split)
	return labelled, err
}

// loadSemEval returns the labelled sentences of a split and, apart, the sentences without opinions,
// which tuning uses as a sample of plain Dutch statements that should read as neutral.
func loadSemEval(dataDir, split string) (labelled, plain []Example, err error) {
	path := filepath.Join(dataDir, semEvalDir, split+".xml")
	f, err := os.Open(path)
	if err != nil {
		if errors.Is(err, os.ErrNotExist) {
			return nil, nil, fmt.Errorf("%s: %w", path, ErrNoData)
		}
		return nil, nil, err
	}
	defer f.Close()
	return parseSemEval(f)
}

func parseSemEval(r io.Reader) (labelled, plain []Example, err error) {
	var doc struct {
		Reviews []struct {
			Sentences []struct {
				Text     string `xml:"text"`
				Opinions []struct {
					Polarity string `xml:"polarity,attr"`
				} `xml:"Opinions>Opinion"`
			} `xml:"sentences>sentence"`
		} `xml:"Review"`
	}
	if err := xml.NewDecoder(r).Decode(&doc); err != nil {
		return nil, nil, fmt.Errorf("semeval: %w", err)
	}
	for _, rv := range doc.Reviews {
		for _, s := range rv.Sentences {
			if len(s.Opinions) == 0 {
				plain = append(plain, Example{Text: strings.TrimSpace(s.Text), Label: int(Neutral)})
				continue
			}
			label, agree := -1, true
			for _, o := range s.Opinions {
				p, ok := ParsePolarity(o.Polarity)
				if !ok {
					return nil, nil, fmt.Errorf("semeval: unknown polarity %q", o.Polarity)
				}
				if label >= 0 && int(p) != label {
					agree = false
				}
				label = int(p)
			}
			if agree {
				labelled = append(labelled, Example{Text: strings.TrimSpace(s.Text), Label: label})
			}
		}
	}
	return labelled, plain, nil
}

// LoadComplaints reads the complaint data set: CSV rows of id, text, label (1 complaint, 0 not)
// and domain, without a header.
func LoadComplaints(dataDir string) ([]Example, error) {
	path := filepath.Join(dataDir, complaintsFile)
	f, err := os.Open(path)
	if err != nil {
		if errors.Is(err, os.ErrNotExist) {
			return nil, fmt.Errorf("%s: %w", path, ErrNoData)
		}
		return nil, err
	}
	defer f.Close()
	rd := csv.NewReader(f)
	rd.FieldsPerRecord = 4
	var out []Example
	for {
		rec, err := rd.Read()
		if err == io.EOF {
			return out, nil
		}
		if err != nil {
			return nil, fmt.Errorf("complaints: %w", err)
		}
		l, err := strconv.Atoi(rec[2])
		if err != nil || (l != 0 && l != 1) {
			return nil, fmt.Errorf("complaints: id %s: label %q is not 0 or 1", rec[0], rec[2])
		}
		out = append(out, Example{Text: rec[1], Label: l, Domain: rec[3]})
	}
}
