package api

import (
	"errors"
	"net/http"
	"reflect"
	"strings"
	"testing"
	"unicode/utf8"
)

var small = Limits{MaxBodyBytes: 1 << 10, MaxInputs: 3, MaxInputChars: 5}

func TestParseEmbeddingsRequest(t *testing.T) {
	tests := []struct {
		name string
		body string
		want *EmbeddingsRequest
		code string // expected Error.Code when want is nil
	}{
		{"string", `{"input":"hi"}`, &EmbeddingsRequest{Input: []string{"hi"}, EncodingFormat: "float"}, ""},
		{"list", `{"input":["a","b"],"model":"m","encoding_format":"base64","dimensions":2}`,
			&EmbeddingsRequest{Input: []string{"a", "b"}, Model: "m", EncodingFormat: "base64", Dimensions: 2}, ""},
		{"unknown fields ignored", ` {"input":"x","user":"u"} `, &EmbeddingsRequest{Input: []string{"x"}, EncodingFormat: "float"}, ""},
		{"five runes is the limit", `{"input":"héllo"}`, &EmbeddingsRequest{Input: []string{"héllo"}, EncodingFormat: "float"}, ""},
		{"empty body", ``, nil, "invalid_json"},
		{"not an object", `["a"]`, nil, "invalid_json"},
		{"truncated", `{"input":"a"`, nil, "invalid_json"},
		{"trailing garbage", `{"input":"a"} x`, nil, "invalid_json"},
		{"missing input", `{}`, nil, "missing_input"},
		{"null input", `{"input":null}`, nil, "missing_input"},
		{"number input", `{"input":3}`, nil, "invalid_input"},
		{"token ids", `{"input":[1,2]}`, nil, "invalid_input"},
		{"nested list", `{"input":[["a"]]}`, nil, "invalid_input"},
		{"empty list", `{"input":[]}`, nil, "invalid_input"},
		{"empty string", `{"input":""}`, nil, "empty_input"},
		{"empty string in list", `{"input":["a",""]}`, nil, "empty_input"},
		{"too many", `{"input":["a","b","c","d"]}`, nil, "too_many_inputs"},
		{"too long", `{"input":"abcdef"}`, nil, "input_too_long"},
		{"bad format", `{"input":"a","encoding_format":"int8"}`, nil, "invalid_encoding_format"},
		{"zero dims", `{"input":"a","dimensions":0}`, nil, "invalid_dimensions"},
		{"dims type", `{"input":"a","dimensions":"4"}`, nil, "invalid_type"},
		{"model type", `{"input":"a","model":4}`, nil, "invalid_type"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := ParseEmbeddingsRequest([]byte(tt.body), small)
			if tt.want != nil {
				if err != nil {
					t.Fatalf("unexpected error: %v", err)
				}
				if !reflect.DeepEqual(got, tt.want) {
					t.Fatalf("got %+v, want %+v", got, tt.want)
				}
				return
			}
			var e *Error
			if !errors.As(err, &e) {
				t.Fatalf("got %v (%+v), want *Error %s", err, got, tt.code)
			}
			status := http.StatusBadRequest
			if tt.code == "input_too_long" {
				status = http.StatusRequestEntityTooLarge
			}
			if e.Code != tt.code || e.Status != status {
				t.Fatalf("got %d %s (%s), want %d %s", e.Status, e.Code, e.Message, status, tt.code)
			}
			if tt.code == "input_too_long" && !strings.Contains(e.Message, "limit of 5 per text (MAX_INPUT_CHARS)") {
				t.Errorf("message %q does not name the limit", e.Message)
			}
		})
	}
}

func TestParseSimilarityRequest(t *testing.T) {
	tests := []struct {
		name string
		body string
		want *SimilarityRequest
		code string
	}{
		{"strings", `{"a":"x","b":"y"}`, &SimilarityRequest{A: []string{"x"}, B: []string{"y"}, Single: true}, ""},
		{"lists", `{"a":["x"],"b":["y","z"],"model":"m"}`, &SimilarityRequest{A: []string{"x"}, B: []string{"y", "z"}, Model: "m"}, ""},
		{"mixed", `{"a":"x","b":["y"]}`, &SimilarityRequest{A: []string{"x"}, B: []string{"y"}}, ""},
		{"missing b", `{"a":"x"}`, nil, "missing_b"},
		{"bad a", `{"a":{},"b":"y"}`, nil, "invalid_a"},
		{"too many b", `{"a":"x","b":["1","2","3","4"]}`, nil, "too_many_inputs"},
		{"malformed", `{"a":`, nil, "invalid_json"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := ParseSimilarityRequest([]byte(tt.body), small)
			if tt.want != nil {
				if err != nil {
					t.Fatalf("unexpected error: %v", err)
				}
				if !reflect.DeepEqual(got, tt.want) {
					t.Fatalf("got %+v, want %+v", got, tt.want)
				}
				return
			}
			var e *Error
			if !errors.As(err, &e) || e.Code != tt.code {
				t.Fatalf("got %v, want code %s", err, tt.code)
			}
		})
	}
}

// FuzzParseEmbeddingsRequest checks that no body panics and that an accepted request always
// satisfies the limits.
func FuzzParseEmbeddingsRequest(f *testing.F) {
	for _, s := range []string{`{"input":"hi"}`, `{"input":["a","b"],"dimensions":3,"encoding_format":"base64"}`,
		`{"input":[1]}`, `{"input":"\ud800"}`, `{"input":["` + strings.Repeat("é", 6) + `"]}`, `[]`, `{`} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, body []byte) {
		req, err := ParseEmbeddingsRequest(body, small)
		if err != nil {
			var e *Error
			if !errors.As(err, &e) || e.Message == "" || (e.Status != http.StatusBadRequest && !(e.Code == "input_too_long" && e.Status == http.StatusRequestEntityTooLarge)) {
				t.Fatalf("error %v is not a 400 *Error (or 413 input_too_long)", err)
			}
			return
		}
		if len(req.Input) == 0 || len(req.Input) > small.MaxInputs {
			t.Fatalf("accepted %d inputs", len(req.Input))
		}
		for _, s := range req.Input {
			if s == "" || utf8.RuneCountInString(s) > small.MaxInputChars {
				t.Fatalf("accepted input %q", s)
			}
		}
		if req.EncodingFormat != "float" && req.EncodingFormat != "base64" {
			t.Fatalf("accepted encoding_format %q", req.EncodingFormat)
		}
		if req.Dimensions < 0 {
			t.Fatalf("accepted dimensions %d", req.Dimensions)
		}
	})
}
