package checkpoint

import (
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"sort"
	"strings"

	"github.com/wasmbert/wasmbert/model/modelfile"
	"github.com/wasmbert/wasmbert/model/xlnet"
)

// xlnetHeadPrefix is where a model with a head (XLNetLMHeadModel,
// XLNetForSequenceClassification, …) keeps the encoder's tensors.
const xlnetHeadPrefix = "transformer."

// IsXLNet reports whether config.json in dir declares model_type "xlnet".
func IsXLNet(dir string) bool {
	b, err := os.ReadFile(filepath.Join(dir, "config.json"))
	if err != nil {
		return false
	}
	var v struct {
		ModelType string `json:"model_type"`
	}
	return json.Unmarshal(b, &v) == nil && v.ModelType == modelfile.ModelTypeXLNet
}

// ReadXLNetConfig reads the config.json of an XLNet checkpoint, with HF's
// defaults for the fields it may leave out, and rejects what the encoder
// cannot run, naming the field.
func ReadXLNetConfig(dir string) (xlnet.Config, error) {
	path := filepath.Join(dir, "config.json")
	b, err := os.ReadFile(path)
	if err != nil {
		return xlnet.Config{}, err
	}
	var v struct {
		xlnet.Config
		ModelType string `json:"model_type"`
		// MemLen is the memory XLNet carries from one segment to the next;
		// embedding runs every text alone, without it.
		MemLen *int `json:"mem_len"`
	}
	v.Config = xlnet.Config{FFActivation: "gelu", LayerNormEps: 1e-12, AttnType: "bi", ClampLen: -1, PadTokenID: 5}
	if err := json.Unmarshal(b, &v); err != nil {
		return xlnet.Config{}, fmt.Errorf("%s: %w", path, err)
	}
	if v.ModelType != modelfile.ModelTypeXLNet {
		return xlnet.Config{}, fmt.Errorf("%s: model_type %q, want \"xlnet\"", path, v.ModelType)
	}
	if v.MemLen != nil && *v.MemLen > 0 {
		return xlnet.Config{}, fmt.Errorf("%s: mem_len = %d unsupported (feature extraction runs each text without memory; want null or 0)", path, *v.MemLen)
	}
	if err := v.Config.Validate(); err != nil {
		return xlnet.Config{}, fmt.Errorf("%s: %w", path, err)
	}
	if v.PadTokenID < 0 || v.PadTokenID >= v.VocabSize {
		return xlnet.Config{}, fmt.Errorf("%s: pad_token_id %d outside vocabulary of %d", path, v.PadTokenID, v.VocabSize)
	}
	return v.Config, nil
}

// loadXLNet is Load for an XLNet checkpoint: the weights of XLNetModel, or
// of a model with a head under "transformer." (the head is dropped), in the
// model file's layout (xlnet.FileWeights). A directory without
// sentence-transformers modules gets mean pooling, what
// sentence-transformers puts on a plain XLNet.
func loadXLNet(dir string) (*Checkpoint, error) {
	cfg, err := ReadXLNetConfig(dir)
	if err != nil {
		return nil, fmt.Errorf("load checkpoint %s: %w", dir, err)
	}
	pool, maxSeq, err := readPooling(dir)
	if err != nil {
		return nil, fmt.Errorf("load checkpoint %s: %w", dir, err)
	}
	if _, err := os.Stat(filepath.Join(dir, "modules.json")); errors.Is(err, fs.ErrNotExist) {
		pool.Mode = "mean"
	}
	prompts, err := readPrompts(dir)
	if err != nil {
		return nil, fmt.Errorf("load checkpoint %s: %w", dir, err)
	}
	tok, err := readTokenizer(dir, cfg.VocabSize, maxSeq)
	if err != nil {
		return nil, fmt.Errorf("load checkpoint %s: %w", dir, err)
	}
	if tok.Type == modelfile.TokenizerWordPiece {
		return nil, fmt.Errorf("load checkpoint %s: no tokenizer.json (an XLNet checkpoint needs its SentencePiece tokenizer.json)", dir)
	}
	raw, file, err := ReadWeights(dir)
	if err != nil {
		return nil, fmt.Errorf("load checkpoint %s: %w", dir, err)
	}
	hf := make(map[string]xlnet.Tensor, len(raw))
	shapes := xlnet.TensorShapes(cfg)
	var dropped []string
	for name, w := range raw {
		name = strings.TrimPrefix(name, xlnetHeadPrefix)
		// mask_emb is the query stream's, which feature extraction does not run.
		if _, ok := shapes[name]; !ok && name != "mask_emb" {
			dropped = append(dropped, name)
		}
		hf[name] = xlnet.Tensor{Shape: w.Shape, Data: w.Data}
	}
	specs, data, err := xlnet.FileWeights(cfg, hf)
	if err != nil {
		return nil, fmt.Errorf("load checkpoint %s: %s: %w", dir, file, err)
	}
	ck := &Checkpoint{Tokenizer: tok, Pooling: pool, Prompts: prompts, Tensors: map[string]Weight{},
		Source: map[string]string{"weights": file}}
	model, x := cfg.Header()
	ck.Config, ck.XLNet = model, &x
	for _, s := range specs {
		ck.Order = append(ck.Order, s.Name)
		ck.Tensors[s.Name] = Weight{Shape: s.Shape, Data: data[s.Name]}
	}
	if len(dropped) > 0 {
		sort.Strings(dropped)
		ck.Source["dropped_heads"] = strings.Join(dropped, ",")
	}
	return ck, nil
}
