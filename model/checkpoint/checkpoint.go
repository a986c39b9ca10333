package checkpoint

import (
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"

	"github.com/wasmbert/wasmbert/model/modelfile"
	"github.com/wasmbert/wasmbert/model/tokenizer"
	"github.com/wasmbert/wasmbert/model/tokenizer/hfdir"
)

// Weight is one tensor of a checkpoint as float32, row-major.
type Weight struct {
	Shape []int
	Data  []float32
}

// Checkpoint is a BERT-family or XLNet checkpoint read into memory.
type Checkpoint struct {
	Config modelfile.BertConfig
	// XLNet is set for an XLNet checkpoint (Config.ModelType "xlnet").
	XLNet     *modelfile.XLNetConfig
	Tokenizer modelfile.TokenizerConfig
	Pooling   modelfile.PoolingConfig
	// Prompts are the named prompts of config_sentence_transformers.json.
	Prompts map[string]string
	// Order lists the tensor names in forward order.
	Order   []string
	Tensors map[string]Weight
	// Source records provenance and anything dropped while reading.
	Source map[string]string
}

// weightFiles are tried in order; the first present one is read.
var weightFiles = []struct {
	name string
	read func(string) (map[string]Weight, error)
}{
	{"model.safetensors", readSafetensors},
	{"pytorch_model.bin", readPytorch},
}

// Load reads the HF checkpoint in dir.
func Load(dir string) (*Checkpoint, error) {
	if IsXLNet(dir) {
		return loadXLNet(dir)
	}
	cfg, err := readConfig(dir)
	if err != nil {
		return nil, fmt.Errorf("load checkpoint %s: %w", dir, err)
	}
	pool, maxSeq, err := readPooling(dir)
	if err != nil {
		return nil, fmt.Errorf("load checkpoint %s: %w", dir, err)
	}
	prompts, err := readPrompts(dir)
	if err != nil {
		return nil, fmt.Errorf("load checkpoint %s: %w", dir, err)
	}
	tok, err := readTokenizer(dir, cfg.VocabSize, maxSeq)
	if err != nil {
		return nil, fmt.Errorf("load checkpoint %s: %w", dir, err)
	}
	source := map[string]string{}
	var raw map[string]Weight
	for _, wf := range weightFiles {
		path := filepath.Join(dir, wf.name)
		if _, err := os.Stat(path); errors.Is(err, fs.ErrNotExist) {
			continue
		}
		raw, err = wf.read(path)
		if err != nil {
			return nil, fmt.Errorf("load checkpoint %s: %s: %w", dir, wf.name, err)
		}
		source["weights"] = wf.name
		break
	}
	if raw == nil {
		return nil, fmt.Errorf("load checkpoint %s: no weights (model.safetensors or pytorch_model.bin)", dir)
	}
	specs, named, err := selectTensors(raw, cfg, source)
	if err != nil {
		return nil, fmt.Errorf("load checkpoint %s: %w", dir, err)
	}
	order := make([]string, len(specs))
	for i, s := range specs {
		order[i] = s.Name
	}
	return &Checkpoint{Config: cfg, Tokenizer: tok, Pooling: pool, Prompts: prompts, Order: order, Tensors: named, Source: source}, nil
}

// readTokenizer reads the tokenizer of dir as the model file stores it:
// WordPiece options, or a BPE or Unigram pipeline. It is built once so that
// a tokenizer the engine would reject fails here.
func readTokenizer(dir string, vocabSize, maxSeq int) (modelfile.TokenizerConfig, error) {
	spec, ok, err := hfdir.LoadPipelineSpec(dir)
	if err != nil {
		return modelfile.TokenizerConfig{}, err
	}
	if !ok {
		tc, err := hfdir.ReadConfig(dir)
		if err != nil {
			return modelfile.TokenizerConfig{}, err
		}
		if len(tc.Vocab) != vocabSize {
			return modelfile.TokenizerConfig{}, fmt.Errorf("tokenizer has %d tokens, config.json vocab_size is %d", len(tc.Vocab), vocabSize)
		}
		if _, err := tokenizer.New(tc); err != nil {
			return modelfile.TokenizerConfig{}, err
		}
		return modelfile.WordPieceHeader(tc, maxSeq), nil
	}
	p, err := spec.Build()
	if err != nil {
		return modelfile.TokenizerConfig{}, fmt.Errorf("tokenizer.json: %w", err)
	}
	// A word table may have more rows than the tokenizer has tokens
	// (vocabularies padded to a round size); every token id needs a row.
	if p.VocabSize() > vocabSize {
		return modelfile.TokenizerConfig{}, fmt.Errorf("tokenizer.json has %d tokens, config.json vocab_size is %d", p.VocabSize(), vocabSize)
	}
	modelMax, err := hfdir.ReadModelMaxLength(dir)
	if err != nil {
		return modelfile.TokenizerConfig{}, err
	}
	return modelfile.PipelineHeader(spec, modelMax, maxSeq), nil
}
