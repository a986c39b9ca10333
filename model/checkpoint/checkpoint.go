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

// Checkpoint is a BERT checkpoint read into memory.
type Checkpoint struct {
	Config    modelfile.BertConfig
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
	cfg, err := readConfig(dir)
	if err != nil {
		return nil, fmt.Errorf("load checkpoint %s: %w", dir, err)
	}
	tc, err := hfdir.ReadConfig(dir)
	if err != nil {
		return nil, fmt.Errorf("load checkpoint %s: %w", dir, err)
	}
	if len(tc.Vocab) != cfg.VocabSize {
		return nil, fmt.Errorf("load checkpoint %s: tokenizer has %d tokens, config.json vocab_size is %d", dir, len(tc.Vocab), cfg.VocabSize)
	}
	// Built once so that a tokenizer the engine would reject fails here.
	if _, err := tokenizer.New(tc); err != nil {
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
	tok := modelfile.WordPieceHeader(tc, maxSeq)
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
