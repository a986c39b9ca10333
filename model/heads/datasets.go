package heads

import (
	"bufio"
	"encoding/json"
	"fmt"
	"io"
	"strings"
	"unicode/utf8"
)

// ReadLabelledTSV reads "label<TAB>text" lines, skipping blank lines.
func ReadLabelledTSV(r io.Reader) (labels, texts []string, err error) {
	sc := bufio.NewScanner(r)
	sc.Buffer(make([]byte, 64<<10), 1<<20)
	for n := 1; sc.Scan(); n++ {
		line := strings.TrimRight(sc.Text(), "\r")
		if strings.TrimSpace(line) == "" {
			continue
		}
		label, text, ok := strings.Cut(line, "\t")
		label, text = strings.TrimSpace(label), strings.TrimSpace(text)
		if !ok || label == "" || text == "" {
			return nil, nil, fmt.Errorf("line %d: want label<TAB>text", n)
		}
		labels, texts = append(labels, label), append(texts, text)
	}
	if err := sc.Err(); err != nil {
		return nil, nil, err
	}
	return labels, texts, nil
}

// Example is a text with its entity spans in byte offsets.
type Example struct {
	Text  string
	Spans []Span
}

// ReadSpansJSONL reads one {"text": ..., "spans": [{"start", "end",
// "label"}]} object per line. Offsets in the file count Unicode code points,
// as in HF datasets; the returned spans are byte offsets into Text.
func ReadSpansJSONL(r io.Reader) ([]Example, error) {
	var out []Example
	sc := bufio.NewScanner(r)
	sc.Buffer(make([]byte, 64<<10), 1<<20)
	for n := 1; sc.Scan(); n++ {
		if strings.TrimSpace(sc.Text()) == "" {
			continue
		}
		var ex Example
		var raw struct {
			Text  *string `json:"text"`
			Spans []Span  `json:"spans"`
		}
		dec := json.NewDecoder(strings.NewReader(sc.Text()))
		dec.DisallowUnknownFields()
		if err := dec.Decode(&raw); err != nil {
			return nil, fmt.Errorf("line %d: %w", n, err)
		}
		if raw.Text == nil || !utf8.ValidString(*raw.Text) {
			return nil, fmt.Errorf("line %d: missing or invalid UTF-8 \"text\"", n)
		}
		ex.Text = *raw.Text
		// byteAt[i] is the byte offset of code point i; one past the end too.
		byteAt := make([]int, 0, len(ex.Text)+1)
		for b := range ex.Text {
			byteAt = append(byteAt, b)
		}
		byteAt = append(byteAt, len(ex.Text))
		for k, s := range raw.Spans {
			if s.Start < 0 || s.End <= s.Start || s.End >= len(byteAt) {
				return nil, fmt.Errorf("line %d: span %d [%d,%d) outside text of %d characters", n, k, s.Start, s.End, len(byteAt)-1)
			}
			ex.Spans = append(ex.Spans, Span{Start: byteAt[s.Start], End: byteAt[s.End], Label: s.Label})
		}
		out = append(out, ex)
	}
	if err := sc.Err(); err != nil {
		return nil, err
	}
	return out, nil
}
