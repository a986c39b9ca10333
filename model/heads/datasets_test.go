package heads

import (
	"os"
	"strings"
	"testing"
)

// TestDataFiles checks the committed data: enough rows and intents, and
// every NER span on a whole entity (not cutting into a word).
func TestDataFiles(t *testing.T) {
	f, err := os.Open("testdata/intents.tsv")
	if err != nil {
		t.Fatal(err)
	}
	labels, texts, err := ReadLabelledTSV(f)
	f.Close()
	if err != nil {
		t.Fatal(err)
	}
	distinct := map[string]bool{}
	for _, l := range labels {
		distinct[l] = true
	}
	if len(texts) < 300 || len(distinct) < 8 {
		t.Errorf("intents.tsv: %d texts over %d intents, want ≥300 over ≥8", len(texts), len(distinct))
	}

	f, err = os.Open("testdata/ner.jsonl")
	if err != nil {
		t.Fatal(err)
	}
	examples, err := ReadSpansJSONL(f)
	f.Close()
	if err != nil {
		t.Fatal(err)
	}
	count := map[string]int{}
	for _, ex := range examples {
		for _, s := range ex.Spans {
			count[s.Label]++
			text := ex.Text[s.Start:s.End]
			if strings.TrimSpace(text) != text || s.Start > 0 && isWordByte(ex.Text[s.Start-1]) || s.End < len(ex.Text) && isWordByte(ex.Text[s.End]) {
				t.Errorf("%q: span %q does not sit on word boundaries", ex.Text, text)
			}
		}
	}
	if len(examples) < 300 || count["PER"] == 0 || count["LOC"] == 0 || count["ORG"] == 0 || count["MISC"] == 0 {
		t.Errorf("ner.jsonl: %d sentences, entity counts %v", len(examples), count)
	}
}

func isWordByte(b byte) bool {
	return b >= 'a' && b <= 'z' || b >= 'A' && b <= 'Z' || b >= '0' && b <= '9'
}

func TestReadSpansJSONL(t *testing.T) {
	got, err := ReadSpansJSONL(strings.NewReader(`{"text": "José est à Paris", "spans": [{"start": 0, "end": 4, "label": "PER"}, {"start": 11, "end": 16, "label": "LOC"}]}` + "\n"))
	if err != nil {
		t.Fatal(err)
	}
	for _, s := range got[0].Spans {
		if sub := got[0].Text[s.Start:s.End]; sub != map[string]string{"PER": "José", "LOC": "Paris"}[s.Label] {
			t.Errorf("span %+v is %q", s, sub)
		}
	}
	bad := []struct{ name, in, errHas string }{
		{"past end", `{"text": "abc", "spans": [{"start": 1, "end": 4, "label": "X"}]}`, "outside text of 3 characters"},
		{"no text", `{"spans": []}`, `missing or invalid UTF-8 "text"`},
		{"unknown field", `{"text": "a", "tags": []}`, "unknown field"},
		{"not json", `text`, "line 1"},
	}
	for _, tt := range bad {
		if _, err := ReadSpansJSONL(strings.NewReader(tt.in)); err == nil || !strings.Contains(err.Error(), tt.errHas) {
			t.Errorf("%s: err = %v, want %q", tt.name, err, tt.errHas)
		}
	}
	if _, _, err := ReadLabelledTSV(strings.NewReader("a\tb\nno tab here\n")); err == nil || !strings.Contains(err.Error(), "line 2") {
		t.Errorf("tsv without tab: err = %v", err)
	}
}
