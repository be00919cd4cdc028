package analyze

import (
	"bufio"
	"fmt"
	"io"
	"math"
	"strconv"
	"strings"
)

// feature is one sparse input of a linear model: a column and its value.
type feature struct {
	idx int32
	val float32
}

// linearModel is a multinomial logistic model over named sparse features. Names make the fitted
// weights readable in the data file and let the UI say which features pushed a decision.
type linearModel struct {
	classes int
	names   []string         // column → feature name
	index   map[string]int32 // feature name → column
	w       []float32        // w[col*classes+class]
	bias    []float32
	// dense maps the sentiment lexicon features to their columns (−1 when the model has none), and
	// words maps a normalised word to the column of its "w:" feature, so scoring builds no strings.
	dense [numSentimentFeatures]int32
	words map[string]int32
	// extra maps the complaint features to columns in the same way. Every model gets both maps; it
	// costs a few dozen entries and keeps the model type single.
	extra []int32
}

func newLinearModel(classes int, names []string) *linearModel {
	m := &linearModel{classes: classes, names: names, index: make(map[string]int32, len(names)),
		w: make([]float32, len(names)*classes), bias: make([]float32, classes)}
	for i, n := range names {
		m.index[n] = int32(i)
		if w, ok := strings.CutPrefix(n, "w:"); ok {
			if m.words == nil {
				m.words = map[string]int32{}
			}
			m.words[w] = int32(i)
		}
	}
	for k, n := range sentimentFeatureNames {
		m.dense[k] = -1
		if c, ok := m.index[n]; ok {
			m.dense[k] = c
		}
	}
	m.extra = complaintColumns(m)
	return m
}

// scores writes the class probabilities of fs into out, which must have room for m.classes.
func (m *linearModel) scores(fs []feature, out []float64) {
	for c := range m.classes {
		out[c] = float64(m.bias[c])
	}
	for _, f := range fs {
		row := m.w[int(f.idx)*m.classes : int(f.idx+1)*m.classes]
		for c, w := range row {
			out[c] += float64(w) * float64(f.val)
		}
	}
	softmax(out[:m.classes])
}

func softmax(v []float64) {
	mx := v[0]
	for _, x := range v[1:] {
		mx = max(mx, x)
	}
	s := 0.0
	for i, x := range v {
		v[i] = math.Exp(x - mx)
		s += v[i]
	}
	for i := range v {
		v[i] /= s
	}
}

// writeTo stores the model as TSV: a header line "#classes N", a "bias" line, then one line per
// feature with a non-zero weight: name, then one weight per class.
func (m *linearModel) writeTo(w io.Writer) error {
	bw := bufio.NewWriter(w)
	fmt.Fprintf(bw, "#classes\t%d\n", m.classes)
	writeRow(bw, "bias", m.bias)
	for i, n := range m.names {
		row := m.w[i*m.classes : (i+1)*m.classes]
		nonzero := false
		for _, x := range row {
			nonzero = nonzero || math.Abs(float64(x)) >= 1e-4
		}
		if nonzero {
			writeRow(bw, n, row)
		}
	}
	return bw.Flush()
}

func writeRow(w *bufio.Writer, name string, row []float32) {
	w.WriteString(name)
	for _, x := range row {
		w.WriteByte('\t')
		w.WriteString(strconv.FormatFloat(float64(x), 'f', 4, 32))
	}
	w.WriteByte('\n')
}

// readLinearModel parses what writeTo wrote.
func readLinearModel(r io.Reader) (*linearModel, error) {
	sc := bufio.NewScanner(r)
	sc.Buffer(make([]byte, 64<<10), 1<<20)
	if !sc.Scan() {
		return nil, fmt.Errorf("model: empty")
	}
	head := strings.Split(sc.Text(), "\t")
	if len(head) != 2 || head[0] != "#classes" {
		return nil, fmt.Errorf("model: line 1: want #classes header")
	}
	k, err := strconv.Atoi(head[1])
	if err != nil || k < 2 {
		return nil, fmt.Errorf("model: line 1: bad class count %q", head[1])
	}
	var names []string
	var rows [][]float32
	var bias []float32
	for line := 2; sc.Scan(); line++ {
		parts := strings.Split(sc.Text(), "\t")
		if len(parts) != k+1 {
			return nil, fmt.Errorf("model: line %d: want %d fields, got %d", line, k+1, len(parts))
		}
		row := make([]float32, k)
		for c := range k {
			x, err := strconv.ParseFloat(parts[c+1], 32)
			if err != nil {
				return nil, fmt.Errorf("model: line %d: %w", line, err)
			}
			row[c] = float32(x)
		}
		if parts[0] == "bias" {
			bias = row
			continue
		}
		names = append(names, parts[0])
		rows = append(rows, row)
	}
	if err := sc.Err(); err != nil {
		return nil, err
	}
	if bias == nil {
		return nil, fmt.Errorf("model: no bias line")
	}
	m := newLinearModel(k, names)
	copy(m.bias, bias)
	for i, row := range rows {
		copy(m.w[i*k:], row)
	}
	return m, nil
}
