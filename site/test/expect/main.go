// Command expect embeds texts with the native engine, so the site's browser
// test can check the page against the same model computed outside the
// browser. It reads one JSON request from stdin:
//
//	{"model": "dist/models/x.wbm", "requests": [{"texts": [...], "layer": "3", "tokens": true}]}
//
// and prints one result per request: {"vectors": [[...]], "tokens": [[{"start", "end", "vector"}]]}.
package main

import (
	"encoding/json"
	"fmt"
	"os"

	"github.com/wasmbert/wasmbert/model/engine"
)

type request struct {
	Texts     []string `json:"texts"`
	Layer     string   `json:"layer"`
	Pooling   string   `json:"pooling"`
	Normalize *bool    `json:"normalize"`
	Tokens    bool     `json:"tokens"`
}

type token struct {
	Start  int       `json:"start"`
	End    int       `json:"end"`
	Vector []float32 `json:"vector"`
}

type result struct {
	Vectors [][]float32 `json:"vectors"`
	Tokens  [][]token   `json:"tokens,omitempty"`
	// Truncated and FullTokens are engine.Embedding's, per text.
	Truncated  []bool `json:"truncated"`
	FullTokens []int  `json:"fullTokens"`
	MaxLength  int    `json:"maxLength"` // the model's
}

func main() {
	if err := run(); err != nil {
		fmt.Fprintln(os.Stderr, "expect:", err)
		os.Exit(1)
	}
}

func run() error {
	var in struct {
		Model    string    `json:"model"`
		Requests []request `json:"requests"`
	}
	if err := json.NewDecoder(os.Stdin).Decode(&in); err != nil {
		return fmt.Errorf("read request: %w", err)
	}
	eng, err := engine.LoadFile(in.Model)
	if err != nil {
		return err
	}
	out := make([]result, len(in.Requests))
	for i, r := range in.Requests {
		embs, err := eng.Embed(r.Texts, engine.EmbedOptions{Layer: r.Layer, Pooling: r.Pooling, Normalize: r.Normalize, Tokens: r.Tokens})
		if err != nil {
			return fmt.Errorf("request %d: %w", i, err)
		}
		out[i].MaxLength = eng.Info().MaxLength
		for _, e := range embs {
			out[i].Vectors = append(out[i].Vectors, e.Vector)
			out[i].Truncated = append(out[i].Truncated, e.Truncated)
			out[i].FullTokens = append(out[i].FullTokens, e.FullTokens)
			if !r.Tokens {
				continue
			}
			toks := make([]token, len(e.Tokens))
			for k, t := range e.Tokens {
				toks[k] = token{Start: t.Start, End: t.End, Vector: t.Vector}
			}
			out[i].Tokens = append(out[i].Tokens, toks)
		}
	}
	return json.NewEncoder(os.Stdout).Encode(out)
}
