//go:build analyzetmp

package analyze

import (
	"fmt"
	"testing"
)

func TestZZErrEN(t *testing.T) {
	a, _ := newAnalyzer(lexiconFS, false)
	val, _ := LoadTweetEval("../../../shared/data", "val")
	m := a.fitSentiment(val, "en", DefaultTrainConfig().SentimentEN)
	a.sentiment["en"].model = m
	n := 0
	conf := NewConfusion(3)
	for _, ex := range val {
		s := a.Sentiment(ex.Text, "en")
		conf.Add(ex.Label, int(s.Label))
		if int(s.Label) != ex.Label && n < 70 && (ex.Label == 0 || int(s.Label) == 0) {
			n++
			fmt.Printf("gold=%d pred=%d %.2f | %s\n", ex.Label, s.Label, s.Score, ex.Text)
		}
	}
	fmt.Println(conf.Cells)
}
