// Package faq answers a question from a list of known questions by
// embedding similarity, and finds duplicates and nearest neighbours in a
// list of texts. It works on embedding vectors from any encoder.
package faq
