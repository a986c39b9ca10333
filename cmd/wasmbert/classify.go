package main

import (
	"context"
	"encoding/json"
	"flag"
	"fmt"
	"io"
	"os"
	"strings"

	"github.com/wasmbert/wasmbert/model/engine"
	"github.com/wasmbert/wasmbert/model/heads"
)

// runClassify implements `wasmbert classify`: train a text classifier on
// sentence embeddings of a labelled TSV, or load a saved head or the head of
// an HF fine-tuned checkpoint, then print one {"label","scores","logits"}
// JSON line per stdin line.
func runClassify(ctx context.Context, args []string, stdin io.Reader, stdout io.Writer) error {
	fs := flag.NewFlagSet("classify", flag.ContinueOnError)
	train := fs.String("train", "", "training data: label<TAB>text lines")
	model := modelFlags(fs)
	head := fs.String("head", "", "apply a head instead of training: a head file (--save, or X.head.json from `wasmbert convert`) or an HF fine-tuned checkpoint directory, whose own encoder is then the default model")
	save := fs.String("save", "", "write the trained head to this file")
	opts := headTrainFlags(fs)
	fs.Usage = func() {
		fmt.Fprintln(fs.Output(), "usage: wasmbert classify (--train FILE.tsv | --head HEAD.json|DIR) [-m MODEL] < texts\n\nPrints one JSON line {\"label\",\"scores\",\"logits\"} per input line (logits in the head's label order).")
		fs.PrintDefaults()
	}
	if err := fs.Parse(args); err != nil {
		return err
	}
	if (*train == "") == (*head == "") || fs.NArg() > 0 {
		fs.Usage()
		return fmt.Errorf("classify: want exactly one of --train and --head, and no positional arguments")
	}
	src := resolveHead(*head)
	var c *heads.Classifier
	var err error
	if *head != "" {
		if c, err = loadHeadFrom(src, heads.LoadClassifier, heads.LoadHFClassifier); err != nil {
			return fmt.Errorf("classify: %w", err)
		}
	}
	e, err := loadEngine(ctx, modelFor(fs, *model, src))
	if err != nil {
		return err
	}
	features := map[string]string{"input": "sentence", "pooling": e.Info().Pooling, "layer": "-1"}
	if c != nil {
		if err := checkInputs(*head, c.Inputs(), e); err != nil {
			return fmt.Errorf("classify: %w", err)
		}
		if len(c.Features) > 0 {
			features = c.Features
		}
	} else if c, err = trainClassifier(e, *train, *opts); err != nil {
		return err
	}
	embed, err := sentenceOptions(*head, features)
	if err != nil {
		return fmt.Errorf("classify: %w", err)
	}
	c.Features = features
	if *save != "" {
		if err := saveHead(*save, c.Save); err != nil {
			return err
		}
	}
	enc := json.NewEncoder(stdout)
	return forEachText(stdin, func(texts []string) error {
		x, err := sentenceVectors(e, texts, embed)
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
	x, err := sentenceVectors(e, texts, engine.EmbedOptions{})
	if err != nil {
		return nil, err
	}
	return heads.TrainClassifier(x, labels, o)
}

func sentenceVectors(e *engine.Engine, texts []string, o engine.EmbedOptions) ([][]float32, error) {
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
