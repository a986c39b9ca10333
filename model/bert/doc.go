// Package bert is the BERT encoder: token ids in, hidden states out.
//
// Model.Forward runs a whole batch (B sequences padded to S tokens) on flat
// float32 buffers held in a reusable Workspace, so the hot path allocates
// nothing once the workspace has grown to the largest batch seen. The dense
// layers are kernel.Linear values built while the model file streams in
// (Builder), with the query, key and value projections of each layer packed
// into one [3H, H] layer so one pass over the activations produces all three.
//
// The tests hold the fast path to ReferenceForward (reference_test.go), a
// plain one-sequence forward written with spago's mat package. It lives in a
// test file so spago stays out of the WebAssembly engine.
package bert
