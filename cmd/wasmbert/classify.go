package main

import (
	"cmp"
	"context"
	"encoding/json"
	"flag"
	"fmt"
	"io"
	"maps"
	"os"
	"path/filepath"
	"strconv"
	"strings"

	"github.com/wasmbert/wasmbert/model/engine"
	"github.com/wasmbert/wasmbert/model/heads"
)

// runClassify implements `wasmbert classify`: train a text classifier on
// sentence embeddings of a labelled TSV (or load a saved head, or the head of
// a fine-tuned HF BertForSequenceClassification checkpoint), then print one
// {"label","scores"} JSON line per stdin line.
func runClassify(ctx context.Context, args []string, stdout io.Writer) error {
	fs := flag.NewFlagSet("classify", flag.ContinueOnError)
	train := fs.String("train", "", "training data: label<TAB>text lines")
	model := modelFlags(fs)
	head := fs.String("head", "", "load a head saved with --save, or an HF BertForSequenceClassification checkpoint directory, instead of training")
	save := fs.String("save", "", "write the head (trained or loaded) to this file, for --head or the JS library's classify()")
	opts := headTrainFlags(fs)
	fs.Usage = func() {
		fmt.Fprintln(fs.Output(), "usage: wasmbert classify (--train FILE.tsv | --head HEAD.json | --head HF_CHECKPOINT_DIR) [-m MODEL] < texts\n\n"+
			"Prints one JSON line {\"label\",\"scores\"} per input line. An HF checkpoint is encoder and head\n"+
			"fine-tuned together, so its own encoder is the default model.")
		fs.PrintDefaults()
	}
	if err := fs.Parse(args); err != nil {
		return err
	}
	if (*train == "") == (*head == "") || fs.NArg() > 0 {
		fs.Usage()
		return fmt.Errorf("classify: want exactly one of --train and --head, and no positional arguments")
	}
	hf := *head != "" && isHFCheckpoint(*head)
	if hf && !flagSet(fs, "model") && !flagSet(fs, "m") {
		*model = *head
	}
	e, err := loadEngine(ctx, *model)
	if err != nil {
		return err
	}
	var c *heads.Classifier
	var embed engine.EmbedOptions
	switch {
	case hf:
		// The HF head (pooler + classifier) reads the last layer's [CLS] state as is.
		f := false
		embed = engine.EmbedOptions{Pooling: "cls", Normalize: &f}
		if c, err = heads.LoadHFClassifier(os.DirFS(*head)); err != nil {
			err = fmt.Errorf("classify: %s: %w", *head, err)
		}
	case *head != "":
		if c, err = loadHead(*head, heads.LoadClassifier); err == nil {
			embed = featureOptions(c.Features)
			err = checkFeatures(*head, c.Features, sentenceFeatures(e, embed))
		}
	default:
		c, err = trainClassifier(e, *train, *opts)
	}
	if err != nil {
		return err
	}
	c.Features = sentenceFeatures(e, embed)
	if *save != "" {
		if err := saveHead(*save, c.Save); err != nil {
			return err
		}
	}
	enc := json.NewEncoder(stdout)
	return forEachText(os.Stdin, func(texts []string) error {
		x, err := embedVectors(e, texts, embed)
		if err != nil {
			return err
		}
		preds, err := c.Classify(x)
		if err != nil {
			return fmt.Errorf("classify: %w", err)
		}
		for _, p := range preds {
			if err := enc.Encode(p); err != nil {
				return err
			}
		}
		return nil
	})
}

func trainClassifier(e *engine.Engine, path string, o heads.TrainOptions) (*heads.Classifier, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, fmt.Errorf("classify: %w", err)
	}
	defer f.Close()
	labels, texts, err := heads.ReadLabelledTSV(f)
	if err != nil {
		return nil, fmt.Errorf("classify: %s: %w", path, err)
	}
	x, err := sentenceVectors(e, texts)
	if err != nil {
		return nil, err
	}
	return heads.TrainClassifier(x, labels, o)
}

// isHFCheckpoint reports whether path is a directory with a config.json
// (a saved head is one JSON file).
func isHFCheckpoint(path string) bool {
	st, err := os.Stat(filepath.Join(path, "config.json"))
	return err == nil && !st.IsDir()
}

func flagSet(fs *flag.FlagSet, name string) bool {
	set := false
	fs.Visit(func(f *flag.Flag) { set = set || f.Name == name })
	return set
}

// sentenceFeatures describes sentence vectors computed with o, in the form
// heads record them (as js/heads.js does), so a saved head says how to
// compute its input.
func sentenceFeatures(e *engine.Engine, o engine.EmbedOptions) map[string]string {
	f := map[string]string{"input": "sentence", "pooling": cmp.Or(o.Pooling, e.Info().Pooling), "layer": cmp.Or(o.Layer, "-1")}
	if o.Normalize != nil {
		f["normalize"] = strconv.FormatBool(*o.Normalize)
	}
	return f
}

// featureOptions are the embed options a saved head's features ask for;
// features this command cannot compute fail checkFeatures afterwards.
func featureOptions(f map[string]string) engine.EmbedOptions {
	o := engine.EmbedOptions{Pooling: f["pooling"], Layer: f["layer"]}
	if n, err := strconv.ParseBool(f["normalize"]); err == nil {
		o.Normalize = &n
	}
	return o
}

func sentenceVectors(e *engine.Engine, texts []string) ([][]float32, error) {
	return embedVectors(e, texts, engine.EmbedOptions{})
}

func embedVectors(e *engine.Engine, texts []string, o engine.EmbedOptions) ([][]float32, error) {
	embs, err := e.Embed(texts, o)
	if err != nil {
		return nil, err
	}
	x := make([][]float32, len(embs))
	for i, em := range embs {
		x[i] = em.Vector
	}
	return x, nil
}

// headTrainFlags registers the training options shared by classify and ner.
func headTrainFlags(fs *flag.FlagSet) *heads.TrainOptions {
	o := &heads.TrainOptions{}
	fs.IntVar(&o.Hidden, "hidden", 0, "units of an MLP hidden layer (0: softmax regression)")
	fs.IntVar(&o.Epochs, "epochs", 0, "training epochs (0: default)")
	fs.Float64Var(&o.LearningRate, "lr", 0, "Adam learning rate (0: default)")
	fs.Uint64Var(&o.Seed, "seed", 1, "random seed")
	return o
}

func loadHead[H any](path string, load func(io.Reader) (H, error)) (H, error) {
	f, err := os.Open(path)
	if err != nil {
		var zero H
		return zero, err
	}
	defer f.Close()
	h, err := load(f)
	if err != nil {
		return h, fmt.Errorf("%s: %w", path, err)
	}
	return h, nil
}

// checkFeatures rejects a saved head trained on other features than this
// command computes; heads saved without a description are trusted.
func checkFeatures(path string, saved, want map[string]string) error {
	if len(saved) > 0 && !maps.Equal(saved, want) {
		return fmt.Errorf("%s: head was trained on features %v, this command computes %v", path, saved, want)
	}
	return nil
}

func saveHead(path string, save func(io.Writer) error) error {
	f, err := os.Create(path)
	if err != nil {
		return err
	}
	if err := save(f); err != nil {
		f.Close()
		return err
	}
	return f.Close()
}

// headInputBatch bounds how many stdin lines are embedded at once, so
// output streams and memory stays flat on long inputs.
const headInputBatch = 32

// forEachText calls fn with batches of the non-blank lines of r.
func forEachText(r io.Reader, fn func([]string) error) error {
	return forEachLine(r, headInputBatch, func(lines []string) error {
		var texts []string
		for _, l := range lines {
			if l = strings.TrimSpace(l); l != "" {
				texts = append(texts, l)
			}
		}
		if len(texts) == 0 {
			return nil
		}
		return fn(texts)
	})
}
