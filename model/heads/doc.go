// Package heads trains and applies small downstream heads on top of BERT
// features: a text classifier over sentence embeddings and a BIO token
// tagger over token embeddings.
//
// Heads take plain [][]float32 features so they do not depend on how the
// features were computed. Training uses spago's autograd (ag) and Adam;
// inference is a few plain loops so a trained head is cheap to apply in a
// browser. Training is deterministic for a given TrainOptions.Seed.
package heads
