// Package xlnet is the XLNet encoder for feature extraction: token ids in,
// hidden states out, as HF's XLNetModel computes them in eval mode without
// memory (mems=None, use_mems=False) and without a permutation mask, so only
// the content stream runs.
//
// XLNet has no absolute positions and no embedding LayerNorm: the input is
// the word embedding alone, and every layer's attention adds to the content
// score q·k a relative-position score (q + r_r_bias)·R(i−j), with R the
// sinusoidal encoding of the distance projected by the layer's r matrix, and a
// segment score (q + r_s_bias)·seg_embed[same segment or not]. attn_type
// "bi" means every token sees every other; a padding key is hidden from all
// queries but its own position, as in HF's non_tgt_mask. Because only
// distances matter, XLNet's left padding leaves the real tokens' states as
// they are unpadded.
//
// Model.Forward is the fast path on the project's kernels (kernel.Linear for
// every projection, kernel.Dot and kernel.Axpy in the attention) over buffers
// held in a reusable Workspace. The tests hold it to a plain spago forward
// (reference_test.go) and both to HF's outputs (testdata, made by
// tools/reference/make_xlnet_fixture.py). Package xlnetdir loads a Hugging
// Face XLNet directory and embeds texts with it.
package xlnet
