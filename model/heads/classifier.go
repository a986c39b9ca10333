package heads

import (
	"fmt"
	"slices"
)

// Classifier maps a sentence embedding to one of Labels.
type Classifier struct {
	Labels []string
	// Features describes how the input vectors were computed (model, layer,
	// pooling...); it is saved with the head so a user of the file can
	// check that it computes the same features.
	Features map[string]string
	net      network
}

// Prediction is the label a head picked, the probability of every label,
// and the raw logits in Labels order (what transformers' model(...).logits
// holds for a fine-tuned checkpoint's head, so the two can be compared).
type Prediction struct {
	Label  string             `json:"label"`
	Scores map[string]float32 `json:"scores"`
	Logits []float32          `json:"logits"`
}

// TrainClassifier fits a classifier on features[i] labelled labels[i]:
// softmax regression, or a one-hidden-layer MLP when o.Hidden > 0.
// Labels are sorted so equal data and seed give an identical head.
func TrainClassifier(features [][]float32, labels []string, o TrainOptions) (*Classifier, error) {
	if len(features) == 0 {
		return nil, fmt.Errorf("train classifier: %w", errNoExamples)
	}
	if len(features) != len(labels) {
		return nil, fmt.Errorf("train classifier: %d examples but %d labels", len(features), len(labels))
	}
	names, ids, err := indexLabels(labels)
	if err != nil {
		return nil, fmt.Errorf("train classifier: %w", err)
	}
	if len(names) < 2 {
		return nil, fmt.Errorf("train classifier: need at least 2 distinct labels, got %q", names)
	}
	net, err := fit(features, ids, len(names), o)
	if err != nil {
		return nil, fmt.Errorf("train classifier: %w", err)
	}
	return &Classifier{Labels: names, net: net}, nil
}

// NewClassifier builds a classifier from existing layers, e.g. a head
// loaded from a checkpoint.
func NewClassifier(labels []string, layers []Layer) (*Classifier, error) {
	if err := checkLabels(labels); err != nil {
		return nil, fmt.Errorf("classifier: %w", err)
	}
	net := network(layers)
	if err := net.validate(len(labels)); err != nil {
		return nil, fmt.Errorf("classifier: %w", err)
	}
	return &Classifier{Labels: slices.Clone(labels), net: net}, nil
}

// Inputs is the feature dimension the classifier expects.
func (c *Classifier) Inputs() int { return c.net.inputs() }

// Layers returns the classifier's layers, last one producing the logits.
func (c *Classifier) Layers() []Layer { return c.net }

// Logits returns the raw scores of one feature vector, in Labels order.
func (c *Classifier) Logits(feature []float32) ([]float32, error) {
	return c.net.logits(feature)
}

// Classify predicts a label for each feature vector.
func (c *Classifier) Classify(features [][]float32) ([]Prediction, error) {
	out := make([]Prediction, len(features))
	for i, f := range features {
		p, err := c.net.logits(f)
		if err != nil {
			return nil, fmt.Errorf("classify %d: %w", i, err)
		}
		logits := slices.Clone(p)
		softmax(p)
		scores := make(map[string]float32, len(p))
		for j, v := range p {
			scores[c.Labels[j]] = v
		}
		out[i] = Prediction{Label: c.Labels[argmax(p)], Scores: scores, Logits: logits}
	}
	return out, nil
}

// indexLabels returns the sorted distinct labels and each label's index.
func indexLabels(labels []string) ([]string, []int, error) {
	for i, l := range labels {
		if l == "" {
			return nil, nil, fmt.Errorf("label %d is empty", i)
		}
	}
	names := slices.Clone(labels)
	slices.Sort(names)
	names = slices.Compact(names)
	ids := make([]int, len(labels))
	for i, l := range labels {
		ids[i], _ = slices.BinarySearch(names, l)
	}
	return names, ids, nil
}

func checkLabels(labels []string) error {
	if len(labels) < 2 {
		return fmt.Errorf("need at least 2 labels, got %q", labels)
	}
	seen := make(map[string]bool, len(labels))
	for i, l := range labels {
		if l == "" {
			return fmt.Errorf("label %d is empty", i)
		}
		if seen[l] {
			return fmt.Errorf("label %q appears twice", l)
		}
		seen[l] = true
	}
	return nil
}
