package langid

import (
	"bufio"
	"bytes"
	"compress/gzip"
	"encoding/binary"
	"errors"
	"fmt"
	"io"
	"math"
	"math/bits"
	"slices"
	"sync"
)

// Model is a trained language identifier. It is immutable once built and safe for concurrent use.
type Model struct {
	langs []string // ISO 639-1 codes; the index is the lane used everywhere below
	// unseen[class*len(langs)+l] is the log-probability of a feature of that class that language l never
	// showed in training.
	unseen []float32
	// A seen feature's log-probabilities are quantised to one byte per language: floor + step*q. Byte
	// precision (about 0.08 nats) is far below the noise in the counts and keeps the model small.
	floor, step float32
	// An open-addressing hash table from feature key to row: each slot holds key<<32 | row, and 0 is an
	// empty slot (keys are never 0). Key and row share a slot so a probe costs one cache miss.
	slots  []uint64
	mask   uint32
	probs  []uint8 // row*rowStride + l
	params Params
	prior  []float64 // params.Prior by lane
	// fwLane maps a language's index in linguaLanguages to this model's lane, or -1.
	fwLane [maxLangs]int
	pool   sync.Pool
}

const magic = "crisisdesk-langid-1\n"

// maxLangs bounds the languages of a model, so scoring works in fixed arrays on the stack.
const maxLangs = 16

// rowStride is the in-memory size of one feature's row of quantised log-probabilities. Rows are padded
// to 16 bytes so that scoring reads a row as two 64-bit words and adds all languages at once.
const rowStride = 16

// Languages returns the codes the model knows, in its lane order.
func (m *Model) Languages() []string { return slices.Clone(m.langs) }

// lookup returns the row of key, or -1.
func (m *Model) lookup(key uint32) int32 {
	i := (key * 0x9e3779b1) & m.mask
	for {
		s := m.slots[i]
		if uint32(s>>32) == key {
			return int32(uint32(s))
		}
		if s == 0 {
			return -1
		}
		i = (i + 1) & m.mask
	}
}

// newModel builds the lookup table over keys (sorted, unique, non-zero) and their quantised rows.
func newModel(langs []string, unseen []float32, floor, step float32, keys []uint32, probs []uint8) *Model {
	size := 1 << bits.Len(uint(len(keys)*2))
	m := &Model{
		langs: langs, unseen: unseen, floor: floor, step: step,
		slots: make([]uint64, size), mask: uint32(size - 1), probs: probs,
	}
	for row, k := range keys {
		i := (k * 0x9e3779b1) & m.mask
		for m.slots[i] != 0 {
			i = (i + 1) & m.mask
		}
		m.slots[i] = uint64(k)<<32 | uint64(row)
	}
	for i := range m.fwLane {
		m.fwLane[i] = -1
		if i < len(linguaLanguages) {
			m.fwLane[i] = slices.Index(langs, linguaLanguages[i])
		}
	}
	m.setParams(DefaultParams())
	m.pool.New = func() any { return new(extractor) }
	return m
}

// setParams changes how evidence is weighed. Only tuning calls it, on a model it owns, before any use.
func (m *Model) setParams(p Params) {
	m.params = p
	m.prior = make([]float64, len(m.langs))
	for l, code := range m.langs {
		m.prior[l] = p.Prior[code]
	}
}

// WithParams returns a copy of m that weighs evidence by p. The copy shares the read-only tables.
func (m *Model) WithParams(p Params) *Model {
	c := &Model{
		langs: m.langs, unseen: m.unseen, floor: m.floor, step: m.step,
		slots: m.slots, mask: m.mask, probs: m.probs, fwLane: m.fwLane,
	}
	c.pool.New = func() any { return new(extractor) }
	c.setParams(p)
	return c
}

// sortedRows returns the model's feature keys in ascending order with their rows, for encoding.
func (m *Model) sortedRows() ([]uint32, []int32) {
	type kr struct {
		k uint32
		r int32
	}
	var all []kr
	for _, s := range m.slots {
		if s != 0 {
			all = append(all, kr{uint32(s >> 32), int32(uint32(s))})
		}
	}
	slices.SortFunc(all, func(a, b kr) int {
		switch {
		case a.k < b.k:
			return -1
		case a.k > b.k:
			return 1
		}
		return 0
	})
	keys := make([]uint32, len(all))
	rows := make([]int32, len(all))
	for i, e := range all {
		keys[i], rows[i] = e.k, e.r
	}
	return keys, rows
}

// WriteTo writes the model in its gzip-compressed binary form: magic, languages, floor and step, the
// unseen table, then the sorted keys as deltas and the quantised rows. Sorting and delta-coding make the
// file compress well and the output byte-identical for the same training data.
func (m *Model) WriteTo(w io.Writer) (int64, error) {
	var b bytes.Buffer
	b.WriteString(magic)
	b.WriteByte(byte(len(m.langs)))
	for _, l := range m.langs {
		b.WriteByte(byte(len(l)))
		b.WriteString(l)
	}
	le := binary.LittleEndian
	b.Write(le.AppendUint32(nil, math.Float32bits(m.floor)))
	b.Write(le.AppendUint32(nil, math.Float32bits(m.step)))
	for _, u := range m.unseen {
		b.Write(le.AppendUint32(nil, math.Float32bits(u)))
	}
	keys, rows := m.sortedRows()
	b.Write(binary.AppendUvarint(nil, uint64(len(keys))))
	prev := uint32(0)
	for _, k := range keys {
		b.Write(binary.AppendUvarint(nil, uint64(k-prev)))
		prev = k
	}
	// Rows are written lane by lane: each language's bytes vary slowly, which gzip likes.
	nl := len(m.langs)
	for l := range nl {
		for _, r := range rows {
			b.WriteByte(m.probs[int(r)*rowStride+l])
		}
	}
	cw := &countWriter{w: w}
	zw, err := gzip.NewWriterLevel(cw, gzip.BestCompression)
	if err != nil {
		return cw.n, err
	}
	if _, err := zw.Write(b.Bytes()); err != nil {
		return cw.n, fmt.Errorf("langid: write model: %w", err)
	}
	if err := zw.Close(); err != nil {
		return cw.n, fmt.Errorf("langid: write model: %w", err)
	}
	return cw.n, nil
}

type countWriter struct {
	w io.Writer
	n int64
}

func (c *countWriter) Write(p []byte) (int, error) {
	n, err := c.w.Write(p)
	c.n += int64(n)
	return n, err
}

// ErrBadModel reports a model file that is not one this package wrote.
var ErrBadModel = errors.New("langid: not a language model")

// Load reads a model written by WriteTo.
func Load(data []byte) (*Model, error) {
	zr, err := gzip.NewReader(bytes.NewReader(data))
	if err != nil {
		return nil, fmt.Errorf("%w: %w", ErrBadModel, err)
	}
	r := bufio.NewReader(zr)
	head := make([]byte, len(magic))
	if _, err := io.ReadFull(r, head); err != nil || string(head) != magic {
		return nil, ErrBadModel
	}
	fail := func(what string, err error) (*Model, error) {
		return nil, fmt.Errorf("%w: %s: %w", ErrBadModel, what, err)
	}
	nl, err := r.ReadByte()
	if err != nil || nl < 2 || nl > maxLangs {
		return fail("languages", errOr(err))
	}
	langs := make([]string, nl)
	for i := range langs {
		n, err := r.ReadByte()
		if err != nil {
			return fail("language", err)
		}
		code := make([]byte, n)
		if _, err := io.ReadFull(r, code); err != nil {
			return fail("language", err)
		}
		langs[i] = string(code)
	}
	readF := func() (float32, error) {
		var b [4]byte
		if _, err := io.ReadFull(r, b[:]); err != nil {
			return 0, err
		}
		return math.Float32frombits(binary.LittleEndian.Uint32(b[:])), nil
	}
	floor, err := readF()
	if err != nil {
		return fail("floor", err)
	}
	step, err := readF()
	if err != nil {
		return fail("step", err)
	}
	unseen := make([]float32, numClasses*int(nl))
	for i := range unseen {
		if unseen[i], err = readF(); err != nil {
			return fail("unseen", err)
		}
	}
	count, err := binary.ReadUvarint(r)
	if err != nil || count > 1<<26 {
		return fail("key count", errOr(err))
	}
	// Storage grows with what is actually read, not with the count the file claims, so a damaged file
	// cannot make Load allocate gigabytes before it fails.
	keys := make([]uint32, 0, min(count, 1<<16))
	prev := uint64(0)
	for i := range count {
		d, err := binary.ReadUvarint(r)
		if err != nil {
			return fail("keys", err)
		}
		prev += d
		if prev == 0 || prev > math.MaxUint32 || (i > 0 && d == 0) {
			return fail("keys", errors.New("keys not ascending"))
		}
		keys = append(keys, uint32(prev))
	}
	probs := make([]uint8, len(keys)*rowStride)
	for l := range int(nl) {
		for i := range keys {
			b, err := r.ReadByte()
			if err != nil {
				return fail("rows", err)
			}
			probs[i*rowStride+l] = b
		}
	}
	if _, err := r.ReadByte(); err != io.EOF {
		return fail("trailer", errors.New("data after the last row"))
	}
	return newModel(langs, unseen, floor, step, keys, probs), nil
}

func errOr(err error) error {
	if err != nil {
		return err
	}
	return errors.New("out of range")
}
