// Command wasmbert embeds text with BERT models from the command line:
// fetch and convert checkpoints, tokenize, embed, compare, and run the
// downstream heads.
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"os/signal"
	"sort"
)

// command is one subcommand. stdin is passed explicitly so tests can drive
// the commands that read it.
type command struct {
	summary string
	run     func(ctx context.Context, args []string, stdin io.Reader, stdout io.Writer) error
}

// withoutStdin adapts subcommands that take no input stream.
func withoutStdin(run func(context.Context, []string, io.Writer) error) func(context.Context, []string, io.Reader, io.Writer) error {
	return func(ctx context.Context, args []string, _ io.Reader, stdout io.Writer) error {
		return run(ctx, args, stdout)
	}
}

// withStderr adapts subcommands that warn on stderr, which tests capture by
// calling them directly.
func withStderr(run func(context.Context, []string, io.Reader, io.Writer, io.Writer) error) func(context.Context, []string, io.Reader, io.Writer) error {
	return func(ctx context.Context, args []string, stdin io.Reader, stdout io.Writer) error {
		return run(ctx, args, stdin, stdout, os.Stderr)
	}
}

var commands = map[string]command{
	"fetch":      {"download a checkpoint into the cache and print its directory", withoutStdin(runFetch)},
	"convert":    {"convert a checkpoint into a model file", withoutStdin(runConvert)},
	"tokenize":   {"print the token ids and tokens of each stdin line as JSON", runTokenize},
	"embed":      {"print the embedding of each stdin line as JSON", withStderr(runEmbed)},
	"similarity": {"print the cosine similarity of two texts", runSimilarity},
	"classify":   {"train or apply a text classifier head", runClassify},
	"ner":        {"train or apply a token tagger head", runNER},
	"faq":        {"answer questions from a FAQ by similarity", withoutStdin(runFAQ)},
	"bench":      {"measure load time, latency, throughput and memory in-process", withoutStdin(runBench)},
	"serve":      {"serve the demo site (or any folder) with the headers the engine needs", withoutStdin(runServe)},
}

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt)
	err := run(ctx, os.Args[1:], os.Stdin, os.Stdout)
	stop()
	if errors.Is(err, flag.ErrHelp) {
		return // -h asked for the usage, which is printed: not a failure
	}
	if err != nil {
		fmt.Fprintln(os.Stderr, "wasmbert:", err)
		os.Exit(1)
	}
}

func run(ctx context.Context, args []string, stdin io.Reader, stdout io.Writer) error {
	if len(args) == 0 || args[0] == "help" || args[0] == "-h" || args[0] == "--help" {
		usage(os.Stderr)
		if len(args) == 0 {
			return errors.New("no command")
		}
		return nil
	}
	c, ok := commands[args[0]]
	if !ok {
		usage(os.Stderr)
		return fmt.Errorf("unknown command %q", args[0])
	}
	return c.run(ctx, args[1:], stdin, stdout)
}

func usage(w io.Writer) {
	fmt.Fprintln(w, "usage: wasmbert COMMAND [flags]\n\ncommands:")
	names := make([]string, 0, len(commands))
	for n := range commands {
		names = append(names, n)
	}
	sort.Strings(names)
	for _, n := range names {
		fmt.Fprintf(w, "  %-11s %s\n", n, commands[n].summary)
	}
	fmt.Fprintln(w, "\nRun 'wasmbert COMMAND -h' for the flags of a command.")
}
