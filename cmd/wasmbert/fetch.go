package main

import (
	"context"
	"flag"
	"fmt"
	"io"
	"os"

	"github.com/wasmbert/wasmbert/model/checkpoint"
)

// runFetch implements `wasmbert fetch [NAME]`: it prints the local
// checkpoint directory of NAME (default all-MiniLM-L6-v2).
func runFetch(ctx context.Context, args []string, stdout io.Writer) error {
	fs := flag.NewFlagSet("fetch", flag.ContinueOnError)
	revision := fs.String("revision", "main", "HF hub revision")
	fs.Usage = func() {
		fmt.Fprintf(fs.Output(), "usage: wasmbert fetch [--revision REV] [NAME|DIR]\n\nNAME is a known model or an HF repository (default %s).\n", checkpoint.DefaultModel)
		fs.PrintDefaults()
	}
	if err := fs.Parse(args); err != nil {
		return err
	}
	if fs.NArg() > 1 {
		fs.Usage()
		return fmt.Errorf("fetch: want at most one model name, got %d", fs.NArg())
	}
	dir, err := checkpoint.Fetch(ctx, fs.Arg(0), checkpoint.FetchOptions{Revision: *revision, Log: os.Stderr})
	if err != nil {
		return err
	}
	_, err = fmt.Fprintln(stdout, dir)
	return err
}
