package analyze

import "fmt"

// Polarity is a sentiment label. The numbers match TweetEval's label file.
type Polarity int8

// The three sentiment labels of the contract.
const (
	Negative Polarity = iota
	Neutral
	Positive
)

var polarityNames = [...]string{"negative", "neutral", "positive"}

func (p Polarity) String() string {
	if p < 0 || int(p) >= len(polarityNames) {
		return fmt.Sprintf("Polarity(%d)", int8(p))
	}
	return polarityNames[p]
}

// ParsePolarity reads "negative", "neutral" or "positive".
func ParsePolarity(s string) (Polarity, bool) {
	for i, n := range polarityNames {
		if s == n {
			return Polarity(i), true
		}
	}
	return 0, false
}

// MarshalText writes the label's name, as the JSON contract wants.
func (p Polarity) MarshalText() ([]byte, error) {
	if p < 0 || int(p) >= len(polarityNames) {
		return nil, fmt.Errorf("analyze: bad polarity %d", int8(p))
	}
	return []byte(polarityNames[p]), nil
}

// UnmarshalText reads a label's name.
func (p *Polarity) UnmarshalText(b []byte) error {
	v, ok := ParsePolarity(string(b))
	if !ok {
		return fmt.Errorf("analyze: unknown polarity %q", b)
	}
	*p = v
	return nil
}

// Sentiment is the sentiment of one text: a label and a score in [-1, 1], negative to positive.
type Sentiment struct {
	Label Polarity `json:"label"`
	Score float64  `json:"score"`
}
