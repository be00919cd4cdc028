package post

import (
	"bufio"
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
)

// InputError is one bad line of JSONL, or one bad element of a JSON array. Reading goes on after it.
type InputError struct {
	Line int // 1-based line number in JSONL input; 0 in array input
	Item int // 1-based element number in JSON array input; 0 in JSONL input
	Err  error
}

func (e *InputError) Error() string {
	if e.Item > 0 {
		return fmt.Sprintf("item %d: %v", e.Item, e.Err)
	}
	return fmt.Sprintf("line %d: %v", e.Line, e.Err)
}

func (e *InputError) Unwrap() error { return e.Err }

// Reader reads posts from JSONL, or from one JSON array when the input's first non-blank byte is '['.
// A bad line or element is returned as an *InputError and the next call goes on with the rest; any
// other error ends the input.
type Reader struct {
	br    *bufio.Reader
	line  int
	array *json.Decoder // set once the input turns out to be an array
	item  int
	done  bool
	buf   []byte
}

// NewReader returns a Reader over r.
func NewReader(r io.Reader) *Reader {
	return &Reader{br: bufio.NewReaderSize(r, 64<<10)}
}

// Next returns the next post, an *InputError for a bad one, or io.EOF at the end.
func (r *Reader) Next() (Post, error) {
	if r.done {
		return Post{}, io.EOF
	}
	if r.array == nil && r.line == 0 && r.item == 0 {
		isArray, err := r.sniffArray()
		if err != nil {
			return Post{}, err
		}
		if isArray {
			r.array = json.NewDecoder(io.LimitReader(r.br, 1<<62))
			if _, err := r.array.Token(); err != nil { // the opening '['
				r.done = true
				return Post{}, &InputError{Item: 1, Err: jsonError(err)}
			}
		}
	}
	if r.array != nil {
		return r.nextItem()
	}
	for {
		line, err := r.readLine()
		if err != nil {
			return Post{}, err
		}
		if line == nil { // blank
			continue
		}
		p, err := Decode(line)
		if err != nil {
			return Post{}, &InputError{Line: r.line, Err: err}
		}
		return p, nil
	}
}

// Pos returns the line number (JSONL) or item number (JSON array) of the last post or error returned.
func (r *Reader) Pos() int {
	if r.array != nil {
		return r.item
	}
	return r.line
}

// sniffArray peeks past leading white space to see whether the input is a JSON array.
func (r *Reader) sniffArray() (bool, error) {
	for {
		b, err := r.br.Peek(1)
		if err == io.EOF {
			return false, nil
		}
		if err != nil {
			return false, err
		}
		switch b[0] {
		case ' ', '\t', '\r':
			r.br.ReadByte()
		case '\n':
			// Leave newlines for readLine, which counts them; an array never starts after one anyway
			// in the inputs we accept.
			return false, nil
		default:
			return b[0] == '[', nil
		}
	}
}

func (r *Reader) nextItem() (Post, error) {
	if !r.array.More() {
		r.done = true
		if _, err := r.array.Token(); err != nil { // the closing ']'
			return Post{}, &InputError{Item: r.item + 1, Err: jsonError(err)}
		}
		return Post{}, io.EOF
	}
	r.item++
	var raw json.RawMessage
	if err := r.array.Decode(&raw); err != nil {
		// A syntax error inside an array leaves no safe place to resume; what came before is kept.
		r.done = true
		return Post{}, &InputError{Item: r.item, Err: jsonError(err)}
	}
	p, err := Decode(raw)
	if err != nil {
		return Post{}, &InputError{Item: r.item, Err: err}
	}
	return p, nil
}

var errLineTooLong = fmt.Errorf("line longer than %d bytes", MaxLineBytes)

// readLine returns the next line without its line ending, nil for a blank line, an *InputError for an
// overlong line (whose rest is skipped), or io.EOF.
func (r *Reader) readLine() ([]byte, error) {
	r.buf = r.buf[:0]
	tooLong := false
	for {
		chunk, err := r.br.ReadSlice('\n')
		if !tooLong {
			if len(r.buf)+len(chunk) > MaxLineBytes+2 {
				tooLong = true
				r.buf = r.buf[:0]
			} else {
				r.buf = append(r.buf, chunk...)
			}
		}
		if errors.Is(err, bufio.ErrBufferFull) {
			continue
		}
		if err != nil && err != io.EOF {
			return nil, err
		}
		if err == io.EOF && len(r.buf) == 0 && !tooLong {
			return nil, io.EOF
		}
		r.line++
		if tooLong {
			return nil, &InputError{Line: r.line, Err: errLineTooLong}
		}
		line := bytes.TrimRight(r.buf, "\r\n")
		if len(bytes.TrimSpace(line)) == 0 {
			return nil, nil
		}
		return line, nil
	}
}
