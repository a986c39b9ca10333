package faq

import (
	"bufio"
	"fmt"
	"io"
	"strings"
)

// Entry is one known question and its answer.
type Entry struct {
	Question string `json:"question"`
	Answer   string `json:"answer"`
}

// ReadTSV reads "question<TAB>answer" lines. Blank lines and lines starting
// with # are skipped.
func ReadTSV(r io.Reader) ([]Entry, error) {
	var entries []Entry
	sc := bufio.NewScanner(r)
	sc.Buffer(make([]byte, 64<<10), 1<<20)
	for n := 1; sc.Scan(); n++ {
		line := strings.TrimRight(sc.Text(), "\r")
		if strings.TrimSpace(line) == "" || strings.HasPrefix(line, "#") {
			continue
		}
		q, a, ok := strings.Cut(line, "\t")
		q, a = strings.TrimSpace(q), strings.TrimSpace(a)
		if !ok || q == "" || a == "" {
			return nil, fmt.Errorf("faq line %d: want question<TAB>answer", n)
		}
		entries = append(entries, Entry{Question: q, Answer: a})
	}
	if err := sc.Err(); err != nil {
		return nil, fmt.Errorf("faq: %w", err)
	}
	if len(entries) == 0 {
		return nil, fmt.Errorf("faq: no entries")
	}
	return entries, nil
}
