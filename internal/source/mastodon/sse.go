package mastodon

import (
	"bufio"
	"bytes"
	"errors"
	"fmt"
	"io"
)

// sseEvent is one server-sent event.
type sseEvent struct {
	Name string
	Data []byte
}

// sseReader splits a text/event-stream into events, following the WHATWG rules that matter here: fields
// "event" and "data", multi-line data joined with newlines, comment lines (Mastodon's ":thump" heartbeat)
// ignored, and an event dispatched at a blank line.
type sseReader struct {
	r   *bufio.Reader
	max int
	// onLine runs for every line, heartbeats included, so the caller can tell a live connection from a
	// dead one.
	onLine func()
}

func newSSEReader(r io.Reader, maxEvent int, onLine func()) *sseReader {
	return &sseReader{r: bufio.NewReaderSize(r, 64<<10), max: maxEvent, onLine: onLine}
}

// errEventTooLarge means one event exceeded the limit; the stream cannot be resynchronised reliably.
var errEventTooLarge = errors.New("mastodon: event larger than the limit")

// Next returns the next event with a name or data. It returns io.EOF when the stream ends cleanly.
func (s *sseReader) Next() (sseEvent, error) {
	var ev sseEvent
	var data bytes.Buffer
	hasData := false
	for {
		line, err := s.readLine()
		if err != nil {
			return sseEvent{}, err
		}
		if s.onLine != nil {
			s.onLine()
		}
		if len(line) == 0 {
			if ev.Name == "" && !hasData {
				continue
			}
			ev.Data = data.Bytes()
			return ev, nil
		}
		if line[0] == ':' {
			continue
		}
		field, value, _ := bytes.Cut(line, []byte(":"))
		value = bytes.TrimPrefix(value, []byte(" "))
		switch string(field) {
		case "event":
			ev.Name = string(value)
		case "data":
			if hasData {
				data.WriteByte('\n')
			}
			hasData = true
			if data.Len()+len(value) > s.max {
				return sseEvent{}, errEventTooLarge
			}
			data.Write(value)
		}
	}
}

// readLine returns one line without its terminator (\n, \r\n or \r followed by \n), bounded by max.
func (s *sseReader) readLine() ([]byte, error) {
	var line []byte
	for {
		chunk, err := s.r.ReadSlice('\n')
		line = append(line, chunk...)
		if len(line) > s.max+16 {
			return nil, errEventTooLarge
		}
		switch {
		case err == nil:
			line = bytes.TrimSuffix(line[:len(line)-1], []byte("\r"))
			return line, nil
		case errors.Is(err, bufio.ErrBufferFull):
			continue
		case errors.Is(err, io.EOF) && len(line) > 0:
			return nil, fmt.Errorf("mastodon: stream ended inside a line: %w", io.ErrUnexpectedEOF)
		default:
			return nil, err
		}
	}
}
