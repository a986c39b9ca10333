package main

import (
	"cmp"
	"fmt"
	"io"
	"slices"
	"unicode/utf8"

	"github.com/wasmbert/wasmbert/cmd/edgeworker/internal/api"
	"github.com/wasmbert/wasmbert/model/engine"
)

// activationBudget bounds the encoder activations of one engine.Embed call. The engine's
// workspace grows to the largest batch it has run (up to 4096 tokens: 63 MB for MiniLM) and is
// kept, and wasm memory never shrinks, so a single 32 × 256-token request would push the
// isolate past its 128 MB. The worker hands the engine slices that fit this budget instead,
// which bounds memory without refusing any request the limits allow.
const activationBudget = 8 << 20

// engineModel serves a model/engine.Engine with its own pooling and normalization defaults.
type engineModel struct {
	name        string
	eng         *engine.Engine
	maxLen      int // tokens per sequence after truncation, special tokens included
	sliceTokens int // tokens per Embed call that keep activations within activationBudget
}

func newEngineModel(name string, r io.Reader) (api.Model, error) {
	eng, err := engine.Load(r)
	if err != nil {
		return nil, fmt.Errorf("load %s: %w", name, err)
	}
	info := eng.Info()
	return &engineModel{name: name, eng: eng, maxLen: info.MaxLength,
		sliceTokens: sliceTokens(info.Dim, info.MaxLength, activationBudget)}, nil
}

// sliceTokens is how many tokens of a model with hidden size dim fit in budget bytes of
// activations, but at least one whole sequence. The workspace holds six hidden-size buffers
// (hidden, attention, context, q, k, v) and the intermediate one, 4·dim in BERT models,
// all float32.
func sliceTokens(dim, maxLen int, budget int64) int {
	perToken := int64(4 * (6*dim + 4*dim))
	return max(int(budget/perToken), maxLen)
}

func (m *engineModel) Name() string { return m.name }
func (m *engineModel) Dims() int    { return m.eng.Info().Dim }

func (m *engineModel) Embed(texts []string) ([][]float32, int, error) {
	vecs := make([][]float32, len(texts))
	tokens := 0
	for _, slice := range m.slices(texts) {
		batch := make([]string, len(slice))
		for i, ti := range slice {
			batch[i] = texts[ti]
		}
		embs, err := m.eng.Embed(batch, engine.EmbedOptions{})
		if err != nil {
			return nil, 0, fmt.Errorf("embed: %w", err)
		}
		for i, e := range embs {
			vecs[slice[i]] = e.Vector
			tokens += e.NumTokens // after truncation: what the encoder saw
		}
	}
	return vecs, tokens, nil
}

// slices splits texts (as indices) into groups the engine can encode within m.sliceTokens
// tokens of workspace. The engine pads each batch to its longest sequence, so a group of n texts
// costs at most n times its longest. A text never has more tokens than runes plus [CLS] and
// [SEP] (every WordPiece covers at least one rune), nor more than maxLen after truncation, so
// the bound holds without tokenizing twice. Grouping texts of similar length keeps that bound
// close to the padding the engine really uses.
func (m *engineModel) slices(texts []string) [][]int {
	est := make([]int, len(texts))
	longest := 0
	for i, t := range texts {
		est[i] = min(utf8.RuneCountInString(t)+2, m.maxLen)
		longest = max(longest, est[i])
	}
	order := make([]int, len(texts))
	for i := range order {
		order[i] = i
	}
	if len(texts)*longest <= m.sliceTokens {
		return [][]int{order}
	}
	slices.SortStableFunc(order, func(a, b int) int { return cmp.Compare(est[a], est[b]) })
	var out [][]int
	start := 0
	for i, ti := range order {
		// Sorted ascending, so est[ti] is the longest of the group if ti joins it.
		if (i+1-start)*est[ti] > m.sliceTokens && i > start {
			out = append(out, order[start:i])
			start = i
		}
	}
	return append(out, order[start:])
}
