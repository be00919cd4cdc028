package analyze

import (
	"fmt"
	"io"
	"strings"

	"github.com/jonreiter/govader"
)

// EvalTable is one table of an evaluation report: a title, the measures as columns, and one row per
// system (crisisdesk and its baselines, computed in the same run).
type EvalTable struct {
	Title    string
	Note     string
	Measures []string
	Rows     []EvalRow
}

// EvalRow is one system's figures, in the order of the table's measures.
type EvalRow struct {
	System string
	Values []float64
}

// EvalReport is what `crisisdesk eval` prints and docs/ACCURACY.md records.
type EvalReport struct {
	Tables []EvalTable
}

// WriteMarkdown writes the report as Markdown tables.
func (r *EvalReport) WriteMarkdown(w io.Writer) error {
	var b strings.Builder
	for i, t := range r.Tables {
		if i > 0 {
			b.WriteByte('\n')
		}
		fmt.Fprintf(&b, "### %s\n\n", t.Title)
		if t.Note != "" {
			fmt.Fprintf(&b, "%s\n\n", t.Note)
		}
		b.WriteString("| system |")
		for _, m := range t.Measures {
			fmt.Fprintf(&b, " %s |", m)
		}
		b.WriteString("\n|---|")
		for range t.Measures {
			b.WriteString("---:|")
		}
		b.WriteByte('\n')
		for _, row := range t.Rows {
			fmt.Fprintf(&b, "| %s |", row.System)
			for _, v := range row.Values {
				fmt.Fprintf(&b, " %.3f |", v)
			}
			b.WriteByte('\n')
		}
	}
	_, err := io.WriteString(w, b.String())
	return err
}

// Names of the systems in every table.
const (
	sysCrisisdesk = "crisisdesk"
	sysVADER      = "VADER baseline (govader)"
	sysMajority   = "majority class"
)

// vaderLabel labels a govader compound score with VADER's published thresholds.
func vaderLabel(compound float64) int {
	switch {
	case compound >= 0.05:
		return int(Positive)
	case compound <= -0.05:
		return int(Negative)
	}
	return int(Neutral)
}

// Evaluate scores the shipped models against the public data in dataDir: TweetEval sentiment test,
// SemEval-2016 Dutch test sentences, complaints by stratified 5-fold cross-validation, and language
// identification on Dutch and English short texts. Every table has the VADER baseline and the
// majority class next to crisisdesk, computed in the same run.
func Evaluate(dataDir string) (*EvalReport, error) {
	a, err := New()
	if err != nil {
		return nil, err
	}
	vader := govader.NewSentimentIntensityAnalyzer()
	rep := &EvalReport{}

	// English sentiment.
	val, err := LoadTweetEval(dataDir, "val")
	if err != nil {
		return nil, err
	}
	test, err := LoadTweetEval(dataDir, "test")
	if err != nil {
		return nil, err
	}
	rep.Tables = append(rep.Tables, sentimentTable(
		fmt.Sprintf("TweetEval sentiment, test split (%d English tweets)", len(test)),
		"Weights fitted on the val split only; the majority class is val's.",
		test, majorityLabel(val, 3), a, "en", vader))

	// Dutch sentiment.
	train, err := LoadSemEvalDutch(dataDir, "train")
	if err != nil {
		return nil, err
	}
	gold, err := LoadSemEvalDutch(dataDir, "test-gold")
	if err != nil {
		return nil, err
	}
	rep.Tables = append(rep.Tables, sentimentTable(
		fmt.Sprintf("SemEval-2016 Dutch restaurant sentences, test-gold (%d sentences whose opinions agree)", len(gold)),
		"Weights fitted on train.xml only; the majority class is train's. VADER reads the Dutch as it would English.",
		gold, majorityLabel(train, 3), a, "nl", vader))

	// Complaints.
	comp, err := LoadComplaints(dataDir)
	if err != nil {
		return nil, err
	}
	rep.Tables = append(rep.Tables, complaintTable(comp, a, vader))

	// Language.
	rep.Tables = append(rep.Tables, languageTable(append(train, gold...), test, a))
	return rep, nil
}

func majorityLabel(exs []Example, classes int) int {
	n := make([]int, classes)
	for _, ex := range exs {
		n[ex.Label]++
	}
	best := 0
	for c := range n {
		if n[c] > n[best] {
			best = c
		}
	}
	return best
}

func sentimentTable(title, note string, exs []Example, majority int, a *Analyzer, lang string,
	vader *govader.SentimentIntensityAnalyzer) EvalTable {
	ours, vad, maj := NewConfusion(3), NewConfusion(3), NewConfusion(3)
	for _, ex := range exs {
		ours.Add(ex.Label, int(a.Sentiment(ex.Text, lang).Label))
		vad.Add(ex.Label, vaderLabel(vader.PolarityScores(ex.Text).Compound))
		maj.Add(ex.Label, majority)
	}
	row := func(name string, c *Confusion) EvalRow {
		return EvalRow{name, []float64{c.MacroRecall(), c.MacroF1(), c.Accuracy()}}
	}
	return EvalTable{Title: title, Note: note,
		Measures: []string{"macro recall", "macro F1", "accuracy"},
		Rows:     []EvalRow{row(sysCrisisdesk, ours), row(sysVADER, vad), row(sysMajority, maj)}}
}

// complaintFolds is the number of cross-validation folds for the complaint data, which has no split.
const complaintFolds = 5

func complaintTable(exs []Example, a *Analyzer, vader *govader.SentimentIntensityAnalyzer) EvalTable {
	cfg := DefaultTrainConfig().Complaint
	words := a.cvComplaint(exs, cfg, complaintFolds)
	cues := a.cvComplaint(exs, LayerConfig{WordMin: 0, Fit: cfg.Fit}, complaintFolds)
	// VADER's baseline calls a tweet a complaint when it reads as negative; the majority class is
	// "not a complaint", which never finds one. Neither learns, so folds do not change them.
	vad, maj := NewConfusion(2), NewConfusion(2)
	for _, ex := range exs {
		vad.Add(ex.Label, b2i(vader.PolarityScores(ex.Text).Compound <= -0.05))
		maj.Add(ex.Label, majorityLabel(exs, 2))
	}
	row := func(name string, c *Confusion) EvalRow {
		return EvalRow{name, []float64{c.F1(1), c.Precision(1), c.Recall(1), c.Accuracy()}}
	}
	return EvalTable{
		Title: fmt.Sprintf("Complaints, stratified %d-fold cross-validation (%d English tweets)", complaintFolds, len(exs)),
		Note: "Each fold's weights, vocabulary and threshold are fitted on the other folds only. " +
			"\"cues only\" is the layer used for Dutch and other languages.",
		Measures: []string{"F1 (complaint)", "precision", "recall", "accuracy"},
		Rows: []EvalRow{row(sysCrisisdesk, words), row(sysCrisisdesk+" (cues only)", cues),
			row(sysVADER+": negative = complaint", vad), row(sysMajority, maj)},
	}
}

// languageTable measures language identification on the Dutch SemEval sentences and the English
// TweetEval test tweets, without a hint.
func languageTable(nl, en []Example, a *Analyzer) EvalTable {
	en0 := a.sentiment["en"].lex
	// The VADER baseline says English when any word is in VADER's lexicon, else Dutch: how far an
	// English sentiment lexicon alone gets at telling the two apart.
	vaderLang := func(s string) string {
		for _, w := range strings.Fields(strings.ToLower(s)) {
			if e, ok := en0.words[strings.Trim(w, ".,!?;:\"'()")]; ok && e.val != 0 {
				return "en"
			}
		}
		return "nl"
	}
	majority := "en"
	if len(nl) > len(en) {
		majority = "nl"
	}
	var oursNL, oursEN, vadNL, vadEN int
	for _, ex := range nl {
		if l, _ := DetectLanguage(ex.Text, ""); l == "nl" {
			oursNL++
		}
		if vaderLang(ex.Text) == "nl" {
			vadNL++
		}
	}
	for _, ex := range en {
		if l, _ := DetectLanguage(ex.Text, ""); l == "en" {
			oursEN++
		}
		if vaderLang(ex.Text) == "en" {
			vadEN++
		}
	}
	row := func(name string, rightNL, rightEN int) EvalRow {
		return EvalRow{name, []float64{float64(rightNL) / float64(len(nl)), float64(rightEN) / float64(len(en)),
			float64(rightNL+rightEN) / float64(len(nl)+len(en))}}
	}
	majNL, majEN := 0, len(en)
	if majority == "nl" {
		majNL, majEN = len(nl), 0
	}
	return EvalTable{
		Title:    fmt.Sprintf("Language identification, no hint (%d Dutch SemEval sentences, %d English TweetEval test tweets)", len(nl), len(en)),
		Note:     "Accuracy per set. The VADER baseline says English when any word is in VADER's lexicon, else Dutch.",
		Measures: []string{"accuracy nl", "accuracy en", "accuracy both"},
		Rows: []EvalRow{row(sysCrisisdesk, oursNL, oursEN), row(sysVADER+" lexicon", vadNL, vadEN),
			row(sysMajority+" ("+majority+")", majNL, majEN)},
	}
}

// Tune prints cross-validated figures for the training configurations worth comparing, on the
// training splits only (TweetEval val, SemEval train, the complaint folds). It is how
// DefaultTrainConfig was chosen.
func Tune(dataDir string, w io.Writer) error {
	a, err := newAnalyzer(lexiconFS, false)
	if err != nil {
		return err
	}
	val, err := LoadTweetEval(dataDir, "val")
	if err != nil {
		return err
	}
	train, plain, err := loadSemEval(dataDir, "train")
	if err != nil {
		return err
	}
	comp, err := LoadComplaints(dataDir)
	if err != nil {
		return err
	}
	def := DefaultTrainConfig()
	fmt.Fprintf(w, "sentiment en  shipped configuration  macro recall, mean of 5-fold CV over fold seeds 7, 8, 9: %.3f\n",
		a.cvSentimentSeeds(val, "en", def.SentimentEN, 5, []uint64{7, 8, 9}))
	for _, wm := range []int{0, 2, 3} {
		for _, bal := range []bool{true, false} {
			c := def.SentimentEN
			c.WordMin, c.Fit.Balanced = wm, bal
			cv := a.cvSentiment(val, "en", c, 5)
			fmt.Fprintf(w, "sentiment en  words>=%d balanced=%-5v  macro recall %.3f  accuracy %.3f\n", wm, bal, cv.MacroRecall(), cv.Accuracy())
			c = def.SentimentNL
			c.WordMin, c.Fit.Balanced = wm, bal
			cv, neutral := a.cvSentimentPlain(train, plain, "nl", c, 5)
			fmt.Fprintf(w, "sentiment nl  words>=%d balanced=%-5v  macro recall %.3f  accuracy %.3f  opinion-less sentences neutral %.3f\n",
				wm, bal, cv.MacroRecall(), cv.Accuracy(), neutral)
		}
	}
	for _, wm := range []int{0, 2, 3, 5} {
		c := def.Complaint
		c.WordMin = wm
		cv := a.cvComplaint(comp, c, 5)
		fmt.Fprintf(w, "complaint     words>=%d  F1 %.3f  precision %.3f  recall %.3f\n", wm, cv.F1(1), cv.Precision(1), cv.Recall(1))
	}
	return nil
}
