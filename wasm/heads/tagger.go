package main

import (
	"bytes"
	"encoding/json"
	"fmt"

	"github.com/wasmbert/wasmbert/model/heads"
)

// word is one word of a text: its UTF-8 byte range. Its vector is the next
// row of the request's data.
type word struct {
	Start int `json:"start"`
	End   int `json:"end"`
}

// sentence is a text split into words, with its entity spans (byte
// offsets) when it is a training example.
type sentence struct {
	Text  string       `json:"text"`
	Words []word       `json:"words"`
	Spans []heads.Span `json:"spans"`
}

// tokens pairs each word with its vector, taken from the front of data;
// it returns the rest of data.
func (s *sentence) tokens(data []float32, dim int) ([]heads.Token, []float32, error) {
	if len(data) < len(s.Words)*dim {
		return nil, nil, fmt.Errorf("vectors run out at %d words", len(s.Words))
	}
	out := make([]heads.Token, len(s.Words))
	for i, w := range s.Words {
		if w.Start < 0 || w.End <= w.Start || w.End > len(s.Text) {
			return nil, nil, fmt.Errorf("word %d [%d,%d) outside text of %d bytes", i, w.Start, w.End, len(s.Text))
		}
		out[i] = heads.Token{Vector: data[i*dim : (i+1)*dim : (i+1)*dim], Start: w.Start, End: w.End, Word: i}
	}
	return out, data[len(s.Words)*dim:], nil
}

type trainTaggerRequest struct {
	Dim       int               `json:"dim"`
	Sentences []sentence        `json:"sentences"`
	Features  map[string]string `json:"features"`
	Options   trainOptions      `json:"options"`
}

func trainTagger(raw json.RawMessage, data []float32, progress func(done, total int)) (any, error) {
	var req trainTaggerRequest
	if err := decode(raw, &req); err != nil {
		return nil, err
	}
	if len(req.Sentences) == 0 {
		return nil, fmt.Errorf("empty training set")
	}
	if req.Dim <= 0 {
		return nil, fmt.Errorf("vector dimension %d", req.Dim)
	}
	vectors := make([][][]float32, len(req.Sentences))
	tags := make([][]string, len(req.Sentences))
	for i := range req.Sentences {
		s := &req.Sentences[i]
		toks, rest, err := s.tokens(data, req.Dim)
		if err != nil {
			return nil, fmt.Errorf("example %d: %w", i, err)
		}
		data = rest
		for _, sp := range s.Spans {
			if sp.End > len(s.Text) {
				return nil, fmt.Errorf("example %d: span [%d,%d) outside text of %d bytes", i, sp.Start, sp.End, len(s.Text))
			}
		}
		if tags[i], err = heads.TokenTags(toks, s.Spans); err != nil {
			return nil, fmt.Errorf("example %d: %w", i, err)
		}
		for _, t := range toks {
			vectors[i] = append(vectors[i], t.Vector)
		}
	}
	if len(data) != 0 {
		return nil, fmt.Errorf("%d values left over after the last word", len(data))
	}
	tg, err := heads.TrainTagger(vectors, tags, req.Options.heads(progress))
	if err != nil {
		return nil, err
	}
	tg.Features = req.Features
	return saved(tg.Save)
}

type nerRequest struct {
	Head  json.RawMessage `json:"head"`
	Dim   int             `json:"dim"`
	Texts []sentence      `json:"texts"`
}

// ner returns the entities of each text, with byte offsets.
func ner(raw json.RawMessage, data []float32, _ func(done, total int)) (any, error) {
	var req nerRequest
	if err := decode(raw, &req); err != nil {
		return nil, err
	}
	tg, err := heads.LoadTagger(bytes.NewReader(req.Head))
	if err != nil {
		return nil, err
	}
	if req.Dim != tg.Inputs() {
		return nil, fmt.Errorf("vectors have %d dimensions, the tagger takes %d", req.Dim, tg.Inputs())
	}
	out := make([][]heads.Entity, len(req.Texts))
	for i := range req.Texts {
		toks, rest, err := req.Texts[i].tokens(data, req.Dim)
		if err != nil {
			return nil, fmt.Errorf("text %d: %w", i, err)
		}
		data = rest
		if out[i], err = tg.Entities(req.Texts[i].Text, toks); err != nil {
			return nil, fmt.Errorf("text %d: %w", i, err)
		}
		if out[i] == nil {
			out[i] = []heads.Entity{}
		}
	}
	if len(data) != 0 {
		return nil, fmt.Errorf("%d values left over after the last word", len(data))
	}
	return out, nil
}

func loadTagger(raw json.RawMessage, _ []float32, _ func(done, total int)) (any, error) {
	tg, err := heads.LoadTagger(bytes.NewReader(raw))
	if err != nil {
		return nil, err
	}
	return saved(tg.Save)
}
