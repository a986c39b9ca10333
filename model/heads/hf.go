package heads

import (
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"slices"
	"strconv"

	"github.com/wasmbert/wasmbert/internal/safetensors"
)

// hfConfig is the part of an HF config.json that describes a head.
type hfConfig struct {
	Architectures []string          `json:"architectures"`
	HiddenSize    int               `json:"hidden_size"`
	ID2Label      map[string]string `json:"id2label"`
}

// HFClassifierFeatures are the features an HF sequence classifier reads:
// the last hidden state of the [CLS] token, not normalized (its pooler,
// dense + tanh, is the head's first layer).
func HFClassifierFeatures() map[string]string {
	return map[string]string{"input": "sentence", "pooling": "cls", "layer": "-1", "normalize": "false"}
}

// HFTaggerFeatures are the features an HF token classifier reads as a
// tagger: the last hidden state of the first subword of each word, the
// token HF's pipelines and training scripts label a word by.
func HFTaggerFeatures() map[string]string {
	return map[string]string{"input": "words", "words": "first", "layer": "-1"}
}

// HFKind reports which head a checkpoint's config.json declares: "classifier"
// for *ForSequenceClassification, "tagger" for *ForTokenClassification, ""
// for neither (a bare encoder such as BertModel).
func HFKind(fsys fs.FS) (string, error) {
	cfg, err := readHFConfig(fsys)
	if err != nil {
		return "", err
	}
	switch {
	case hasArch(cfg, "ForSequenceClassification"):
		return kindClassifier, nil
	case hasArch(cfg, "ForTokenClassification"):
		return kindTagger, nil
	}
	return "", nil
}

// LoadHFClassifier loads the head of an HF BertForSequenceClassification
// checkpoint (config.json + model.safetensors in fsys): the pooler
// (dense + tanh over the [CLS] hidden state) followed by the classifier.
// Its input is the last-layer hidden state of the [CLS] token.
func LoadHFClassifier(fsys fs.FS) (*Classifier, error) {
	labels, layers, err := loadHFHead(fsys, "ForSequenceClassification", true)
	if err != nil {
		return nil, fmt.Errorf("load HF classifier: %w", err)
	}
	c, err := NewClassifier(labels, layers)
	if err != nil {
		return nil, fmt.Errorf("load HF classifier: %w", err)
	}
	c.Features = HFClassifierFeatures()
	return c, nil
}

// LoadHFTagger loads the head of an HF BertForTokenClassification
// checkpoint: the classifier over last-layer token hidden states. Its
// id2label must be BIO tags.
func LoadHFTagger(fsys fs.FS) (*Tagger, error) {
	labels, layers, err := loadHFHead(fsys, "ForTokenClassification", false)
	if err != nil {
		return nil, fmt.Errorf("load HF tagger: %w", err)
	}
	t, err := NewTagger(labels, layers)
	if err != nil {
		return nil, fmt.Errorf("load HF tagger: %w", err)
	}
	t.Features = HFTaggerFeatures()
	return t, nil
}

func readHFConfig(fsys fs.FS) (*hfConfig, error) {
	raw, err := fs.ReadFile(fsys, "config.json")
	if err != nil {
		return nil, err
	}
	var cfg hfConfig
	if err := json.Unmarshal(raw, &cfg); err != nil {
		return nil, fmt.Errorf("config.json: %w", err)
	}
	return &cfg, nil
}

func hasArch(cfg *hfConfig, arch string) bool {
	return slices.ContainsFunc(cfg.Architectures, func(a string) bool { return len(a) > len(arch) && a[len(a)-len(arch):] == arch })
}

func loadHFHead(fsys fs.FS, arch string, pooler bool) ([]string, []Layer, error) {
	cfg, err := readHFConfig(fsys)
	if err != nil {
		return nil, nil, err
	}
	if !hasArch(cfg, arch) {
		return nil, nil, fmt.Errorf("config.json: architectures %q has no *%s: not a checkpoint fine-tuned with that head", cfg.Architectures, arch)
	}
	labels, err := hfLabels(cfg.ID2Label)
	if err != nil {
		return nil, nil, fmt.Errorf("config.json: %w", err)
	}

	names := []string{"classifier.weight", "classifier.bias"}
	if pooler {
		names = append(names, "bert.pooler.dense.weight", "bert.pooler.dense.bias")
	}
	f, err := fsys.Open("model.safetensors")
	if errors.Is(err, fs.ErrNotExist) {
		return nil, nil, fmt.Errorf("no model.safetensors: heads are read from safetensors checkpoints (a pytorch_model.bin-only one is not supported yet)")
	}
	if err != nil {
		return nil, nil, err
	}
	defer f.Close()
	tensors, err := safetensors.Read(f, func(name, _ string) bool { return slices.Contains(names, name) })
	if err != nil {
		return nil, nil, fmt.Errorf("model.safetensors: %w", err)
	}
	for _, name := range names {
		if _, ok := tensors[name]; !ok {
			return nil, nil, fmt.Errorf("model.safetensors: no tensor %q", name)
		}
	}

	var layers []Layer
	if pooler {
		l, err := hfLayer(tensors["bert.pooler.dense.weight"], tensors["bert.pooler.dense.bias"], Tanh)
		if err != nil {
			return nil, nil, fmt.Errorf("pooler: %w", err)
		}
		layers = append(layers, l)
	}
	l, err := hfLayer(tensors["classifier.weight"], tensors["classifier.bias"], Identity)
	if err != nil {
		return nil, nil, fmt.Errorf("classifier: %w", err)
	}
	layers = append(layers, l)
	if cfg.HiddenSize != 0 && layers[0].In != cfg.HiddenSize {
		return nil, nil, fmt.Errorf("head takes %d inputs but hidden_size is %d", layers[0].In, cfg.HiddenSize)
	}
	return labels, layers, nil
}

// hfLabels orders id2label by id; ids must be exactly 0..n-1.
func hfLabels(id2label map[string]string) ([]string, error) {
	if len(id2label) == 0 {
		return nil, fmt.Errorf("no id2label")
	}
	labels := make([]string, len(id2label))
	for k, v := range id2label {
		id, err := strconv.Atoi(k)
		if err != nil || id < 0 || id >= len(labels) {
			return nil, fmt.Errorf("id2label key %q is not an id in 0..%d", k, len(labels)-1)
		}
		labels[id] = v
	}
	return labels, nil
}

func hfLayer(w, b safetensors.Tensor, act Activation) (Layer, error) {
	if len(w.Shape) != 2 || len(b.Shape) != 1 {
		return Layer{}, fmt.Errorf("weight shape %v and bias shape %v, want 2-D and 1-D", w.Shape, b.Shape)
	}
	l := Layer{In: w.Shape[1], Out: w.Shape[0], Activation: act, Weight: w.Data, Bias: b.Data}
	return l, l.validate()
}
