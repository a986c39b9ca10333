package heads

import (
	"fmt"
	"slices"
)

// Tagger assigns a BIO tag to each token embedding.
type Tagger struct {
	Labels   []string          // O, B-TYPE, I-TYPE
	Features map[string]string // as Classifier.Features
	net      network
}

// TrainTagger fits a tagger on sentences[s][t], the embedding of token t of
// sentence s, tagged tags[s][t]. Tokens tagged "" (special tokens) are left
// out. o.Hidden > 0 trains an MLP instead of softmax regression.
func TrainTagger(sentences [][][]float32, tags [][]string, o TrainOptions) (*Tagger, error) {
	if len(sentences) != len(tags) {
		return nil, fmt.Errorf("train tagger: %d sentences but %d tag sequences", len(sentences), len(tags))
	}
	var x [][]float32
	var y []string
	for s := range sentences {
		if len(sentences[s]) != len(tags[s]) {
			return nil, fmt.Errorf("train tagger: sentence %d has %d tokens but %d tags", s, len(sentences[s]), len(tags[s]))
		}
		for t, tag := range tags[s] {
			if tag == "" {
				continue
			}
			if err := checkBIO(tag); err != nil {
				return nil, fmt.Errorf("train tagger: sentence %d token %d: %w", s, t, err)
			}
			x = append(x, sentences[s][t])
			y = append(y, tag)
		}
	}
	if len(x) == 0 {
		return nil, fmt.Errorf("train tagger: %w", errNoExamples)
	}
	names, ids, err := indexLabels(y)
	if err != nil {
		return nil, fmt.Errorf("train tagger: %w", err)
	}
	if len(names) < 2 {
		return nil, fmt.Errorf("train tagger: need at least 2 distinct tags, got %q", names)
	}
	net, err := fit(x, ids, len(names), o)
	if err != nil {
		return nil, fmt.Errorf("train tagger: %w", err)
	}
	return &Tagger{Labels: names, net: net}, nil
}

// NewTagger builds a tagger from existing layers, e.g. a head loaded from a
// checkpoint. Every label must be a BIO tag.
func NewTagger(labels []string, layers []Layer) (*Tagger, error) {
	if err := checkLabels(labels); err != nil {
		return nil, fmt.Errorf("tagger: %w", err)
	}
	for _, l := range labels {
		if err := checkBIO(l); err != nil {
			return nil, fmt.Errorf("tagger: %w", err)
		}
	}
	net := network(layers)
	if err := net.validate(len(labels)); err != nil {
		return nil, fmt.Errorf("tagger: %w", err)
	}
	return &Tagger{Labels: slices.Clone(labels), net: net}, nil
}

// Inputs is the token embedding dimension the tagger expects.
func (t *Tagger) Inputs() int { return t.net.inputs() }

// Layers returns the tagger's layers, last one producing the logits.
func (t *Tagger) Layers() []Layer { return t.net }

// Logits returns the raw scores of one token embedding, in Labels order.
func (t *Tagger) Logits(vector []float32) ([]float32, error) {
	return t.net.logits(vector)
}

// Tag returns the most likely tag of each token embedding and its probability.
func (t *Tagger) Tag(vectors [][]float32) ([]string, []float32, error) {
	tags := make([]string, len(vectors))
	scores := make([]float32, len(vectors))
	for i, v := range vectors {
		p, err := t.net.logits(v)
		if err != nil {
			return nil, nil, fmt.Errorf("tag token %d: %w", i, err)
		}
		softmax(p)
		best := argmax(p)
		tags[i], scores[i] = t.Labels[best], p[best]
	}
	return tags, scores, nil
}

// Entities tags the tokens of text and merges the tags into word-level
// entities with byte offsets into text.
func (t *Tagger) Entities(text string, tokens []Token) ([]Entity, error) {
	tags := make([]string, len(tokens))
	scores := make([]float32, len(tokens))
	for i, tok := range tokens {
		if tok.Word < 0 {
			continue
		}
		if tok.Start < 0 || tok.End < tok.Start || tok.End > len(text) {
			return nil, fmt.Errorf("entities: token %d offsets [%d,%d) outside text of %d bytes", i, tok.Start, tok.End, len(text))
		}
		p, err := t.net.logits(tok.Vector)
		if err != nil {
			return nil, fmt.Errorf("entities: token %d: %w", i, err)
		}
		softmax(p)
		best := argmax(p)
		tags[i], scores[i] = t.Labels[best], p[best]
	}
	return mergeEntities(text, tokens, tags, scores), nil
}
