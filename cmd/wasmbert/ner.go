package main

import (
	"cmp"
	"context"
	"encoding/json"
	"flag"
	"fmt"
	"io"
	"os"
	"unicode/utf8"

	"github.com/wasmbert/wasmbert/model/engine"
	"github.com/wasmbert/wasmbert/model/heads"
)

// The tagger sees a word as the hidden state of its first subword (as HF
// token classification labels first subwords) in the fourth of six layers:
// on model/heads/testdata/ner.jsonl it gives entity F1 0.88 against 0.77
// for the last layer, which all-MiniLM-L6-v2 tuned for sentence pooling.
// A head saved with --save must be applied with these same settings.
const (
	nerWords = "first"
	nerLayer = "-3"
)

// nerResult is one output line of `wasmbert ner`. Offsets count Unicode
// code points, like the training file.
type nerResult struct {
	Text     string      `json:"text"`
	Entities []nerEntity `json:"entities"`
}

type nerEntity struct {
	Label string  `json:"label"`
	Start int     `json:"start"`
	End   int     `json:"end"`
	Text  string  `json:"text"`
	Score float32 `json:"score"`
}

// runNER implements `wasmbert ner`: train a BIO tagger on word vectors of
// a JSONL file of texts with entity spans (or load a saved head, or the head
// of a fine-tuned HF BertForTokenClassification checkpoint), then print the
// entities of each stdin line as a JSON line.
func runNER(ctx context.Context, args []string, stdout io.Writer) error {
	fs := flag.NewFlagSet("ner", flag.ContinueOnError)
	train := fs.String("train", "", `training data: {"text", "spans": [{"start","end","label"}]} lines, code point offsets`)
	model := modelFlags(fs)
	head := fs.String("head", "", "load a head saved with --save, or an HF BertForTokenClassification checkpoint directory, instead of training")
	save := fs.String("save", "", "write the head (trained or loaded) to this file")
	opts := headTrainFlags(fs)
	fs.Usage = func() {
		fmt.Fprintln(fs.Output(), "usage: wasmbert ner (--train FILE.jsonl | --head HEAD.json | --head HF_CHECKPOINT_DIR) [-m MODEL] < texts\n\n"+
			"Prints one JSON line {\"text\",\"entities\"} per input line. An HF checkpoint is encoder and head\n"+
			"fine-tuned together, so its own encoder is the default model.")
		fs.PrintDefaults()
	}
	if err := fs.Parse(args); err != nil {
		return err
	}
	if (*train == "") == (*head == "") || fs.NArg() > 0 {
		fs.Usage()
		return fmt.Errorf("ner: want exactly one of --train and --head, and no positional arguments")
	}
	hf := *head != "" && isHFCheckpoint(*head)
	if hf && !flagSet(fs, "model") && !flagSet(fs, "m") {
		*model = *head
	}
	e, err := loadEngine(ctx, *model)
	if err != nil {
		return err
	}
	var tg *heads.Tagger
	layer := nerLayer
	switch {
	case hf:
		// An HF token classifier reads the last layer; a word takes the label of its first
		// subword, as HF's own inference does.
		layer = "-1"
		if tg, err = heads.LoadHFTagger(os.DirFS(*head)); err != nil {
			err = fmt.Errorf("ner: %s: %w", *head, err)
		}
	case *head != "":
		if tg, err = loadHead(*head, heads.LoadTagger); err == nil {
			layer = cmp.Or(tg.Features["layer"], nerLayer)
			err = checkFeatures(*head, tg.Features, nerFeatures(layer))
		}
	default:
		tg, err = trainTagger(e, *train, *opts)
	}
	if err != nil {
		return err
	}
	tg.Features = nerFeatures(layer)
	if *save != "" {
		if err := saveHead(*save, tg.Save); err != nil {
			return err
		}
	}
	enc := json.NewEncoder(stdout)
	return forEachText(os.Stdin, func(texts []string) error {
		words, err := wordTokens(e, texts, layer)
		if err != nil {
			return err
		}
		for i, text := range texts {
			ents, err := tg.Entities(text, words[i])
			if err != nil {
				return fmt.Errorf("ner: %w", err)
			}
			res := nerResult{Text: text, Entities: []nerEntity{}}
			for _, en := range ents {
				res.Entities = append(res.Entities, nerEntity{
					Label: en.Label, Text: en.Text, Score: en.Score,
					Start: utf8.RuneCountInString(text[:en.Start]), End: utf8.RuneCountInString(text[:en.End]),
				})
			}
			if err := enc.Encode(res); err != nil {
				return err
			}
		}
		return nil
	})
}

func trainTagger(e *engine.Engine, path string, o heads.TrainOptions) (*heads.Tagger, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, fmt.Errorf("ner: %w", err)
	}
	defer f.Close()
	examples, err := heads.ReadSpansJSONL(f)
	if err != nil {
		return nil, fmt.Errorf("ner: %s: %w", path, err)
	}
	texts := make([]string, len(examples))
	for i, ex := range examples {
		texts[i] = ex.Text
	}
	words, err := wordTokens(e, texts, nerLayer)
	if err != nil {
		return nil, err
	}
	vectors := make([][][]float32, len(words))
	tags := make([][]string, len(words))
	for i, ws := range words {
		if tags[i], err = heads.TokenTags(ws, examples[i].Spans); err != nil {
			return nil, fmt.Errorf("ner: %s: example %d: %w", path, i+1, err)
		}
		for _, w := range ws {
			vectors[i] = append(vectors[i], w.Vector)
		}
	}
	return heads.TrainTagger(vectors, tags, o)
}

// nerFeatures describes the tagger's input: first-subword word vectors of layer.
func nerFeatures(layer string) map[string]string {
	return map[string]string{"input": "words", "words": nerWords, "layer": layer}
}

// wordTokens embeds texts and returns one tagger token per word, from layer.
func wordTokens(e *engine.Engine, texts []string, layer string) ([][]heads.Token, error) {
	embs, err := e.Embed(texts, engine.EmbedOptions{Words: nerWords, Layer: layer})
	if err != nil {
		return nil, err
	}
	out := make([][]heads.Token, len(embs))
	for i, em := range embs {
		for w, wv := range em.Words {
			out[i] = append(out[i], heads.Token{Vector: wv.Vector, Start: wv.Start, End: wv.End, Word: w})
		}
	}
	return out, nil
}
