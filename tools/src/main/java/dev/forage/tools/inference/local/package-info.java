/**
 * Embeddings computed on this machine: all-MiniLM-L6-v2 and its quantized twin, read from
 * LangChain4j's model jars and run with ONNX Runtime. {@link dev.forage.tools.inference.local.OnnxModels#shared()}
 * is the one loader the devnet provider nodes and the verifiers share;
 * {@link dev.forage.tools.inference.local.LocalEmbeddings} serves it as the {@code local}
 * {@link dev.forage.tools.inference.InferenceProvider}.
 */
package dev.forage.tools.inference.local;
